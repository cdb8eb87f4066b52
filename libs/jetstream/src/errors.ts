/**
 * How a failure is handled by the batch consumer:
 * - `PermanentError`: retrying cannot help (bad bytes, a rule broken) → dead letter now.
 * - unavailable (the database or another dependency cannot be reached) → nak, stop fetching,
 *   probe until it answers, resume; never counts toward dead-lettering.
 * - transient (`TransientError`, a serialization failure, a deadlock, a timeout) → nak with
 *   capped backoff; never counts toward dead-lettering.
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

export type FailureKind = 'permanent' | 'unavailable' | 'transient' | 'unknown';

/**
 * PostgreSQL SQLSTATEs of a database that cannot serve us now: connection exceptions (class
 * 08), insufficient resources (class 53: too many connections, disk full, out of memory),
 * shutdown and start-up (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|53...|57P0[1-3])$/;
/** SQLSTATEs worth a retry on a live database: serialization failure, deadlock, lock not available, statement timeout. */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);
/**
 * Prisma's codes of an unreachable database (P1001 not reachable, P1002 timed out, P1008
 * socket timeout, P1017 connection closed, P2024 no pool connection in time, P2037 too many
 * connections) and of failed transactions (P2028 transaction API error, P2034 write conflict).
 */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
const TRANSIENT_PRISMA_CODES = new Set(['P2028', 'P2034']);
/** Prisma codes whose driver error says more: P2010 (raw query failed), P2039 (database error). */
const DRIVER_ERROR_PRISMA_CODES = new Set(['P2010', 'P2039']);
/** The driver adapter's kinds (`meta.driverAdapterError.cause.kind`) that mean "not now". */
const UNAVAILABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const TRANSIENT_ADAPTER_KINDS = new Set(['TransactionWriteConflict']);
/** node-postgres reports a dropped or unobtainable connection in words only. */
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i;

/** Classifies a failure by what it is made of: our own error types, SQLSTATEs, Prisma and driver codes, socket codes. */
export function classifyFailure(error: unknown): FailureKind {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    if (current instanceof TransientError) return 'transient';
    if (current instanceof PermanentError) return 'permanent';
    const kind = kindOfCodes(current);
    if (kind) return kind;
    current = (current as { cause?: unknown }).cause;
  }
  return 'unknown';
}

function kindOfCodes(error: unknown): FailureKind | undefined {
  // Prisma's initialization error (the engine could not reach the database) carries its code as `errorCode`.
  const { code: ownCode, errorCode } = error as { code?: unknown; errorCode?: unknown };
  const code = typeof ownCode === 'string' ? ownCode : errorCode;
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODES.has(code) || UNAVAILABLE_PRISMA_CODES.has(code)) return 'unavailable';
    if (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_PRISMA_CODES.has(code)) return 'transient';
    if (DRIVER_ERROR_PRISMA_CODES.has(code)) return kindOfDriverError((error as { meta?: { driverAdapterError?: unknown } }).meta?.driverAdapterError);
  }
  const name = (error as { name?: unknown }).name;
  if (name === 'DriverAdapterError') return kindOfDriverError(error);
  if (name === 'TimeoutError' || name === 'ConnectionError' || name === 'RequestError') return 'transient';
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return 'unavailable';
  return undefined;
}

/** A Prisma 7 driver adapter error: `{ cause: { kind, originalCode?, code? } }`, the SQLSTATE in `originalCode` or `code`. */
function kindOfDriverError(driverError: unknown): FailureKind | undefined {
  const cause = (driverError as { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } } | undefined)?.cause;
  if (!cause) return undefined;
  if (typeof cause.kind === 'string') {
    if (UNAVAILABLE_ADAPTER_KINDS.has(cause.kind)) return 'unavailable';
    if (TRANSIENT_ADAPTER_KINDS.has(cause.kind)) return 'transient';
  }
  const sqlState = typeof cause.originalCode === 'string' ? cause.originalCode : typeof cause.code === 'string' ? cause.code : undefined;
  if (sqlState === undefined) return undefined;
  if (UNAVAILABLE_SQLSTATE.test(sqlState)) return 'unavailable';
  if (TRANSIENT_SQLSTATES.has(sqlState)) return 'transient';
  return undefined;
}

/** Worth a retry: the dependency is unreachable, or the attempt lost a race. */
export function isTransient(error: unknown): boolean {
  const kind = classifyFailure(error);
  return kind === 'transient' || kind === 'unavailable';
}

/** The database (or another dependency) cannot serve us now: stop fetching until it answers again. */
export function isUnavailable(error: unknown): boolean {
  return classifyFailure(error) === 'unavailable';
}

export function isPermanent(error: unknown): error is PermanentError {
  return error instanceof PermanentError;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
