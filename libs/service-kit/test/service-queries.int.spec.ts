import { z } from 'zod';
import { jetstreamManager } from '@nats-io/jetstream';
import { defineQuery, returns } from '@agentledger/contracts';
import { connectToNats, namespaceFor } from '@agentledger/jetstream';
import { QueryClient } from '../src/query-bus.js';
import { startService, type RunningService } from '../src/service.js';

const countQuery = defineQuery({ service: 'inventory', name: 'count', args: z.object({ of: z.string() }), result: returns<number>() });

// startService wires the decorator itself: a service's handlers show up on its /metrics.
describe('a started service times its handlers on /metrics (real NATS)', () => {
  const token = `skm${Date.now().toString(36)}`;
  const ns = namespaceFor(token);
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  let running: RunningService<undefined>;

  beforeAll(async () => {
    running = await startService(
      {
        name: 'inventory',
        portVariable: 'SERVICE_KIT_TEST_PORT',
        defaultPort: 0,
        consumers: [],
        compose(context) {
          context.queries.handle(countQuery, async ({ args }) => args.of.length);
          return {};
        },
      },
      { env: { NATS_URL: natsUrl, FINOPS_NAMESPACE: token, LOG_LEVEL: 'error' }, port: 0, logWrite: () => undefined },
    );
  });

  afterAll(async () => {
    await running?.stop();
    const nc = await connectToNats({ url: natsUrl, name: 'service-kit-cleanup' });
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) if (name.startsWith(ns.streamPrefix)) await jsm.streams.delete(name);
    await nc.drain();
  });

  it('counts an answered query and a refused one by outcome', async () => {
    const client = new QueryClient(running.context.nc, ns, 2_000);
    expect(await client.ask(countQuery, { tenant: 'acme', args: { of: 'abc' } })).toBe(3);
    await expect(client.ask(countQuery, { tenant: 'acme', args: {} as { of: string } })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'of: is required' });
    const metrics = await (await fetch(`http://127.0.0.1:${running.port}/metrics`)).text();
    expect(metrics).toContain('agentledger_request_handler_seconds_count{service="inventory",kind="query",name="count",outcome="ok"} 1');
    expect(metrics).toContain('agentledger_request_handler_seconds_count{service="inventory",kind="query",name="count",outcome="BAD_USER_INPUT"} 1');
  });
});
