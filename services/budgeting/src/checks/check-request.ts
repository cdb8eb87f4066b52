import { isDecimalString, parseDecimal, type Decimal } from '@agentledger/money';

/** A pre-call check as CONTRACT part D defines it, its defaults applied. */
export interface CheckRequest {
  readonly agentId: string;
  readonly team: string;
  readonly workflow: string;
  readonly environment: string;
  readonly estimate: Decimal;
  readonly spanId: string;
  readonly ttlSeconds: number;
}

/** A request that cannot be answered: the reply is `{"error": {"code": "BAD_REQUEST", "message"}}`. */
export class BadCheckRequest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadCheckRequest';
  }
}

export const DEFAULT_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 3600;

function optionalText(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string' || value.length > 200) throw new BadCheckRequest(`${field}: must be a string of at most 200 characters`);
  return value;
}

/** Parses and checks a request body (JSON bytes already decoded); throws BadCheckRequest naming the field. */
export function parseCheckRequest(body: unknown): CheckRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadCheckRequest('the request must be a JSON object');
  const fields = body as Record<string, unknown>;
  const agentId = optionalText(fields, 'agentId');
  if (agentId === '') throw new BadCheckRequest('agentId: required');
  let estimate: Decimal;
  if (fields.estimatedCost !== undefined && fields.estimatedCost !== null) {
    if (typeof fields.estimatedCost !== 'string' || !isDecimalString(fields.estimatedCost)) throw new BadCheckRequest('estimatedCost: must be a decimal string, e.g. "0.045"');
    estimate = parseDecimal(fields.estimatedCost);
    if (estimate.isNegative()) throw new BadCheckRequest('estimatedCost: must not be negative');
  } else if (fields.provider !== undefined || fields.model !== undefined || fields.estimatedInputTokens !== undefined) {
    // Said plainly rather than guessed: pricing tokens here needs the price stream, which budgeting does not follow yet.
    throw new BadCheckRequest('estimatedCost: required for now (estimates in tokens are not priced by the check yet)');
  } else {
    estimate = parseDecimal('0');
  }
  const ttl = fields.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) throw new BadCheckRequest(`ttlSeconds: must be a whole number from 1 to ${MAX_TTL_SECONDS}`);
  return {
    agentId,
    team: optionalText(fields, 'team'),
    workflow: optionalText(fields, 'workflow'),
    environment: optionalText(fields, 'environment') || 'production',
    estimate,
    spanId: optionalText(fields, 'spanId'),
    ttlSeconds: ttl,
  };
}
