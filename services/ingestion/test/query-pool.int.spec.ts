import { z } from 'zod';
import { defineQuery, returns, typeToken, type EventType } from '@agentledger/contracts';
import { QueryClient, QueryError } from '@agentledger/service-kit';
import { eventually } from '@agentledger/testing';
import { validFixtures } from './fixtures.js';
import { ServiceHarness } from './service-harness.js';

// A test hook at our own port: a query that holds a query connection in pg_sleep.
const sleepQuery = defineQuery({ service: 'ingestion', name: 'testSleep', args: z.object({ seconds: z.number() }), result: returns<boolean>() });

describe('queries and projections on separate pools (real NATS + PostgreSQL)', () => {
  let harness: ServiceHarness;
  let client: QueryClient;

  beforeAll(async () => {
    // One connection each: without separate pools, one slow query would hold the projections' only one.
    harness = await ServiceHarness.start({
      DATABASE_POOL_SIZE: '1',
      DATABASE_QUERY_POOL_SIZE: '1',
      DATABASE_STATEMENT_TIMEOUT_MS: '2500',
      QUERY_CONCURRENCY: '1',
      QUERY_QUEUE_WAIT_MS: '300',
    });
    const { context } = harness.service;
    context.queries.handle(sleepQuery, async (request) => {
      await context.queryDb.$queryRawUnsafe(`SELECT pg_sleep(${request.args.seconds})::text`);
      return true;
    });
    client = new QueryClient(harness.bus.nc, harness.bus.ns, 20_000);
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('applies events while a slow query holds the query pool, refuses the query over the cap as busy, and cancels the slow one at the statement timeout', async () => {
    const started = Date.now();
    const slow = client.ask(sleepQuery, { tenant: 'acme', args: { seconds: 30 } }).then(
      () => 'answered',
      (error: unknown) => error,
    );
    await eventually(async () => harness.service.context.queries.load.running === 1, 5_000, 'the slow query to run');
    // Over the cap: waits its turn 300 ms, then is refused, typed.
    await expect(client.ask(sleepQuery, { tenant: 'acme', args: { seconds: 0 } })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'ingestion is busy: 1 queries running and no turn within 300 ms; try again shortly',
    });
    const [event] = validFixtures();
    await harness.bus.js.publish(`${harness.bus.ns.subjectPrefix}finops.in.acme.${typeToken(event!.event.type as EventType)}`, new TextEncoder().encode(JSON.stringify(event!.event)));
    await eventually(async () => (await harness.facts()).length === 1, 10_000, 'the event applied while the slow query runs');
    expect(harness.service.context.queries.load.running).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_500);

    const outcome = await slow;
    expect(outcome).toBeInstanceOf(QueryError);
    expect(outcome).toMatchObject({ code: 'UNAVAILABLE', message: 'ingestion.testSleep ran longer than the statement timeout; narrow the question or try again later' });
    expect(Date.now() - started).toBeLessThan(10_000);
    // The turn is free again, and the connection usable.
    expect(await client.ask(sleepQuery, { tenant: 'acme', args: { seconds: 0 } })).toBe(true);
  });
});
