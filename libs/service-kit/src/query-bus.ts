import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { subjects, type Namespace } from '@agentledger/jetstream';

/** Typed failures that the gateway maps to GraphQL error codes. */
export type QueryErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'INTERNAL' | 'UNAVAILABLE';

export class QueryError extends Error {
  constructor(
    readonly code: QueryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

export interface QueryRequest {
  /** Decided by the gateway from the API key, never by the caller. */
  readonly tenant: string;
  readonly args: unknown;
  /** Who asks (API key id), for audit trails. */
  readonly actor?: string;
}

type QueryReply = { ok: true; result: unknown } | { ok: false; error: { code: QueryErrorCode; message: string } };

export type QueryHandler = (request: QueryRequest) => Promise<unknown>;

export interface QueryLogger {
  error(msg: string, fields?: Record<string, unknown>): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Serves a service's queries over NATS request/reply on `finops.query.<service>.<name>`,
 * in a queue group so replicas share the load. Payloads are JSON; money stays a string.
 */
export class QueryServer {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly service: string,
    private readonly logger?: QueryLogger,
  ) {}

  handle(name: string, handler: QueryHandler): this {
    const subscription = this.nc.subscribe(subjects.query(this.ns, this.service, name), {
      queue: this.service,
      callback: (error, msg) => {
        if (error) return;
        void this.answer(name, msg, handler);
      },
    });
    this.subscriptions.push(subscription);
    return this;
  }

  private async answer(name: string, msg: Msg, handler: QueryHandler): Promise<void> {
    let reply: QueryReply;
    try {
      const request = JSON.parse(decoder.decode(msg.data)) as QueryRequest;
      if (typeof request?.tenant !== 'string' || request.tenant === '') throw new QueryError('BAD_USER_INPUT', 'query without tenant');
      reply = { ok: true, result: await handler(request) };
    } catch (error) {
      if (error instanceof QueryError) {
        reply = { ok: false, error: { code: error.code, message: error.message } };
      } else {
        this.logger?.error('query failed', { query: name, error: (error as Error)?.stack ?? String(error) });
        reply = { ok: false, error: { code: 'INTERNAL', message: `${this.service}.${name} failed` } };
      }
    }
    msg.respond(encoder.encode(JSON.stringify(reply)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.drain()));
    this.subscriptions.length = 0;
  }
}

/** Asks a service a query; throws `QueryError` with the service's code on failure. */
export class QueryClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly timeoutMs = 10_000,
  ) {}

  async ask<T>(service: string, name: string, request: QueryRequest): Promise<T> {
    let msg: Msg;
    try {
      msg = await this.nc.request(subjects.query(this.ns, service, name), encoder.encode(JSON.stringify(request)), { timeout: this.timeoutMs });
    } catch (error) {
      throw new QueryError('UNAVAILABLE', `${service} did not answer ${name}: ${(error as Error).message}`);
    }
    const reply = JSON.parse(decoder.decode(msg.data)) as QueryReply;
    if (!reply.ok) throw new QueryError(reply.error.code, reply.error.message);
    return reply.result as T;
  }
}
