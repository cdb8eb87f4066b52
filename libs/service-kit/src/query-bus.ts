import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { checkArgs, describeIssues, type ArgsInputOf, type ArgsOf, type Contract, type ResultOf } from '@agentledger/contracts';
import { classifyFailure, subjects, type Namespace } from '@agentledger/jetstream';
import { instrumented, type HandlerMetrics, type QueryLogger } from './handler-instrumentation.js';
import { QueryError, type QueryErrorCode } from './query-error.js';
import { QueryLimiter, type QueryLimits } from './query-limiter.js';

export { QueryError, type QueryErrorCode };

/** The wire envelope of a query or a command; `args` as its contract's schema parsed them. */
export interface QueryRequest<A = unknown> {
  /** Decided by the gateway from the API key, never by the caller. */
  readonly tenant: string;
  readonly args: A;
  /** Who asks (API key id), for audit trails. */
  readonly actor?: string;
}

type QueryReply = { ok: true; result: unknown } | { ok: false; error: { code: QueryErrorCode; message: string } };

/** Answers one contract: receives the request with parsed, typed args. */
export type ContractHandler<C extends Contract> = (request: QueryRequest<ArgsOf<C>>) => Promise<ResultOf<C>>;

/** The subject a contract is answered on: `finops.query.…` or `finops.command.…`. */
export function subjectOf(ns: Namespace, contract: Contract): string {
  return contract.kind === 'command' ? subjects.command(ns, contract.service, contract.name) : subjects.query(ns, contract.service, contract.name);
}

export interface QueryServerOptions {
  readonly logger?: QueryLogger;
  /** Where the handler-duration histogram lives (the service's registry). */
  readonly metrics?: HandlerMetrics;
  /** The cap on queries answered at once (commands are not capped); the default without. */
  readonly limits?: QueryLimits;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** NATS's default max payload, when the server did not say. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** Answers above this many bytes travel gzipped (`Content-Encoding: gzip`): JSON lists shrink about tenfold. */
const COMPRESS_ABOVE = 64 * 1024;
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The caller asked for more than one reply can carry: its own input decides the size (a wider
 * window, a finer bucket, a grouping with more keys), so it is told so as bad input, with the
 * figures, and can narrow the question.
 */
function tooLarge(contract: Contract, bytes: number, limit: number): QueryError {
  const size = Number.isFinite(bytes) ? `${bytes} bytes` : 'too many bytes to count';
  return new QueryError('BAD_USER_INPUT', `the answer to ${contract.name} is too large (${size}, at most ${limit}): ask for a shorter window, a coarser bucket or a narrower filter`);
}

/**
 * Serves a service's queries and commands over NATS request/reply, each registered by its
 * contract (`finops.query.<service>.<name>` or `finops.command.<service>.<name>`), in a queue
 * group so replicas share the load. Arguments are parsed by the contract's schema before the
 * handler runs; every handler is timed and its failures logged in one place. Payloads are
 * JSON; money stays a string.
 */
export class QueryServer {
  private readonly subscriptions: Subscription[] = [];
  private readonly limiter: QueryLimiter;

  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly service: string,
    private readonly options: QueryServerOptions = {},
  ) {
    this.limiter = new QueryLimiter(service, options.limits);
  }

  /** Queries running and waiting for a turn now. */
  get load(): { running: number; waiting: number } {
    return this.limiter.load;
  }

  handle<C extends Contract>(contract: C, handler: ContractHandler<C>): this {
    if (contract.service !== this.service) throw new Error(`${this.service} cannot serve ${contract.service}.${contract.name}`);
    const answer = instrumented(contract, (request: QueryRequest) => this.parsed(contract, request, handler), this.options);
    const subscription = this.nc.subscribe(subjectOf(this.ns, contract), {
      queue: this.service,
      callback: (error, msg) => {
        if (error) return;
        this.reply(contract, msg, answer).catch((failure: unknown) => {
          // Never an unhandled rejection: that would take the whole service down for one caller.
          this.options.logger?.error('reply failed', { query: contract.name, error: String(failure) });
        });
      },
    });
    this.subscriptions.push(subscription);
    return this;
  }

  /**
   * The handler's answer as the bytes of its reply — gzipped when large — within what NATS
   * carries (so a too-large one is timed as the error it is).
   */
  private async parsed<C extends Contract>(contract: C, request: QueryRequest, handler: ContractHandler<C>): Promise<Encoded> {
    const checked = checkedRequest(contract, request);
    const answer = () => handler(checked).catch((error: unknown) => Promise.reject(asQueryError(this.service, contract, error)));
    const result = contract.kind === 'query' ? await this.limiter.run(answer) : await answer();
    const json = encoder.encode(JSON.stringify({ ok: true, result } satisfies QueryReply));
    if (json.length <= COMPRESS_ABOVE) return { payload: json };
    // On the thread pool: a few MB of JSON would hold the event loop for tens of milliseconds.
    return { payload: this.bounded(contract, await gzipAsync(json), json.length), gzipped: true };
  }

  private async reply(contract: Contract, msg: Msg, answer: (request: QueryRequest) => Promise<Encoded>): Promise<void> {
    let encoded: Encoded;
    try {
      encoded = await answer(requestOf(msg));
    } catch (error) {
      encoded = { payload: encoder.encode(JSON.stringify(this.failureOf(contract, error))) };
    }
    if (encoded.gzipped) {
      const gzipped = headers();
      gzipped.set(CONTENT_ENCODING, 'gzip');
      msg.respond(encoded.payload, { headers: gzipped });
    } else {
      msg.respond(encoded.payload);
    }
  }

  private failureOf(contract: Contract, error: unknown): QueryReply {
    if (error instanceof QueryError) return { ok: false, error: { code: error.code, message: error.message } };
    // A result too big to even become one string (V8's limit) is a too-large answer too.
    if (error instanceof RangeError && /string length/i.test(error.message)) return this.failureOf(contract, tooLarge(contract, Number.POSITIVE_INFINITY, this.maxPayload()));
    return { ok: false, error: { code: 'INTERNAL', message: `${this.service}.${contract.name} failed` } };
  }

  /** An answer NATS cannot carry even gzipped is refused as too large, naming its size, instead of failing to send. */
  private bounded(contract: Contract, payload: Uint8Array, jsonBytes: number): Uint8Array {
    const limit = this.maxPayload();
    if (payload.length <= limit) return payload;
    this.options.logger?.error('query failed', { query: contract.name, error: `answer of ${jsonBytes} bytes (${payload.length} gzipped) over the ${limit} bytes NATS carries` });
    throw tooLarge(contract, jsonBytes, limit);
  }

  private maxPayload(): number {
    return this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.drain()));
    this.subscriptions.length = 0;
  }
}

/**
 * A database failure as the caller's answer: a query that ran past the query pool's
 * `statement_timeout` (SQLSTATE 57014) or a database that cannot serve now is UNAVAILABLE, a
 * typed answer rather than an INTERNAL bug; anything else is left as it is.
 */
function asQueryError(service: string, contract: Contract, error: unknown): unknown {
  if (error instanceof QueryError) return error;
  if (isStatementTimeout(error)) return new QueryError('UNAVAILABLE', `${service}.${contract.name} ran longer than the statement timeout; narrow the question or try again later`);
  if (classifyFailure(error) === 'unavailable') return new QueryError('UNAVAILABLE', `${service}.${contract.name}: the database cannot answer now`);
  return error;
}

/** SQLSTATE 57014 (query_canceled by statement_timeout), as pg, Prisma or its driver adapter wrap it. */
export function isStatementTimeout(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const { code, message, meta, originalCode } = current as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: unknown }; originalCode?: unknown };
    if (code === '57014' || originalCode === '57014') return true;
    if (typeof message === 'string' && /canceling statement due to statement timeout/i.test(message)) return true;
    current = meta?.driverAdapterError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

/** A reply's bytes, and whether they are gzipped. */
interface Encoded {
  readonly payload: Uint8Array;
  readonly gzipped?: boolean;
}

const CONTENT_ENCODING = 'Content-Encoding';

function requestOf(msg: Msg): QueryRequest {
  let request: Partial<QueryRequest>;
  try {
    request = JSON.parse(decoder.decode(msg.data)) as Partial<QueryRequest>;
  } catch {
    throw new QueryError('BAD_USER_INPUT', 'request: must be JSON');
  }
  if (typeof request?.tenant !== 'string' || request.tenant === '') throw new QueryError('BAD_USER_INPUT', 'query without tenant');
  return { tenant: request.tenant, args: request.args, ...(typeof request.actor === 'string' ? { actor: request.actor } : {}) };
}

/** A request with its args checked by the contract's schema, as a handler receives it; BAD_USER_INPUT naming each field otherwise. */
export function checkedRequest<C extends Contract>(contract: C, request: QueryRequest): QueryRequest<ArgsOf<C>> {
  // No Postgres text can hold NUL: refused here, for every query and command, it is the caller's
  // mistake (BAD_USER_INPUT) instead of a failed SQL statement (INTERNAL) or a poisoned projection.
  const withNul = nulPath(request.args, 'args');
  if (withNul) throw new QueryError('BAD_USER_INPUT', `${withNul}: must not contain the NUL character`);
  const checked = checkArgs(contract, request.args);
  if (!checked.ok) throw new QueryError('BAD_USER_INPUT', describeIssues(checked.issues));
  return { ...request, args: checked.args };
}

/** Where in a JSON value a string (or a key) holds U+0000, as `args.filter.agentId`; undefined when none does. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = Array.isArray(value) ? `${path}[${key}]` : path === 'args' ? key : `${path}.${key}`;
    if (key.includes('\u0000')) return childPath;
    const found = nulPath(child, childPath);
    if (found) return found;
  }
  return undefined;
}

/** Asks a service a query or a command by its contract; throws `QueryError` with the service's code on failure. */
export class QueryClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly timeoutMs = 10_000,
  ) {}

  async ask<C extends Contract>(contract: C, request: QueryRequest<ArgsInputOf<C>>): Promise<ResultOf<C>> {
    let msg: Msg;
    try {
      msg = await this.nc.request(subjectOf(this.ns, contract), encoder.encode(JSON.stringify(request)), { timeout: this.timeoutMs });
    } catch (error) {
      throw new QueryError('UNAVAILABLE', `${contract.service} did not answer ${contract.name}: ${(error as Error).message}`);
    }
    const data = msg.headers?.get(CONTENT_ENCODING) === 'gzip' ? await gunzipAsync(msg.data) : msg.data;
    const reply = JSON.parse(decoder.decode(data)) as QueryReply;
    if (!reply.ok) throw new QueryError(reply.error.code, reply.error.message);
    return reply.result as ResultOf<C>;
  }
}
