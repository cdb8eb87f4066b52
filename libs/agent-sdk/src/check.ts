/**
 * CONTRACT part D's pre-call check and release, as an agent sends them: the request body built
 * from the ledger's defaults, and the reply read into types. Pure; the NATS round trip is in
 * `control-client.ts`.
 */

/** The estimate of a call in dollars, an exact decimal string such as "0.045" (never a JS number). */
export interface CostEstimate {
  estimatedCost: string;
}
/** The estimate of a call in tokens, priced by the control plane at the tenant's price for the model. */
export interface TokenEstimate {
  provider: string;
  model: string;
  estimatedInputTokens: number;
  estimatedOutputTokens: number;
}
export type CallEstimate = CostEstimate | TokenEstimate;

/** The scope fields a check matches budgets and pauses on; each defaults from the ledger's options. */
export interface CheckScope {
  agentId?: string;
  team?: string;
  workflow?: string;
  environment?: string;
}

export type CheckRequest = CallEstimate &
  CheckScope & {
    /** The span of the call; its own `llm.call`/`tool.call` with this spanId settles the reservation. Default: a new random one. */
    spanId?: string;
    /** How long the reservation is held at most (1–3600, the control plane's default 60). */
    ttlSeconds?: number;
  };

/** A matching budget as it stands after the decision (the check's own reservation included). */
export interface BudgetStanding {
  id: string;
  scope: string;
  scopeId: string | null;
  limit: string;
  spent: string;
  reserved: string;
  remaining: string;
  enforcement: string;
}

export interface CheckReply {
  decision: 'ALLOW' | 'BLOCK';
  /** Held until the call's priced event, a release, or the TTL; null when nothing was reserved. */
  reservationId: string | null;
  reason: string;
  paused: boolean;
  blockedBy: string[];
  warnings: string[];
  budgets: BudgetStanding[];
  /** The spanId the check was sent with: record the call with it so its priced event settles the reservation. */
  spanId: string;
  /** True when no control plane answered and `onUnavailable` ('allow' or 'block') decided instead. */
  unavailable: boolean;
}

/** The control plane answered `{"error": {code, message}}`, e.g. code `BAD_REQUEST`. */
export class CheckRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'CheckRejected';
  }
}

/** No control plane answered (no responder, a timeout, a closed connection) and `onUnavailable` is 'throw'. */
export class ControlPlaneUnavailable extends Error {
  constructor(
    readonly subject: string,
    options?: { cause?: unknown },
  ) {
    super(`no answer on ${subject}: is the budgeting service running?`, options);
    this.name = 'ControlPlaneUnavailable';
  }
}

/** A guarded call was not made: the check said BLOCK, or a watched pause covers the agent. */
export class Blocked extends Error {
  constructor(readonly reply: CheckReply) {
    super(`blocked by budget: ${reply.reason}`);
    this.name = 'Blocked';
  }
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;
const MAX_TTL_SECONDS = 3600;

function text(field: string, value: unknown, required: boolean): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw new Error(`check: ${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string' || value.length > 200) throw new Error(`check: ${field} must be a string of at most 200 characters`);
  return value;
}

function tokens(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error(`check: ${field} must be a whole number of tokens, 0 or more`);
  return value;
}

/** A random 16-hex-digit span id, as OpenTelemetry writes them. */
export const newSpanId = (): string => crypto.randomUUID().replace(/-/g, '').slice(0, 16);

/** The JSON body of a check: the request over the ledger's defaults, validated so bad input fails here, named. */
export function checkBody(defaults: CheckScope, request: CheckRequest, spanId: string): Record<string, unknown> {
  const merged = { ...defaults, ...definedFields(request) } as CheckRequest;
  const body: Record<string, unknown> = { agentId: text('agentId', merged.agentId, true) };
  for (const field of ['team', 'workflow', 'environment'] as const) {
    const value = text(field, merged[field], false);
    if (value !== undefined) body[field] = value;
  }
  // estimatedCost wins when given, so a guarded call may carry provider and model for its llm.call alongside it.
  const fields = request as Partial<CostEstimate & TokenEstimate>;
  const tokenCounts = fields.estimatedInputTokens !== undefined || fields.estimatedOutputTokens !== undefined;
  if (fields.estimatedCost !== undefined) {
    if (tokenCounts) throw new Error('check: give either estimatedCost or provider + model + estimatedInputTokens + estimatedOutputTokens, not both');
    const cost = fields.estimatedCost;
    if (typeof cost !== 'string' || cost.length > 64 || !DECIMAL.test(cost)) throw new Error(`check: estimatedCost must be a non-negative decimal string such as "0.045", not ${JSON.stringify(cost)}`);
    body.estimatedCost = cost;
  } else if (tokenCounts || fields.provider !== undefined || fields.model !== undefined) {
    body.provider = text('provider', fields.provider, true);
    body.model = text('model', fields.model, true);
    body.estimatedInputTokens = tokens('estimatedInputTokens', fields.estimatedInputTokens);
    body.estimatedOutputTokens = tokens('estimatedOutputTokens', fields.estimatedOutputTokens);
  } else {
    throw new Error('check: an estimate is required: estimatedCost (e.g. "0.045") or provider + model + estimatedInputTokens + estimatedOutputTokens');
  }
  body.spanId = text('spanId', spanId, true);
  if (request.ttlSeconds !== undefined) {
    const ttl = request.ttlSeconds;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) throw new Error(`check: ttlSeconds must be a whole number from 1 to ${MAX_TTL_SECONDS}`);
    body.ttlSeconds = ttl;
  }
  return body;
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

function rejectedBy(reply: unknown): CheckRejected | undefined {
  const error = (reply as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (error === undefined || error === null) return undefined;
  return new CheckRejected(typeof error.code === 'string' ? error.code : 'UNKNOWN', typeof error.message === 'string' ? error.message : JSON.stringify(error));
}

function parseJson(subject: string, bytes: string): unknown {
  try {
    return JSON.parse(bytes);
  } catch {
    throw new CheckRejected('BAD_REPLY', `the reply on ${subject} is not JSON: ${bytes.slice(0, 200)}`);
  }
}

const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The reply of a check; throws CheckRejected for an error reply or one that is not the contract's shape. */
export function parseCheckReply(subject: string, bytes: string, spanId: string): CheckReply {
  const reply = parseJson(subject, bytes);
  const rejected = rejectedBy(reply);
  if (rejected) throw rejected;
  const fields = reply as Partial<Record<keyof CheckReply, unknown>>;
  const wellFormed =
    (fields.decision === 'ALLOW' || fields.decision === 'BLOCK') &&
    (fields.reservationId === null || typeof fields.reservationId === 'string') &&
    typeof fields.reason === 'string' &&
    typeof fields.paused === 'boolean' &&
    strings(fields.blockedBy) &&
    strings(fields.warnings) &&
    Array.isArray(fields.budgets);
  if (!wellFormed) throw new CheckRejected('BAD_REPLY', `the reply on ${subject} is not a check reply: ${bytes.slice(0, 200)}`);
  return { ...(fields as Omit<CheckReply, 'spanId' | 'unavailable'>), spanId, unavailable: false };
}

/** The reply of a release: whether a reservation was let go (false when it was settled or expired already). */
export function parseReleaseReply(subject: string, bytes: string): { released: boolean } {
  const reply = parseJson(subject, bytes);
  const rejected = rejectedBy(reply);
  if (rejected) throw rejected;
  const released = (reply as { released?: unknown } | null)?.released;
  if (typeof released !== 'boolean') throw new CheckRejected('BAD_REPLY', `the reply on ${subject} is not a release reply: ${bytes.slice(0, 200)}`);
  return { released };
}

/** What `onUnavailable: 'allow' | 'block'` answers in place of the control plane. */
export function fallbackReply(decision: 'ALLOW' | 'BLOCK', spanId: string): CheckReply {
  return {
    decision,
    reservationId: null,
    reason: `control plane unavailable: ${decision === 'ALLOW' ? 'allowed' : 'blocked'} by onUnavailable`,
    paused: false,
    blockedBy: [],
    warnings: [],
    budgets: [],
    spanId,
    unavailable: true,
  };
}
