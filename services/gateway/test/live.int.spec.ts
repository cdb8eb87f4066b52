import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startService, type RunningService } from '@agentledger/service-kit';
import { createTestBus, eventually, type TestBus } from '@agentledger/testing';
import { gatewayService } from '../src/gateway.service.js';

// The live subscription end to end but for attribution: ticks published on the real NATS as
// attribution publishes them, received over graphql-ws from the real gateway.

const KEYS = { viewerA: 'live-viewer-a', adminB: 'live-admin-b' };
const SUBSCRIPTION = 'subscription { spendPerMinute { minute totalCost } }';

interface Received {
  readonly ticks: unknown[];
  readonly errors: unknown[];
  closed?: { code: number; reason: string };
}

function subscribe(port: number, key: string | undefined, query = SUBSCRIPTION): { client: Client; received: Received } {
  const received: Received = { ticks: [], errors: [] };
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined, // a refused connection is what some tests expect
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    on: { closed: (event) => (received.closed = { code: (event as { code: number }).code, reason: (event as { reason: string }).reason }) },
  });
  client.subscribe(
    { query },
    {
      next: (value) => void (value.errors ? received.errors.push(...value.errors) : received.ticks.push(value.data)),
      error: (error) => void received.errors.push(Array.isArray(error) ? error.map((e: { message: string }) => e.message) : String((error as { code?: number }).code ?? error)),
      complete: () => undefined,
    },
  );
  return { client, received };
}

describe('spendPerMinute over graphql-ws', () => {
  let bus: TestBus;
  let gateway: RunningService<undefined>;
  let limited: RunningService<undefined>;
  const clients: Client[] = [];

  beforeAll(async () => {
    bus = await createTestBus();
    const env = { NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, AGENTLEDGER_API_KEYS: `${KEYS.viewerA}=tenantA:viewer,${KEYS.adminB}=tenantB:admin`, LOG_LEVEL: 'error' };
    gateway = await startService(gatewayService, { env, port: 0, logWrite: () => undefined });
    limited = await startService(gatewayService, { env: { ...env, GATEWAY_MAX_QUERY_FIELDS: '2' }, port: 0, logWrite: () => undefined });
  });

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await limited?.stop();
    await gateway?.stop();
    await bus?.cleanup();
  });

  const publishTick = (tenant: string, tick: object) => bus.nc.publish(`${bus.ns.subjectPrefix}finops.live.${tenant}.spend`, JSON.stringify(tick));

  it('sends each tenant its own ticks only, decimals exact', async () => {
    const a = subscribe(gateway.port, KEYS.viewerA);
    const b = subscribe(gateway.port, KEYS.adminB);
    clients.push(a.client, b.client);
    // Until both subscriptions are live, a warm-up tick (minute 10:01) is published again and again.
    await eventually(async () => {
      publishTick('tenantA', { minute: '2026-11-27T10:01:00Z', totalCost: '0' });
      publishTick('tenantB', { minute: '2026-11-27T10:01:00Z', totalCost: '0' });
      await bus.nc.flush();
      return a.received.ticks.length > 0 && b.received.ticks.length > 0;
    }, 10_000, 'the subscriptions to start');
    publishTick('tenantA', { minute: '2026-11-27T10:02:00Z', totalCost: '0.000123456789' });
    publishTick('tenantB', { minute: '2026-11-27T10:02:00Z', totalCost: '42.5' });
    publishTick('tenantA', { minute: 'not a time', totalCost: '1' });
    await bus.nc.flush();
    const at1002 = (received: Received) => received.ticks.filter((tick) => (tick as { spendPerMinute: { minute: string } }).spendPerMinute.minute !== '2026-11-27T10:01:00.000Z');
    await eventually(async () => at1002(a.received).length === 1 && at1002(b.received).length === 1, 10_000, 'the ticks');
    await new Promise((resolve) => setTimeout(resolve, 200)); // nothing else arrives
    expect(at1002(a.received)).toEqual([{ spendPerMinute: { minute: '2026-11-27T10:02:00.000Z', totalCost: '0.000123456789' } }]);
    expect(at1002(b.received)).toEqual([{ spendPerMinute: { minute: '2026-11-27T10:02:00.000Z', totalCost: '42.5' } }]);
    expect(a.received.errors).toEqual([]);
  });

  it('closes a connection without a valid key (4403 Forbidden)', async () => {
    for (const key of [undefined, 'not-a-key']) {
      const { client, received } = subscribe(gateway.port, key);
      clients.push(client);
      await eventually(async () => received.closed !== undefined, 10_000, 'the connection to close');
      expect(received.closed?.code).toBe(4403);
      expect(received.ticks).toEqual([]);
    }
  });

  it('applies the field limit to subscriptions too', async () => {
    const { client, received } = subscribe(limited.port, KEYS.viewerA, 'subscription { spendPerMinute { minute totalCost __typename } }');
    clients.push(client);
    await eventually(async () => received.errors.length > 0, 10_000, 'the refusal');
    expect(received.errors).toEqual([['The operation selects 4 fields; the limit is 2']]);
  });
});
