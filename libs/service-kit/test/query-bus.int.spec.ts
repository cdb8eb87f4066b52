import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { Registry } from 'prom-client';
import { defineCommand, defineQuery, returns } from '@agentledger/contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectToNats, namespaceFor, type Namespace } from '@agentledger/jetstream';
import pg from 'pg';
import { HANDLER_SECONDS } from '../src/handler-instrumentation.js';
import { QueryClient, QueryError, QueryServer } from '../src/query-bus.js';

interface GreetingView {
  greeting: string;
  times: number;
}

const greetQuery = defineQuery({
  service: 'inventory',
  name: 'greet',
  args: z.object({ who: z.string().min(1), times: z.int().min(1).default(1) }),
  result: returns<GreetingView>(),
});
const renameCommand = defineCommand({ service: 'inventory', name: 'rename', args: z.object({ to: z.string() }), result: returns<{ renamed: string }>() });
const failingQuery = defineQuery({ service: 'inventory', name: 'fail', args: z.object({}), result: returns<never>() });
/** 1024 characters that do not compress, the same for the same n. */
const randomRow = (n: number) => createHash('sha512').update(String(n)).digest('hex').concat(...Array.from({ length: 7 }, (_, k) => createHash('sha512').update(`${n}.${k}`).digest('hex')));

/** Its handler hands the argument to Postgres, as every read model's query does. */
const echoQuery = defineQuery({ service: 'inventory', name: 'echo', args: z.object({ text: z.string(), tags: z.array(z.string()).default([]) }), result: returns<string>() });

const rowsQuery = defineQuery({ service: 'inventory', name: 'rows', args: z.object({ bytes: z.int().min(0), random: z.boolean().default(true) }), result: returns<string[]>() });

describe('query bus by contract (real NATS)', () => {
  // Request/reply needs no stream: a subject namespace of its own is enough (libs/testing builds on this lib).
  const bus = { ns: namespaceFor(`sk${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`) as Namespace, nc: undefined as unknown as NatsConnection };
  let server: QueryServer;
  let client: QueryClient;
  let registry: Registry;
  let pool: pg.Pool;
  const errors: Array<{ msg: string; fields?: Record<string, unknown> }> = [];

  beforeAll(async () => {
    bus.nc = await connectToNats({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'service-kit-query-bus-test' });
    registry = new Registry();
    pool = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', max: 1 });
    server = new QueryServer(bus.nc, bus.ns, 'inventory', { logger: { error: (msg, fields) => errors.push({ msg, fields }) }, metrics: { registry } })
      .handle(greetQuery, async ({ tenant, args }) => ({ greeting: `hello ${args.who} of ${tenant}`, times: args.times }))
      .handle(renameCommand, async ({ args, actor }) => ({ renamed: `${args.to} by ${actor}` }))
      .handle(echoQuery, async ({ args }) => (await pool.query<{ echoed: string }>('SELECT $1::text || array_to_string($2::text[], \',\') AS echoed', [args.text, args.tags])).rows[0]!.echoed)
      .handle(failingQuery, async () => {
        throw new Error('the database is on fire');
      })
      // Rows of 1 KiB each, as many as asked: a real answer that can outgrow what NATS carries.
      // Random rows barely compress; repeated ones shrink a thousandfold.
      .handle(rowsQuery, async ({ args }) => Array.from({ length: Math.ceil(args.bytes / 1024) }, (_, n) => (args.random ? randomRow(n) : 'x'.repeat(1024))));
    client = new QueryClient(bus.nc, bus.ns, 2_000);
  });

  afterAll(async () => {
    await server.stop();
    await bus.nc.drain();
    await pool.end();
  });

  it('refuses a string holding NUL as BAD_USER_INPUT naming it, before Postgres fails on it (INTERNAL before)', async () => {
    expect(await client.ask(echoQuery, { tenant: 'acme', args: { text: 'ok', tags: ['a'] } })).toBe('oka');
    await expect(client.ask(echoQuery, { tenant: 'acme', args: { text: 'a\u0000b' } })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'text: must not contain the NUL character' });
    await expect(client.ask(echoQuery, { tenant: 'acme', args: { text: 'x', tags: ['ok', '\u0000'] } })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'tags[1]: must not contain the NUL character' });
    expect(errors).toEqual([]);
  });

  it('answers a typed round trip with the parsed arguments (defaults applied)', async () => {
    const reply: GreetingView = await client.ask(greetQuery, { tenant: 'acme', args: { who: 'ada' } });
    expect(reply).toEqual({ greeting: 'hello ada of acme', times: 1 });
  });

  it('answers BAD_USER_INPUT naming the field when the arguments break the schema', async () => {
    const bad = client.ask(greetQuery, { tenant: 'acme', args: { who: '', times: 0 } });
    await expect(bad).rejects.toEqual(new QueryError('BAD_USER_INPUT', 'who: must be at least 1 characters; times: must be at least 1'));
    await expect(bad).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('answers commands on finops.command.<service>.<name>, not on the query subjects', async () => {
    expect(await client.ask(renameCommand, { tenant: 'acme', args: { to: 'bob' }, actor: 'key-1' })).toEqual({ renamed: 'bob by key-1' });
    const raw = await bus.nc.request(`${bus.ns.subjectPrefix}finops.command.inventory.rename`, JSON.stringify({ tenant: 'acme', args: { to: 'eve' } }), { timeout: 2_000 });
    expect(raw.json()).toEqual({ ok: true, result: { renamed: 'eve by undefined' } });
    await expect(bus.nc.request(`${bus.ns.subjectPrefix}finops.query.inventory.rename`, '{}', { timeout: 500 })).rejects.toThrow();
  });

  it('hides an unexpected failure behind INTERNAL and logs it with its stack', async () => {
    await expect(client.ask(failingQuery, { tenant: 'acme', args: {} })).rejects.toEqual(new QueryError('INTERNAL', 'inventory.fail failed'));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toBe('query failed');
    expect(errors[0]!.fields?.query).toBe('fail');
    expect(String(errors[0]!.fields?.error)).toContain('Error: the database is on fire\n    at ');
  });

  it('sends a large answer gzipped, so one of several MB arrives whole', async () => {
    const limit = bus.nc.info!.max_payload;
    const rows = await client.ask(rowsQuery, { tenant: 'acme', args: { bytes: 4 * limit, random: false } });
    expect(rows).toHaveLength(Math.ceil((4 * limit) / 1024));
    expect(rows.every((row) => row === 'x'.repeat(1024))).toBe(true);
    // What travels: gzip, marked as such.
    const raw = await bus.nc.request(`${bus.ns.subjectPrefix}finops.query.inventory.rows`, JSON.stringify({ tenant: 'acme', args: { bytes: 4 * limit, random: false } }), { timeout: 5_000 });
    expect(raw.headers?.get('Content-Encoding')).toBe('gzip');
    expect(raw.data.length).toBeLessThan(limit / 10);
    expect(JSON.parse(gunzipSync(raw.data).toString('utf8'))).toMatchObject({ ok: true });
  });

  it('answers BAD_USER_INPUT naming the size when the answer is over NATS max payload even gzipped, and keeps serving', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const limit = bus.nc.info!.max_payload;
      const asked = 2 * limit;
      const tooBig = client.ask(rowsQuery, { tenant: 'acme', args: { bytes: asked } });
      await expect(tooBig).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      const rows = Math.ceil(asked / 1024);
      const bytes = JSON.stringify({ ok: true, result: Array.from({ length: rows }, (_, n) => randomRow(n)) }).length;
      await expect(tooBig).rejects.toThrow(`the answer to rows is too large (${bytes} bytes, at most ${limit}): ask for a shorter window, a coarser bucket or a narrower filter`);
      expect(errors.pop()).toEqual({ msg: 'query failed', fields: { query: 'rows', error: expect.stringMatching(new RegExp(`^answer of ${bytes} bytes \\(\\d+ gzipped\\) over the ${limit} bytes NATS carries$`)) } });
      // Just under the limit still goes through whole.
      expect(await client.ask(rowsQuery, { tenant: 'acme', args: { bytes: limit - 64 * 1024 } })).toHaveLength(Math.ceil((limit - 64 * 1024) / 1024));
      expect(await client.ask(greetQuery, { tenant: 'acme', args: { who: 'ada' } })).toEqual({ greeting: 'hello ada of acme', times: 1 });
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('times every handler by kind, name and outcome', async () => {
    const counts = async () => {
      const { values } = await registry.getSingleMetric(HANDLER_SECONDS)!.get();
      const metric = (values as Array<(typeof values)[number] & { metricName?: string }>).filter((value) => value.metricName === `${HANDLER_SECONDS}_count`);
      return Object.fromEntries(metric.map((value) => [`${value.labels.kind} ${value.labels.name} ${value.labels.outcome}`, value.value]));
    };
    expect(await counts()).toEqual({
      'query echo ok': 1,
      'query echo BAD_USER_INPUT': 2,
      'query greet ok': 2,
      'query greet BAD_USER_INPUT': 1,
      'command rename ok': 2,
      'query fail INTERNAL': 1,
      'query rows BAD_USER_INPUT': 1,
      'query rows ok': 3,
    });
  });

  it('refuses to serve another service’s contract', () => {
    const pricing = defineQuery({ service: 'pricing', name: 'prices', args: z.object({}), result: returns<string[]>() });
    expect(() => server.handle(pricing, async () => [])).toThrow('inventory cannot serve pricing.prices');
  });
});
