// Bad input on the agents' control subjects (CONTRACT part D): whatever bytes an agent sends to
// finops.control.check.<tenant> or finops.control.release.<tenant>, the real ControlServer (real
// NATS, real Postgres) answers, and answers a decision or a BAD_REQUEST — never INTERNAL, never silence.
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { setBudgetCommand } from '@agentledger/contracts';
import { JetStreamAggregateStore } from '@agentledger/event-sourcing';
import { STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { checkedRequest, OutboxRelay, sqlPool, type ProjectionRunner } from '@agentledger/service-kit';
import { loadDefaultCatalog } from '@agentledger/model-pricing';
import type pg from 'pg';
import { createTestBus, createTestDatabase, createTestProjection, type TestBus, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { budgetEventCodec } from '../src/budgets/budget-wire.js';
import { budgetsProjection } from '../src/budgets/budgets.projection.js';
import { handleSetBudget } from '../src/budgets/set-budget.handler.js';
import { PreCallChecks } from '../src/checks/check.js';
import { ControlServer } from '../src/checks/control-server.js';
import { PriceBook } from '../src/prices/price-book.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const NOW = new Date('2026-12-02T10:00:00Z');
const RUNS = 200;
const encoder = new TextEncoder();

/** Strings an agent might send: plain, huge, with NULs and lone surrogates, digits, decimals, ids. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', '0', '-1', '1e3', '0.045', '1'.repeat(80), `0.${'1'.repeat(60)}`, '9'.repeat(50), 'NaN', 'Infinity', '__proto__', 'runaway', 'support'),
  fc.string({ minLength: 190, maxLength: 260 }),
  fc.string({ maxLength: 10 }).map((text) => `${text}\u0000`),
);
const nastyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1, 3600, 3601, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e308, -1));
const anyValue = fc.oneof({ depthSize: 'small' }, nastyString, nastyNumber, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));

/** A check request: the contract's fields, each absent, well-formed or wrong. */
const checkBody = fc.record(
  {
    agentId: fc.oneof(fc.constantFrom('runaway', 'support-bot'), anyValue),
    team: fc.oneof(fc.constant('support'), anyValue),
    workflow: anyValue,
    environment: anyValue,
    estimatedCost: fc.oneof(fc.constantFrom('0.01', '0', '100000000000000000000000000000000000000000', '0.000000000000000000000000000001'), anyValue),
    provider: fc.oneof(fc.constant('openai'), anyValue),
    model: fc.oneof(fc.constant('gpt-4o'), anyValue),
    estimatedInputTokens: fc.oneof(fc.nat(), anyValue),
    estimatedOutputTokens: fc.oneof(fc.nat(), anyValue),
    spanId: anyValue,
    ttlSeconds: fc.oneof(fc.integer({ min: 1, max: 3600 }), anyValue),
  },
  { requiredKeys: [] },
);

/** Raw request bytes: a JSON object of those fields, any JSON, or not JSON at all. */
const requestBytes = (body: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: body.map((value) => encoder.encode(JSON.stringify(value))) },
    { weight: 1, arbitrary: fc.jsonValue().map((value) => encoder.encode(JSON.stringify(value))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  );

const releaseBody = fc.record({ reservationId: fc.oneof(fc.uuid(), anyValue), extra: anyValue }, { requiredKeys: [] });

describe('control subjects under arbitrary requests (real NATS + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let runner: ProjectionRunner<unknown, never>;
  let server: ControlServer;
  let pool: pg.Pool;
  const internals: string[] = [];

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    const clock = () => NOW;
    const outbox = new OutboxRelay({ db: schema.db, publisher: bus.publisher });
    runner = (await createTestProjection(bus, schema.db, 'budgeting', budgetsProjection({ ns: bus.ns, clock }) as never, undefined, outbox)) as never;
    runner.start();
    pool = sqlPool({ connectionString: schema.connectionString, schema: schema.schema });
    const prices = new PriceBook({ db: schema.db, catalog: await loadDefaultCatalog() });
    const logger = { error: (message: string, fields?: Record<string, unknown>) => void internals.push(`${message} ${JSON.stringify(fields)}`) };
    server = new ControlServer({ nc: bus.nc, ns: bus.ns, db: schema.db, checks: new PreCallChecks({ pool }), prices, clock, logger });
    server.start();
    const store = new JetStreamAggregateStore({ js: bus.js, jsm: bus.jsm, publisher: bus.publisher, stream: streamIn(bus.ns, STREAMS.budgets.name), codec: budgetEventCodec });
    const setBudget = (id: string, args: Record<string, unknown>) =>
      handleSetBudget({ store, db: schema.db, ns: bus.ns, clock, newId: () => id }, checkedRequest(setBudgetCommand, { tenant: 'acme', actor: 'key:admin', args }));
    await setBudget('runaway-daily', { scope: 'AGENT', scopeId: 'runaway', period: 'DAY', limit: '1000', enforcement: 'BLOCK' });
    await setBudget('support-watch', { scope: 'TEAM', scopeId: 'support', period: 'DAY', limit: '5', thresholds: [50], enforcement: 'ALERT' });
    await runner.caughtUp();
  }, 60_000);

  afterAll(async () => {
    await server.stop();
    await pool.end();
    await runner.stop();
    await schema.cleanup();
    await bus.cleanup();
  });

  const ask = async (subject: string, data: Uint8Array): Promise<unknown> => {
    const reply = await bus.nc.request(subject, data, { timeout: 10_000 });
    return JSON.parse(new TextDecoder().decode(reply.data));
  };

  const isBadRequest = (reply: unknown): boolean => {
    const error = (reply as { error?: { code?: unknown; message?: unknown } }).error;
    return error?.code === 'BAD_REQUEST' && typeof error.message === 'string' && error.message.length > 0;
  };

  it(`answers ${RUNS} arbitrary checks with a decision or BAD_REQUEST`, async () => {
    await fc.assert(
      fc.asyncProperty(requestBytes(checkBody), async (data) => {
        const reply = (await ask(subjects.controlCheck(bus.ns, 'acme'), data)) as { decision?: unknown; budgets?: unknown; reservationId?: unknown };
        const decided = (reply.decision === 'ALLOW' || reply.decision === 'BLOCK') && Array.isArray(reply.budgets);
        expect({ reply, decided: decided || isBadRequest(reply) }).toEqual({ reply, decided: true });
      }),
      { numRuns: RUNS, seed: 11 },
    );
    expect(internals).toEqual([]);
  }, 120_000);

  it('answers the nastiest hand-picked requests', async () => {
    const bodies: unknown[] = [
      { agentId: 'a\u0000b', estimatedCost: '0.01' },
      { agentId: 'runaway', team: '\u0000', estimatedCost: '0.01' },
      { agentId: 'runaway', estimatedCost: '9'.repeat(60) },
      { agentId: 'runaway', estimatedCost: `0.${'0'.repeat(40)}1` },
      { agentId: 'runaway', spanId: '\ud800', estimatedCost: '0.01' },
      { agentId: 'runaway', provider: 'openai', model: 'gpt-4o', estimatedInputTokens: Number.MAX_SAFE_INTEGER, estimatedOutputTokens: Number.MAX_SAFE_INTEGER },
      { agentId: 'runaway', provider: 'a\u0000', model: 'gpt-4o', estimatedInputTokens: 1, estimatedOutputTokens: 1 },
    ];
    const wrong: unknown[] = [];
    for (const body of bodies) {
      const reply = (await ask(subjects.controlCheck(bus.ns, 'acme'), encoder.encode(JSON.stringify(body)))) as { decision?: unknown };
      if (!(reply.decision === 'ALLOW' || reply.decision === 'BLOCK' || isBadRequest(reply))) wrong.push({ body, reply });
    }
    // The release fuzzer's first counterexample: {"reservationId":"\u0000"} was INTERNAL.
    for (const reservationId of ['\u0000', 'x'.repeat(10_000), '\ud800']) {
      const reply = (await ask(subjects.controlRelease(bus.ns, 'acme'), encoder.encode(JSON.stringify({ reservationId })))) as { released?: unknown };
      if (!(typeof reply.released === 'boolean' || isBadRequest(reply))) wrong.push({ reservationId: reservationId.slice(0, 10), reply });
    }
    expect(wrong).toEqual([]);
    expect(internals).toEqual([]);
  });

  it(`answers ${RUNS} arbitrary releases with released true/false or BAD_REQUEST`, async () => {
    await fc.assert(
      fc.asyncProperty(requestBytes(releaseBody), async (data) => {
        const reply = (await ask(subjects.controlRelease(bus.ns, 'acme'), data)) as { released?: unknown };
        expect({ reply, answered: typeof reply.released === 'boolean' || isBadRequest(reply) }).toEqual({ reply, answered: true });
      }),
      { numRuns: RUNS, seed: 12 },
    );
    expect(internals).toEqual([]);
  }, 120_000);
});
