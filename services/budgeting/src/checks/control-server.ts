import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { Histogram, type Registry } from 'prom-client';
import { subjects, subjectWithin, type Namespace } from '@agentledger/jetstream';
import type { BudgetingDb } from '../db.js';
import type { PreCallChecks } from './check.js';
import { releaseReservation } from './reservations.js';
import { BadCheckRequest, parseCheckRequest, type CheckRequest, type ParsedCheckRequest } from './check-request.js';
import type { PriceBook } from '../prices/price-book.js';
import { AMOUNT_BOUND_TEXT, Decimal, exceedsAmountBound, formatDecimal } from '@agentledger/money';

const TENANT_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface ControlServerOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly db: BudgetingDb;
  readonly checks: PreCallChecks;
  /** Prices estimates sent in tokens (the tenant's prices, kept from the price stream, else the catalog). */
  readonly prices?: Pick<PriceBook, 'estimateCallCost'>;
  readonly clock: () => Date;
  readonly logger?: { error(msg: string, fields?: Record<string, unknown>): void };
  /** Where `agentledger_control_request_seconds{request, outcome}` is registered. */
  readonly metrics?: { readonly registry: Registry };
}

const CONTROL_REQUEST_SECONDS = 'agentledger_control_request_seconds';

function requestHistogram(registry: Registry): Histogram<'request' | 'outcome'> {
  const existing = registry.getSingleMetric(CONTROL_REQUEST_SECONDS);
  if (existing) return existing as Histogram<'request' | 'outcome'>;
  return new Histogram({
    name: CONTROL_REQUEST_SECONDS,
    help: 'Pre-call checks and releases answered, by request (check, release) and outcome (ALLOW, BLOCK, released, BAD_REQUEST, INTERNAL).',
    labelNames: ['request', 'outcome'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
}

type ErrorCode = 'BAD_REQUEST' | 'INTERNAL';
const errorReply = (code: ErrorCode, message: string) => ({ error: { code, message } });

/**
 * The agents' side of control (CONTRACT part D), request/reply in the queue group `budgeting`:
 * `finops.control.check.<tenant>` answers a decision (and a reservation), and
 * `finops.control.release.<tenant>` `{"reservationId"}` lets one go. The tenant is the subject's
 * token — what NATS permissions can pin an agent's credentials to. Every request gets an answer.
 */
export class ControlServer {
  private readonly subscriptions: Subscription[] = [];
  private readonly seconds?: Histogram<'request' | 'outcome'>;

  constructor(private readonly options: ControlServerOptions) {
    if (options.metrics) this.seconds = requestHistogram(options.metrics.registry);
  }

  start(): void {
    const { nc, ns } = this.options;
    const serve = (request: 'check' | 'release', subject: string, handle: (tenant: string, body: unknown) => Promise<unknown>) =>
      nc.subscribe(subject, {
        queue: 'budgeting',
        callback: (error, msg) => {
          if (!error) void this.answer(request, msg, handle);
        },
      });
    this.subscriptions.push(
      serve('check', subjects.controlCheck(ns, '*'), (tenant, body) => this.check(tenant, body)),
      serve('release', subjects.controlRelease(ns, '*'), (tenant, body) => this.release(tenant, body)),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.drain()));
    this.subscriptions.length = 0;
  }

  private async check(tenant: string, body: unknown): Promise<unknown> {
    const now = this.options.clock();
    return this.options.checks.check(tenant, await this.priced(tenant, parseCheckRequest(body), now), now);
  }

  /** A token estimate priced as pricing would price the call now; a model nobody prices is a BAD_REQUEST, never a guess. */
  private async priced(tenant: string, request: ParsedCheckRequest, now: Date): Promise<CheckRequest> {
    const { estimate } = request;
    if (estimate instanceof Decimal) return { ...request, estimate };
    const priced = await this.options.prices?.estimateCallCost(tenant, estimate, now);
    if (!priced) throw new BadCheckRequest(`no price for ${estimate.provider}/${estimate.model}: set one (setPrice) or send estimatedCost`);
    if (exceedsAmountBound(priced.cost)) throw new BadCheckRequest(`estimatedInputTokens, estimatedOutputTokens: priced at ${formatDecimal(priced.cost)} USD, over the bound of any amount (${AMOUNT_BOUND_TEXT})`);
    return { ...request, estimate: priced.cost };
  }

  private async release(tenant: string, body: unknown): Promise<unknown> {
    const reservationId = (body as { reservationId?: unknown } | null)?.reservationId;
    if (typeof reservationId !== 'string' || reservationId === '') throw new BadCheckRequest('reservationId: required');
    // No reservation id holds NUL (Postgres text cannot): answer as for any unknown id instead of failing the query.
    if (reservationId.includes('\u0000')) throw new BadCheckRequest('reservationId: must not contain the NUL character');
    return { released: await releaseReservation(this.options.db, tenant, reservationId) };
  }

  private async answer(request: 'check' | 'release', msg: Msg, handle: (tenant: string, body: unknown) => Promise<unknown>): Promise<void> {
    const started = process.hrtime.bigint();
    let reply: unknown;
    try {
      const tenant = subjectWithin(this.options.ns, msg.subject)?.split('.')[3] ?? '';
      if (!TENANT_TOKEN.test(tenant)) throw new BadCheckRequest(`the subject's tenant token ${JSON.stringify(tenant)} is not [A-Za-z0-9_-]{1,64}`);
      let body: unknown;
      try {
        body = JSON.parse(decoder.decode(msg.data));
      } catch {
        throw new BadCheckRequest('the request is not JSON');
      }
      reply = await handle(tenant, body);
    } catch (error) {
      if (error instanceof BadCheckRequest) reply = errorReply('BAD_REQUEST', error.message);
      else {
        this.options.logger?.error('control request failed', { subject: msg.subject, error: (error as Error)?.stack ?? String(error) });
        reply = errorReply('INTERNAL', 'the check could not be answered; try again');
      }
    }
    msg.respond(encoder.encode(JSON.stringify(reply)));
    this.seconds?.observe({ request, outcome: outcomeOf(reply) }, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

function outcomeOf(reply: unknown): string {
  const answer = reply as { decision?: string; released?: boolean; error?: { code: string } };
  if (answer.error) return answer.error.code;
  if (answer.decision) return answer.decision;
  return answer.released ? 'released' : 'not_released';
}
