/**
 * How a failure is handled by the batch consumer:
 * - `PermanentError`: retrying cannot help (bad bytes, a rule broken) → dead letter now.
 * - transient (`TransientError`, or a recognised infrastructure error) → nak with backoff.
 * - anything else → retried with backoff, dead-lettered after the consumer's max deliveries.
 */
export class PermanentError extends Error {
  /** A low-cardinality category for metrics, e.g. "invalid", "unpriceable". */
  readonly category: string;

  constructor(message: string, category = 'invalid', options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentError';
    this.category = category;
  }
}

export class TransientError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** PostgreSQL SQLSTATEs worth a retry: serialization, deadlock, connection, shutdown, too many clients. */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '08000', '08003', '08006', '08001', '08004', '57P01', '57P02', '57P03', '53300']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);
/** Prisma's codes for unreachable database, timeouts and failed transactions. */
const TRANSIENT_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);

export function isTransient(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof TransientError) return true;
    if (current instanceof PermanentError) return false;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code) || TRANSIENT_PRISMA_CODES.has(code))) {
      return true;
    }
    const name = (current as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'ConnectionError' || name === 'RequestError') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export function isPermanent(error: unknown): error is PermanentError {
  return error instanceof PermanentError;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
