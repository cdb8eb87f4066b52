import { amountBoundViolation, isDecimalString, parseDecimal, type Decimal } from '@agentledger/money';

/** An estimate sent in tokens, priced by the check at the tenant's price in force (else the catalog's). */
export interface TokensToPrice {
  readonly provider: string;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** A request as parsed, before a token estimate is priced. */
export type ParsedCheckRequest = Omit<CheckRequest, 'estimate'> & { readonly estimate: Decimal | TokensToPrice };

/** A pre-call check as CONTRACT part D defines it, its defaults applied and its estimate in USD. */
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
  // Postgres text cannot hold NUL: without this the check's query fails and the agent gets INTERNAL.
  if (value.includes('\u0000')) throw new BadCheckRequest(`${field}: must not contain the NUL character`);
  return value;
}

function tokenCount(body: Record<string, unknown>, field: string): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new BadCheckRequest(`${field}: must be a whole number of tokens, 0 or more`);
  return value;
}

function requiredText(body: Record<string, unknown>, field: string, why: string): string {
  const value = optionalText(body, field);
  if (value === '') throw new BadCheckRequest(`${field}: required ${why}`);
  return value;
}

/** Parses and checks a request body (JSON bytes already decoded); throws BadCheckRequest naming the field. */
export function parseCheckRequest(body: unknown): ParsedCheckRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadCheckRequest('the request must be a JSON object');
  const fields = body as Record<string, unknown>;
  const agentId = optionalText(fields, 'agentId');
  if (agentId === '') throw new BadCheckRequest('agentId: required');
  let estimate: Decimal | TokensToPrice;
  if (fields.estimatedCost !== undefined && fields.estimatedCost !== null) {
    if (typeof fields.estimatedCost !== 'string' || !isDecimalString(fields.estimatedCost)) throw new BadCheckRequest('estimatedCost: must be a decimal string, e.g. "0.045"');
    estimate = parseDecimal(fields.estimatedCost);
    if (estimate.isNegative()) throw new BadCheckRequest('estimatedCost: must not be negative');
    // The same bound as every amount that enters (libs/money): a reservation is stored as NUMERIC(38, 18).
    const violation = amountBoundViolation(estimate);
    if (violation) throw new BadCheckRequest(`estimatedCost: ${violation}`);
  } else if ([fields.provider, fields.model, fields.estimatedInputTokens, fields.estimatedOutputTokens].some((value) => value !== undefined && value !== null)) {
    const why = 'with an estimate in tokens (or send estimatedCost)';
    estimate = {
      provider: requiredText(fields, 'provider', why),
      model: requiredText(fields, 'model', why),
      inputTokens: tokenCount(fields, 'estimatedInputTokens'),
      outputTokens: tokenCount(fields, 'estimatedOutputTokens'),
    };
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
