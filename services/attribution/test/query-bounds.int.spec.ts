import { QueryError } from '@agentledger/service-kit';
import { createTestDatabase, type TestDatabase } from '@agentledger/testing';
import { fileURLToPath } from 'node:url';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { costBreakdown, spendOverTime } from '../src/costs/cost-queries.js';
import { boundedRows, MAX_ANSWER_ROWS } from '../src/queries/query-sql.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const AGENTS = 71;
const HOURS = 720;
const MONTH = { from: '2026-10-01T00:00:00Z', to: '2026-10-31T00:00:00Z' };

// A viewer's heaviest legal query: 71 agents × 720 hours is 51,120 points of spendOverTime by
// hour and agent, more than an answer may hold. The rollups are filled by SQL here (how fast
// the projection fills them is a bench's figure, not this test's).
describe('list queries are bounded (real PostgreSQL)', () => {
  let schema: TestDatabase<PrismaClient>;
  let db: PrismaClient;

  beforeAll(async () => {
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    db = schema.db;
    // What the projection leaves for one call per agent and hour: the per-dimension rollups (by
    // agent, hourly and daily) that the grouped cost queries read.
    await db.$executeRawUnsafe(
      `INSERT INTO cost_dimension_hourly (tenant, dimension, bucket_start, key,
         llm_calls, tool_calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
         retries, retry_cost, escalations, escalation_cost, unpriced_calls, cost)
       SELECT 'acme', 'agent_id', timestamptz '2026-10-01T00:00:00Z' + h * interval '1 hour', 'agent-' || a,
              1, 0, 100, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0.001
         FROM generate_series(0, ${HOURS - 1}) AS h, generate_series(1, ${AGENTS}) AS a`,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO cost_dimension_daily
       SELECT tenant, dimension, date_trunc('day', bucket_start, 'UTC'), key, sum(llm_calls), sum(tool_calls), sum(input_tokens), sum(output_tokens),
              sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens), sum(retries), sum(retry_cost), sum(escalations),
              sum(escalation_cost), sum(unpriced_calls), sum(cost)
         FROM cost_dimension_hourly GROUP BY 1, 2, 3, 4`,
    );
  }, 60_000);

  afterAll(async () => {
    await schema?.cleanup();
  });

  it('refuses an answer of more rows than the bound with a typed error that says how to narrow it', async () => {
    const heaviest = spendOverTime(db, { tenant: 'acme', args: { ...MONTH, bucket: 'HOUR', by: 'AGENT' } });
    await expect(heaviest).rejects.toBeInstanceOf(QueryError);
    await expect(heaviest).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'spendOverTime would answer more than 50,000 rows: ask for a shorter window, a coarser bucket or a narrower filter',
    });
  });

  it('answers the same question by day, or for one agent, exactly', async () => {
    const daily = await spendOverTime(db, { tenant: 'acme', args: { ...MONTH, bucket: 'DAY', by: 'AGENT' } });
    expect(daily).toHaveLength(AGENTS * 30);
    expect(new Set(daily.map((point) => point.totalCost))).toEqual(new Set(['0.024']));
    const oneAgent = await spendOverTime(db, { tenant: 'acme', args: { ...MONTH, bucket: 'HOUR', by: 'AGENT', filter: { agentId: 'agent-7' } } });
    expect(oneAgent).toHaveLength(HOURS);
    const groups = await costBreakdown(db, { tenant: 'acme', args: { ...MONTH, by: 'AGENT' } });
    expect(groups).toHaveLength(AGENTS);
    expect(groups.every((group) => group.totalCost === '0.72' && group.llmCalls === HOURS)).toBe(true);
  });

  it('answers exactly the bound, and refuses one row more', async () => {
    const rows = await boundedRows<{ n: number }>(db, 'numbers', `SELECT n FROM generate_series(1, ${MAX_ANSWER_ROWS}) AS n ORDER BY n`);
    expect(rows).toHaveLength(MAX_ANSWER_ROWS);
    expect(rows.at(-1)).toEqual({ n: MAX_ANSWER_ROWS });
    await expect(boundedRows(db, 'numbers', `SELECT n FROM generate_series(1, ${MAX_ANSWER_ROWS + 1}) AS n ORDER BY n`)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
