import { CONSUMERS, DeadLetterPublisher, provisionConsumers } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal } from '@agentledger/money';
import { ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, type TestBus, type TestDatabase } from '@agentledger/testing';
import { fileURLToPath } from 'node:url';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { costEntriesProjectionFor } from '../src/costs/cost-entries.projection.js';
import { costBreakdown, costSummary, spendOverTime } from '../src/costs/cost-queries.js';
import { costMessage, pricedCost, type CostSpec } from './priced-costs.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const HOUR = 3_600_000;
const START = Date.parse('2026-10-30T00:00:00Z');

/** 600 costs over four days and a half: 7 agents, 3 teams, 2 workflows, 3 models, a few tools, and corrections. */
function fleet(): CostSpec[] {
  const specs: CostSpec[] = [];
  for (let n = 0; n < 600; n++) {
    const time = new Date(START + ((n * 7_919_000) % (108 * HOUR)) + (n % 60) * 1_000).toISOString();
    specs.push({
      id: `c${n}`,
      cost: `0.${String((n * 7_727) % 100_000).padStart(5, '0')}${n % 7}`,
      time,
      agentId: `agent-${n % 7}`,
      team: ['support', 'sales', ''][n % 3]!,
      workflow: n % 2 ? 'resolve-ticket' : 'qualify-lead',
      model: ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet'][n % 3]!,
      factType: n % 11 === 0 ? 'tool.call' : 'llm.call',
      tool: n % 11 === 0 ? `tool-${n % 2}` : '',
      attempt: n % 13 === 0 ? 2 : 1,
      inputTokens: BigInt(100 + n),
    });
  }
  for (let n = 0; n < 600; n += 17) specs.push({ ...specs[n]!, cost: n % 2 ? '-0.0001' : '0.00025', correction: { revision: 1, previouslyPriced: true } });
  return specs;
}

/** The same questions the queries answer, straight off cost_entry: the oracle. */
async function truth(db: PrismaClient, window: { from: string; to: string }, where: string, select: string, group: string) {
  return db.$queryRawUnsafe<Array<Record<string, string | null>>>(
    `SELECT ${select} FROM cost_entry WHERE tenant = 'acme' AND time >= $1 AND time < $2 ${where} ${group}`,
    new Date(window.from),
    new Date(window.to),
  );
}

const WINDOWS = [
  { from: '2026-10-30T00:00:00Z', to: '2026-11-03T00:00:00Z' }, // whole days
  { from: '2026-10-30T05:17:00Z', to: '2026-11-03T11:42:30Z' }, // days, hours and minutes at both edges
  { from: '2026-10-31T23:10:00Z', to: '2026-11-01T01:05:00Z' }, // across midnight, no whole day
  { from: '2026-11-01T10:20:00Z', to: '2026-11-01T10:50:00Z' }, // inside one hour
  { from: '2026-10-29T00:00:00Z', to: '2026-11-05T00:00:00Z' }, // wider than the data
];
const FILTERS: Array<{ filter?: Record<string, string>; where: string }> = [
  { where: '' },
  { filter: { agentId: 'agent-3' }, where: `AND agent_id = 'agent-3'` },
  { filter: { team: '' }, where: `AND team = ''` },
  { filter: { model: 'gpt-4o' }, where: `AND model = 'gpt-4o'` },
  { filter: { team: 'sales', workflow: 'resolve-ticket' }, where: `AND team = 'sales' AND workflow = 'resolve-ticket'` },
];
const BY = [
  ['AGENT', 'agent_id'],
  ['TEAM', 'team'],
  ['MODEL', 'model'],
  ['TOOL', 'tool'],
  ['WORKFLOW', 'workflow'],
] as const;
/** A NUMERIC's text as the queries print money. */
const normal = (value: string | null | undefined) => formatDecimal(parseDecimal(value ?? '0'));

describe('per-dimension hourly and daily rollups (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let db: PrismaClient;
  let runner: ProjectionRunner<unknown, never>;

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    db = schema.db;
    await provisionConsumers(bus.jsm, bus.ns, [CONSUMERS.attributionCosts]);
    runner = new ProjectionRunner(
      { js: bus.js, jsm: bus.jsm, ns: bus.ns, db, service: 'attribution', deadLetters: new DeadLetterPublisher(bus.publisher, bus.ns) },
      costEntriesProjectionFor([]),
    ) as unknown as ProjectionRunner<unknown, never>;
    runner.start();
    await bus.publisher.publishAll(fleet().map((spec) => costMessage(bus.ns, pricedCost('acme', spec))));
    await bus.publisher.publishAll([costMessage(bus.ns, pricedCost('other', { id: 'x', cost: '9', time: '2026-11-01T10:30:00Z' }))]);
    await runner.caughtUp();
  }, 120_000);

  afterAll(async () => {
    await runner?.stop();
    await schema?.cleanup();
    await bus?.cleanup();
  });

  it('a month by agent reads rows sized by the agents, not by the events', async () => {
    const [daily] = await db.$queryRawUnsafe<Array<{ rows: bigint }>>(`SELECT count(*) AS rows FROM cost_dimension_daily WHERE tenant = 'acme' AND dimension = 'agent_id'`);
    expect(Number(daily!.rows)).toBe(7 * 5); // 7 agents on each of 5 UTC days
    const [all] = await db.$queryRawUnsafe<Array<{ rows: bigint }>>(`SELECT count(*) AS rows FROM cost_dimension_daily WHERE tenant = 'acme' AND dimension = 'all'`);
    expect(Number(all!.rows)).toBe(5);
  });

  it('costSummary equals the sums over the entries, for every window and filter', async () => {
    for (const window of WINDOWS) {
      for (const { filter, where } of FILTERS) {
        const [expected] = await truth(db, window, where, 'sum(cost)::text AS cost, sum(llm_calls)::text AS calls, sum(input_tokens)::text AS input, sum(retry_cost)::text AS retry_cost', '');
        const summary = await costSummary(db, { tenant: 'acme', args: { ...window, filter } });
        expect({ window, filter, cost: summary.totalCost, calls: summary.llmCalls, input: summary.inputTokens, retryCost: summary.retryCost }).toEqual({
          window,
          filter,
          cost: normal(expected!.cost),
          calls: Number(expected!.calls ?? 0),
          input: Number(expected!.input ?? 0),
          retryCost: normal(expected!.retry_cost),
        });
      }
    }
  });

  it('costBreakdown equals the grouped sums over the entries, for every window, grouping and filter', async () => {
    for (const window of WINDOWS) {
      for (const [by, column] of BY) {
        for (const { filter, where } of FILTERS) {
          const expected = await truth(db, window, where, `${column} AS key, sum(cost)::text AS cost, sum(llm_calls)::text AS calls`, 'GROUP BY 1 ORDER BY sum(cost) DESC, 1');
          const groups = await costBreakdown(db, { tenant: 'acme', args: { ...window, by, filter } });
          expect({ window, by, filter, groups: groups.map((group) => [group.key, group.totalCost, group.llmCalls]) }).toEqual({
            window,
            by,
            filter,
            groups: expected.map((row) => [row.key, normal(row.cost), Number(row.calls)]),
          });
        }
      }
    }
  });

  it('spendOverTime equals the bucketed sums over the entries, by hour and by day, grouped or not', async () => {
    for (const window of WINDOWS) {
      for (const bucket of ['HOUR', 'DAY'] as const) {
        for (const grouping of [undefined, ...BY]) {
          for (const { filter, where } of FILTERS) {
            const key = grouping ? grouping[1] : 'NULL::text';
            const expected = await truth(db, window, where, `date_trunc('${bucket.toLowerCase()}', time, 'UTC') AS bucket, ${key} AS key, sum(cost)::text AS cost`, 'GROUP BY 1, 2 ORDER BY 1, 2');
            const points = await spendOverTime(db, { tenant: 'acme', args: { ...window, bucket, by: grouping?.[0], filter } });
            expect({ window, bucket, by: grouping?.[0], filter, points: points.map((point) => [point.bucketStart, point.key, point.totalCost]) }).toEqual({
              window,
              bucket,
              by: grouping?.[0],
              filter,
              points: expected.map((row) => [new Date(row.bucket as unknown as Date).toISOString(), row.key, normal(row.cost)]),
            });
          }
        }
      }
    }
  }, 60_000);

  it('rebuild and the migration backfill give the same rollups as the live projection', async () => {
    const snapshot = () =>
      db.$queryRawUnsafe<unknown[]>(
        `SELECT 'h' AS grain, tenant, dimension, bucket_start, key, llm_calls, cost::text FROM cost_dimension_hourly
         UNION ALL SELECT 'd', tenant, dimension, bucket_start, key, llm_calls, cost::text FROM cost_dimension_daily ORDER BY 1, 2, 3, 4, 5`,
      );
    const live = await snapshot();
    await runner.rebuild();
    expect(await snapshot()).toEqual(live);
    // Migration 005's backfill, run again over the same entries, lands on the same rows.
    await db.$executeRawUnsafe('TRUNCATE cost_dimension_hourly, cost_dimension_daily');
    const backfill = (await import('node:fs')).readFileSync(fileURLToPath(new URL('../prisma/migrations/005_dimension_rollups/migration.sql', import.meta.url)), 'utf8');
    for (const statement of backfill.split(/;\s*\n/).filter((text) => /^\s*(--[^\n]*\n\s*)*INSERT/.test(text))) await db.$executeRawUnsafe(statement);
    expect(await snapshot()).toEqual(live);
  }, 60_000);

  it('the daily rollup on all dimensions holds a row per day and combination; rebuild and migration 007 backfill it alike', async () => {
    const snapshot = () =>
      db.$queryRawUnsafe<unknown[]>(
        `SELECT tenant, bucket_start, agent_id, team, workflow, environment, model, provider, tool, llm_calls, input_tokens, cost::text
           FROM cost_daily ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
      );
    const live = await snapshot();
    const [combinations] = await db.$queryRawUnsafe<Array<{ rows: bigint }>>(
      `SELECT count(*) AS rows FROM (SELECT DISTINCT tenant, date_trunc('day', time, 'UTC'), agent_id, team, workflow, environment, model, provider, tool FROM cost_entry) AS d`,
    );
    expect(live.length).toBe(Number(combinations!.rows));
    await runner.rebuild();
    expect(await snapshot()).toEqual(live);
    await db.$executeRawUnsafe('TRUNCATE cost_daily');
    const backfill = (await import('node:fs')).readFileSync(fileURLToPath(new URL('../prisma/migrations/007_cost_daily/migration.sql', import.meta.url)), 'utf8');
    await db.$executeRawUnsafe(backfill.slice(backfill.indexOf('INSERT INTO cost_daily')));
    expect(await snapshot()).toEqual(live);
  }, 60_000);
});
