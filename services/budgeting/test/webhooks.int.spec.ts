import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { pricedCostCodec, setBudgetCommand, type AlertView } from '@agentledger/contracts';
import { JetStreamAggregateStore } from '@agentledger/event-sourcing';
import { STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { checkedRequest, OutboxRelay, prismaAdapter, type ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, createTestProjection, eventually, type TestBus, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { budgetEventCodec } from '../src/budgets/budget-wire.js';
import { budgetsProjection } from '../src/budgets/budgets.projection.js';
import { handleSetBudget, type BudgetCommandDeps } from '../src/budgets/set-budget.handler.js';
import { spendProjection } from '../src/spend/spend.projection.js';
import { webhookDeliveriesProjection } from '../src/webhooks/webhook-deliveries.projection.js';
import { WebhookDeliveryWorker, type WebhookDeliveryOptions } from '../src/webhooks/webhook-delivery.worker.js';
import { pruneHistory } from '../src/retention/prune-history.js';
import { pricedCost } from './priced-costs.js';
import { publishedAlerts } from './published-alerts.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
// The scenario as it stands: the webhook is down for 30 s (15 s refusing connections, 15 s
// answering 503), then up.
const REFUSING_MS = 15_000;
const DOWN_MS = 30_000;
const SECRET = 'T0001/B0001/secret-token';
const SIGNING_SECRET = 'whsec-test-only';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
  readonly raw: string;
  readonly answered: number;
  readonly at: number;
}

/** A webhook receiver on a port of its own: not listening, then 503, then 200 — each request recorded. */
class FlakyReceiver {
  readonly received: Received[] = [];
  private readonly server: Server;
  private up = false;
  private port = 0;

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const answered = this.up ? 200 : 503;
        const raw = Buffer.concat(chunks).toString('utf8');
        this.received.push({ headers: request.headers, body: JSON.parse(raw), raw, answered, at: Date.now() });
        response.writeHead(answered, { 'Content-Type': 'text/plain' }).end(this.up ? 'ok' : 'down\nfor now');
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/${SECRET}`;
  }

  /** Picks a free port and leaves it closed: connections are refused until `listen`. */
  async reservePort(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
  }

  comeUp(): void {
    this.up = true;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A webhook that accepts connections and never answers. */
async function hangingReceiver(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = createServer(() => void requests++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dead`,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

interface DeliveryRow {
  alert_id: string;
  url: string;
  payload: Record<string, unknown>;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  delivered_at: Date | null;
  failed_at: Date | null;
}

describe('webhooks (real NATS JetStream + PostgreSQL + HTTP)', () => {
  const clock = () => new Date();
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let secondReplicaDb: PrismaClient;
  let runners: Array<ProjectionRunner<unknown, never>>;
  let deps: BudgetCommandDeps;
  let workers: WebhookDeliveryWorker[] = [];
  const live = new FlakyReceiver();
  let dead: Awaited<ReturnType<typeof hangingReceiver>>;
  const registry = new Registry();
  const logs: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const logger = {
    info: (msg: string, fields?: Record<string, unknown>) => void logs.push({ level: 'info', msg, fields }),
    warn: (msg: string, fields?: Record<string, unknown>) => void logs.push({ level: 'warn', msg, fields }),
    error: (msg: string, fields?: Record<string, unknown>) => void logs.push({ level: 'error', msg, fields }),
  };
  const workerOptions = (db: PrismaClient, overrides: Partial<WebhookDeliveryOptions> = {}): WebhookDeliveryOptions => ({
    db,
    logger,
    metrics: { registry },
    timeoutMs: 1_000,
    pollMs: 100,
    concurrency: 4,
    firstRetryMs: 200,
    maxRetryMs: 2_000,
    // The receivers listen on 127.0.0.1, which a deployment refuses by default.
    allowPrivateNetworks: true,
    secret: SIGNING_SECRET,
    ...overrides,
  });

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    secondReplicaDb = new PrismaClient({ adapter: prismaAdapter({ connectionString: schema.connectionString, schema: schema.schema }) });
    const outbox = new OutboxRelay({ db: schema.db, publisher: bus.publisher });
    const reactions = { ns: bus.ns, clock };
    runners = [
      (await createTestProjection(bus, schema.db, 'budgeting', spendProjection(reactions) as never, undefined, outbox)) as never,
      (await createTestProjection(bus, schema.db, 'budgeting', budgetsProjection(reactions) as never, undefined, outbox)) as never,
      (await createTestProjection(bus, schema.db, 'budgeting', webhookDeliveriesProjection({ ns: bus.ns, clock, logger }) as never)) as never,
    ];
    const store = new JetStreamAggregateStore({ js: bus.js, jsm: bus.jsm, publisher: bus.publisher, stream: streamIn(bus.ns, STREAMS.budgets.name), codec: budgetEventCodec });
    let ids = 0;
    deps = { store, db: schema.db, ns: bus.ns, clock, newId: () => `budget-${++ids}` };
    await live.reservePort();
    dead = await hangingReceiver();
  });

  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    for (const runner of runners) await runner.stop();
    await live.close();
    await dead?.close();
    await secondReplicaDb.$disconnect();
    await schema.cleanup();
    await bus.cleanup();
  });

  const caughtUp = async () => {
    for (const runner of runners) await runner.caughtUp();
  };
  const budgetAlerts = async () => (await publishedAlerts(bus)).filter((alert) => alert.type === 'alert.raised' && alert.data.budgetId);
  const setBudget = (args: Record<string, unknown>) => handleSetBudget(deps, checkedRequest(setBudgetCommand, { tenant: 'acme', actor: 'key:admin', args }));
  const publishCost = (id: string, amount: string, team: string) =>
    bus.publisher.publish(subjects.cost(bus.ns, 'acme', 'priced'), pricedCostCodec.encode(pricedCost('acme', id, amount, new Date().toISOString(), undefined, team)), { msgID: id });
  const deliveries = () =>
    schema.db.$queryRawUnsafe<DeliveryRow[]>('SELECT alert_id, url, payload, attempts, next_attempt_at, last_error, delivered_at, failed_at FROM webhook_delivery ORDER BY alert_id');
  const outcomes = async () => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'agentledger_webhook_deliveries_total');
    return Object.fromEntries((metric?.values ?? []).map((value) => [value.labels.outcome, value.value]));
  };

  it('webhook down 30 s then up: every alert delivered, each id once with its text; a dead webhook blocks nothing; a redelivered alert makes no second row', async () => {
    const downSince = Date.now();
    const listening = new Promise<void>((resolve) => setTimeout(() => void live.listen().then(resolve), REFUSING_MS));
    const upAt = new Promise<number>((resolve) =>
      setTimeout(() => {
        live.comeUp();
        resolve(Date.now());
      }, DOWN_MS),
    );

    await publishCost('support-1', '10', 'support');
    for (const runner of runners) runner.start();
    // Two replicas of the worker on their own connections, sharing the queue.
    workers = [new WebhookDeliveryWorker(workerOptions(schema.db)), new WebhookDeliveryWorker(workerOptions(secondReplicaDb))];
    for (const worker of workers) worker.start();
    await caughtUp();

    const liveBudget = await setBudget({ name: 'Support', scope: 'TEAM', scopeId: 'support', period: 'DAY', limit: '10', webhookUrl: live.url }); // 50, 80, 100
    const deadBudget = await setBudget({ scope: 'TEAM', scopeId: 'support', period: 'DAY', limit: '20', thresholds: [25, 50], webhookUrl: dead.url }); // 25, 50
    await setBudget({ scope: 'TEAM', scopeId: 'support', period: 'DAY', limit: '10' }); // 50, 80, 100: no webhook, no delivery
    const research = await setBudget({ scope: 'TEAM', scopeId: 'research', period: 'DAY', limit: '100', thresholds: [10], webhookUrl: live.url });
    await caughtUp();
    await publishCost('research-1', '15', 'research'); // raised by the spend projection
    await caughtUp();
    await eventually(async () => (await budgetAlerts()).length === 9, 10_000, 'the nine alerts');
    await caughtUp();
    const alerts = await budgetAlerts();
    const liveAlerts = alerts.filter((alert) => alert.data.budgetId === liveBudget.id || alert.data.budgetId === research.id);
    const deadAlerts = alerts.filter((alert) => alert.data.budgetId === deadBudget.id);
    expect([liveAlerts.length, deadAlerts.length]).toEqual([4, 2]);

    // The same alert published again (past JetStream's duplicate window: another msgID), an
    // anomaly alert without a budget, and another type: no new row.
    await bus.publisher.publish(subjects.alert(bus.ns, 'acme'), new TextEncoder().encode(JSON.stringify(liveAlerts[0])), { msgID: 'republished' });
    const anomaly = { specversion: '1.0', id: 'anomaly-1', type: 'alert.raised', source: 'test', data: { id: 'anomaly-1', kind: 'SPEND_ANOMALY', budgetId: null, agentId: 'support-bot', message: 'spend surge', at: new Date().toISOString() } };
    await bus.publisher.publish(subjects.alert(bus.ns, 'acme'), new TextEncoder().encode(JSON.stringify(anomaly)), { msgID: 'anomaly-1' });
    await bus.publisher.publish(subjects.alert(bus.ns, 'acme'), new TextEncoder().encode(JSON.stringify({ ...anomaly, id: 'other', type: 'alert.cleared' })), { msgID: 'other' });
    await caughtUp();
    const queued = await deliveries();
    expect(queued.map((row) => [row.alert_id, row.url]).sort()).toEqual(
      [...liveAlerts.map((alert) => [alert.id, live.url]), ...deadAlerts.map((alert) => [alert.id, dead.url])].sort(),
    );
    expect(Date.now() - downSince).toBeLessThan(REFUSING_MS); // every alert met the webhook down

    await listening;
    const up = await upAt;
    await eventually(async () => (await deliveries()).filter((row) => row.delivered_at).length === 4, 20_000, 'the four live deliveries');
    const rows = await deliveries();
    const liveRows = rows.filter((row) => row.url === live.url);
    const deadRows = rows.filter((row) => row.url === dead.url);

    // Delivered soon after the webhook came up (the backoff is capped at 2 s), though the dead one still hangs.
    const deliveredAt = liveRows.map((row) => row.delivered_at!.getTime());
    expect(Math.min(...deliveredAt)).toBeGreaterThanOrEqual(up - 50);
    expect(Math.max(...deliveredAt) - up).toBeLessThan(5_000);
    for (const alert of liveAlerts) {
      const requests = live.received.filter((request) => request.headers['x-agentledger-alert-id'] === alert.id);
      const accepted = requests.filter((request) => request.answered === 200);
      // Exactly once accepted across the two replicas; refused and 503 before that.
      expect(accepted).toHaveLength(1);
      expect(accepted[0]!.body).toEqual({ ...alert.data, text: alert.data.message });
      expect(accepted[0]!.headers).toMatchObject({ 'idempotency-key': alert.id, 'content-type': 'application/json' });
      expect(requests.filter((request) => request.answered === 503).length).toBeGreaterThanOrEqual(1);
      const row = liveRows.find((r) => r.alert_id === alert.id)!;
      expect(row.attempts).toBeGreaterThan(requests.length); // the refused attempts never reached the server
      expect(accepted[0]!.headers['x-agentledger-attempt']).toBe(String(row.attempts));
      // Signed over the exact bytes sent: t=<unix seconds>,v1=<HMAC-SHA256 of "<t>.<body>">.
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(accepted[0]!.headers['x-agentledger-signature']))!;
      expect(v1).toBe(createHmac('sha256', SIGNING_SECRET).update(`${t}.${accepted[0]!.raw}`).digest('hex'));
      expect(row).toMatchObject({ last_error: 'HTTP 503: down for now', next_attempt_at: null, failed_at: null });
    }
    expect(liveAlerts.find((alert) => alert.data.threshold === 100)!.data.message).toBe('Budget "Support" (team support, day) is exceeded: spent 10 of 10 USD');

    // The dead webhook: still retried, its last error kept, nothing delivered.
    expect(deadRows).toHaveLength(2);
    for (const row of deadRows) {
      expect(row).toMatchObject({ delivered_at: null, failed_at: null, last_error: 'timed out after 1000 ms' });
      expect(row.attempts).toBeGreaterThanOrEqual(3);
    }
    expect(dead.requests()).toBeGreaterThanOrEqual(6);

    // Each failure logged with its reason, the webhook by its origin only (its path is a secret).
    const reasons = new Set(logs.filter((line) => line.level === 'warn').map((line) => line.fields?.reason));
    expect(reasons).toEqual(new Set(['connection failed: ECONNREFUSED', 'HTTP 503: down for now', 'timed out after 1000 ms']));
    expect(JSON.stringify(logs)).not.toContain(SECRET);
    expect(await outcomes()).toMatchObject({ delivered: 4, failed: 0 });
  }, 90_000);

  it('gives a delivery up once its retry window is over, its last error kept; the delivered ones stay as they are', async () => {
    for (const worker of workers) await worker.stop();
    const before = await deliveries();
    // Rows older than 1 s: the next failed attempt of each dead one is its last.
    workers = [new WebhookDeliveryWorker(workerOptions(schema.db, { retryForMs: 1_000 }))];
    workers[0]!.start();
    await eventually(async () => (await deliveries()).filter((row) => row.failed_at).length === 2, 10_000, 'the two dead deliveries given up');
    const after = await deliveries();
    for (const row of after.filter((r) => r.url === dead.url)) {
      const earlier = before.find((r) => r.alert_id === row.alert_id)!;
      expect(row).toMatchObject({ delivered_at: null, next_attempt_at: null, last_error: 'timed out after 1000 ms', attempts: earlier.attempts + 1 });
    }
    expect(after.filter((r) => r.url === live.url)).toEqual(before.filter((r) => r.url === live.url));
    expect(await outcomes()).toMatchObject({ delivered: 4, failed: 2 });
    const given = logs.filter((line) => line.level === 'error' && line.msg === 'webhook delivery failed for good');
    expect(given.map((line) => line.fields?.reason)).toEqual(['timed out after 1000 ms', 'timed out after 1000 ms']);
  }, 30_000);

  it('a rebuild replays the alerts into the same rows: nothing sent again, not even to a webhook set since', async () => {
    const before = await deliveries();
    const accepted = live.received.filter((request) => request.answered === 200).length;
    const [liveRow] = before.filter((row) => row.url === live.url);
    const { budgetId } = liveRow!.payload as { budgetId: string };
    const budget = await schema.db.budget.findUniqueOrThrow({ where: { tenant_budgetId: { tenant: 'acme', budgetId } } });
    await setBudget({ id: budgetId, name: budget.name, scope: budget.scope, scopeId: budget.scopeId, period: budget.period, limit: budget.limit.toString(), webhookUrl: dead.url });
    await caughtUp();
    await runners[2]!.rebuild();
    await new Promise((resolve) => setTimeout(resolve, 500)); // a poll or two of the worker
    expect(await deliveries()).toEqual(before);
    expect(live.received.filter((request) => request.answered === 200)).toHaveLength(accepted);
  }, 30_000);

  it('an alert met more than the retry window after it was raised is recorded as failed, never sent', async () => {
    // An alert of a budget whose webhook is still the live one (the rebuild test moved the other's).
    const liveBudgets = await schema.db.budget.findMany({ where: { tenant: 'acme', webhookUrl: live.url }, select: { budgetId: true } });
    const liveRow = (await deliveries()).find((row) => liveBudgets.some((budget) => budget.budgetId === (row.payload as { budgetId: string }).budgetId));
    const raised = new Date(Date.now() - 25 * 3_600_000).toISOString();
    const stale = { ...(liveRow!.payload as unknown as AlertView), id: 'stale-1', at: raised };
    const event = { specversion: '1.0', id: stale.id, source: 'agentledger://budgeting', type: 'alert.raised', time: raised, data: stale };
    const accepted = live.received.length;
    await bus.publisher.publish(subjects.alert(bus.ns, 'acme'), new TextEncoder().encode(JSON.stringify(event)), { msgID: 'stale-1' });
    await caughtUp();
    await new Promise((resolve) => setTimeout(resolve, 500)); // a poll or two of the worker
    const row = (await deliveries()).find((r) => r.alert_id === 'stale-1');
    expect(row).toMatchObject({
      url: live.url,
      attempts: 0,
      next_attempt_at: null,
      delivered_at: null,
      last_error: 'not sent: raised more than 24 h before it reached the delivery queue',
      payload: { ...stale, text: stale.message },
    });
    expect(row!.failed_at).toBeInstanceOf(Date);
    expect(live.received).toHaveLength(accepted);
  }, 30_000);

  it('retention forgets deliveries delivered or failed before the cut-off and old agent hours, and keeps the rest', async () => {
    const now = new Date();
    const days = (n: number) => new Date(now.getTime() - n * 86_400_000);
    await schema.query(
      `INSERT INTO webhook_delivery (tenant, alert_id, url, payload, attempts, next_attempt_at, delivered_at, failed_at, created_at) VALUES
        ('old', 'delivered-long-ago', 'https://example.com/a', '{}', 1, NULL, $1, NULL, $1),
        ('old', 'failed-long-ago', 'https://example.com/a', '{}', 9, NULL, NULL, $1, $1),
        ('old', 'delivered-lately', 'https://example.com/a', '{}', 1, NULL, $2, NULL, $2),
        ('old', 'still-pending', 'https://example.com/a', '{}', 3, $3, NULL, NULL, $1)`,
      [days(31), days(29), now],
    );
    await schema.query(
      `INSERT INTO agent_hour (tenant, agent_id, hour_start, cost, calls, retries) VALUES ('old', 'bot', $1, 1, 1, 0), ('old', 'bot', $2, 1, 1, 0)`,
      [days(31), days(2)],
    );
    expect(await pruneHistory(schema.db, now, 30)).toEqual({ deliveries: 2, agentHours: 1 });
    expect((await schema.query<{ alert_id: string }>(`SELECT alert_id FROM webhook_delivery WHERE tenant = 'old' ORDER BY alert_id`)).map((row) => row.alert_id)).toEqual([
      'delivered-lately',
      'still-pending',
    ]);
    expect(await schema.query(`SELECT count(*)::int AS n FROM agent_hour WHERE tenant = 'old'`)).toEqual([{ n: 1 }]);
    expect(await pruneHistory(schema.db, now, 30)).toEqual({ deliveries: 0, agentHours: 0 });
  });
});
