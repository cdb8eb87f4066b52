import { jest } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { startService, type RunningService } from '@agentledger/service-kit';
import { createTestBus, eventually, type TestBus } from '@agentledger/testing';
import { gatewayService } from '../src/gateway.service.js';

// The alerts subscription end to end but for budgeting: `alert.raised` CloudEvents published on
// the real JetStream subject as budgeting publishes them, received over graphql-ws from the real gateway.

const KEYS = { viewerA: 'alerts-viewer-a', adminB: 'alerts-admin-b' };
const SUBSCRIPTION = 'subscription { alerts { id kind budgetId threshold agentId spent limit periodStart message at } }';

interface Received {
  readonly alerts: Array<Record<string, unknown>>;
  readonly errors: unknown[];
}

function subscribe(port: number, key: string): { client: Client; received: Received } {
  const received: Received = { alerts: [], errors: [] };
  const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${key}` } });
  client.subscribe(
    { query: SUBSCRIPTION },
    {
      next: (value) => void (value.errors ? received.errors.push(...value.errors) : received.alerts.push((value.data as { alerts: Record<string, unknown> }).alerts)),
      error: (error) => void received.errors.push(error),
      complete: () => undefined,
    },
  );
  return { client, received };
}

const alertOf = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  kind: 'BUDGET_THRESHOLD',
  budgetId: 'budget-1',
  threshold: 80,
  agentId: null,
  spent: '12.0580923000000000001',
  limit: '15',
  periodStart: '2026-12-01T18:15:00.000Z',
  message: `Budget budget-1 (team support, day) reached 80%: ${id}`,
  at: '2026-12-02T10:00:00.000Z',
  ...overrides,
});

const cloudEvent = (data: object, type = 'alert.raised') => ({ specversion: '1.0', id: (data as { id?: string }).id ?? 'x', source: 'agentledger://budgeting', type, time: '2026-12-02T10:00:00.000Z', datacontenttype: 'application/json', data });

jest.setTimeout(20_000);

describe('the alerts subscription over graphql-ws', () => {
  let bus: TestBus;
  let gateway: RunningService<undefined>;
  const clients: Client[] = [];
  const logged: Array<{ level: string; msg: string; reason?: string }> = [];
  const feed = () => gateway.workers.find((worker) => worker.name === 'alert feed') as unknown as { listening(tenant: string): number };

  beforeAll(async () => {
    bus = await createTestBus();
    const env = { NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, AGENTLEDGER_API_KEYS: `${KEYS.viewerA}=tenantA:viewer,${KEYS.adminB}=tenantB:admin`, LOG_LEVEL: 'warn' };
    // Published before the gateway starts: not new, so never streamed.
    await publish('tenantA', cloudEvent(alertOf('before-start')));
    gateway = await startService(gatewayService, { env, port: 0, logWrite: (line) => void logged.push(JSON.parse(line)) });
  });

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await gateway?.stop();
    await bus?.cleanup();
  });

  async function publish(tenant: string, event: unknown, msgID?: string): Promise<void> {
    const body = typeof event === 'string' ? event : JSON.stringify(event);
    await bus.publisher.publish(subjects.alert(bus.ns, tenant), new TextEncoder().encode(body), msgID ? { msgID } : {});
  }

  /** A subscriber of the key's tenant, once the gateway counts it among that tenant's listeners. */
  async function subscriber(key: string, tenant: string): Promise<{ client: Client; received: Received }> {
    const before = feed().listening(tenant);
    const subscription = subscribe(gateway.port, key);
    clients.push(subscription.client);
    await eventually(async () => feed().listening(tenant) === before + 1, 10_000, `the ${tenant} subscription to start`);
    return subscription;
  }

  it("streams each subscriber its own tenant's alerts only, every field as published", async () => {
    const a = await subscriber(KEYS.viewerA, 'tenantA');
    const b = await subscriber(KEYS.adminB, 'tenantB');

    const a1 = alertOf('a-1');
    const b1 = alertOf('b-1', { kind: 'BUDGET_EXCEEDED', threshold: 100, spent: '15.0000001', budgetId: 'budget-b' });
    const a2 = alertOf('a-2', { kind: 'SPEND_ANOMALY', budgetId: null, threshold: null, agentId: 'support-bot', spent: null, limit: null, periodStart: null, message: 'support-bot spends 9× its baseline' });
    await publish('tenantA', cloudEvent(a1));
    await publish('tenantB', cloudEvent(b1));
    await publish('tenantA', cloudEvent(a2));
    await publish('tenantC', cloudEvent(alertOf('c-1')));

    await eventually(async () => a.received.alerts.length === 2 && b.received.alerts.length === 1, 10_000, 'the alerts');
    await new Promise((resolve) => setTimeout(resolve, 300)); // nothing else arrives
    expect(a.received.alerts).toEqual([a1, a2]);
    expect(b.received.alerts).toEqual([b1]);
    expect([...a.received.errors, ...b.received.errors]).toEqual([]);
  });

  it('streams the inventory’s AGENT_DISCOVERED alerts as it publishes them, with budgeting’s', async () => {
    const { received } = await subscriber(KEYS.viewerA, 'tenantA');
    const discovered = alertOf('agent-discovered:shadow-gpt', {
      kind: 'AGENT_DISCOVERED',
      budgetId: null,
      threshold: null,
      agentId: 'shadow-gpt',
      spent: null,
      limit: null,
      periodStart: null,
      message: 'Unregistered agent "shadow-gpt" (team marketing) started sending events at 2026-12-02T09:00:00.000Z: register it with its owner and lifecycle, or stop it.',
      at: '2026-12-02T09:00:00.000Z',
    });
    await publish('tenantA', { ...cloudEvent(discovered), source: 'agentledger://inventory' });
    await publish('tenantA', cloudEvent(alertOf('after-discovery')));
    await eventually(async () => received.alerts.length === 2, 10_000, 'both alerts');
    expect(received.alerts).toEqual([discovered, alertOf('after-discovery')]);
    expect(received.errors).toEqual([]);
  });

  it('logs and skips a malformed message, ignores other event types, and goes on', async () => {
    const { received } = await subscriber(KEYS.viewerA, 'tenantA');
    await publish('tenantA', '{not json');
    await publish('tenantA', cloudEvent(alertOf('bad-money', { spent: 12.5 })));
    await publish('tenantA', cloudEvent(alertOf('bad-time', { at: 'yesterday' })));
    await publish('tenantA', cloudEvent({ id: 'r-1' }, 'alert.resolved'));
    await publish('tenantA', cloudEvent(alertOf('good')));

    await eventually(async () => received.alerts.length === 1, 10_000, 'the good alert');
    expect(received.alerts.map((alert) => alert.id)).toEqual(['good']);
    const ignored = logged.filter((line) => line.msg.startsWith('alert ignored')).map((line) => line.reason);
    expect(ignored).toEqual(['not JSON', 'data: spent missing or of the wrong type', 'data: at missing or of the wrong type']);
  });

  it('stops listening when the client unsubscribes', async () => {
    const { client } = await subscriber(KEYS.adminB, 'tenantB');
    const listening = feed().listening('tenantB');
    await client.dispose();
    await eventually(async () => feed().listening('tenantB') === listening - 1, 10_000, 'the subscription to end');
  });

  it('resumes after a reconnect and a lost consumer, with no alert skipped or repeated', async () => {
    const { received } = await subscriber(KEYS.adminB, 'tenantB');
    await publish('tenantB', cloudEvent(alertOf('before-reconnect')));
    await eventually(async () => received.alerts.length === 1, 10_000, 'the first alert');

    // The server forgets the consumer (as a restarted server forgets a memory consumer), and the gateway reconnects.
    const stream = streamIn(bus.ns, STREAMS.alerts.name);
    const consumerNames = async () => {
      const names: string[] = [];
      for await (const consumer of bus.jsm.consumers.list(stream)) names.push(consumer.name);
      return names;
    };
    const [lost, ...others] = await consumerNames();
    expect(others).toEqual([]); // one consumer for the whole gateway, whatever the number of subscribers
    await bus.jsm.consumers.delete(stream, lost!);
    await gateway.context.nc.reconnect();
    await publish('tenantB', cloudEvent(alertOf('while-gone')));
    await publish('tenantB', cloudEvent(alertOf('after-reconnect')));

    await eventually(async () => received.alerts.length >= 3, 30_000, 'the alerts after the reconnect');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.alerts.map((alert) => alert.id)).toEqual(['before-reconnect', 'while-gone', 'after-reconnect']);
    const recreated = await consumerNames();
    expect(recreated).toHaveLength(1);
    expect(recreated).not.toContain(lost);
  }, 40_000);
});
