import { pricedCostCodec, type PricedCost } from '@agentledger/contracts';
import { CONSUMERS, PermanentError } from '@agentledger/jetstream';
import { columnsOf, insertRowsStatement, type SqlExecutor } from '@agentledger/projections';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import { costEntryOf, type CostEntryRow } from './cost-entry.js';
import { DEFAULT_ROLLUP_ATTRIBUTES } from './rollup-attributes.js';

export const COST_PROJECTION = 'attribution-costs';

const COST_ENTRY_COLUMNS = columnsOf<CostEntryRow>({
  tenant: 'text',
  cost_id: 'text',
  fact_key: 'text',
  kind: 'smallint',
  time: 'timestamptz',
  agent_id: 'text',
  team: 'text',
  workflow: 'text',
  environment: 'text',
  model: 'text',
  provider: 'text',
  tool: 'text',
  trace_id: 'text',
  span_id: 'text',
  llm_calls: 'integer',
  tool_calls: 'integer',
  input_tokens: 'bigint',
  output_tokens: 'bigint',
  cache_read_tokens: 'bigint',
  cache_write_tokens: 'bigint',
  reasoning_tokens: 'bigint',
  retries: 'integer',
  retry_cost: 'numeric',
  escalations: 'integer',
  escalation_cost: 'numeric',
  unpriced_calls: 'integer',
  cost: 'numeric',
  attributes: 'jsonb',
  fact_type: 'text',
  vendor: 'text',
  breakdown: 'jsonb',
});

/** The read model's tables, emptied by `rebuild`. */
export const COST_TABLES = ['cost_entry', 'cost_hourly', 'cost_daily', 'cost_attribute_hourly', 'cost_dimension_hourly', 'cost_dimension_daily'] as const;

const DIMENSIONS = 'tenant, bucket_start, agent_id, team, workflow, environment, model, provider, tool';
const MEASURES = [
  'llm_calls',
  'tool_calls',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'retries',
  'retry_cost',
  'escalations',
  'escalation_cost',
  'unpriced_calls',
  'cost',
];

/**
 * The rollups below read `inserted`: the batch's entries that were new (a data-modifying CTE
 * `INSERT INTO cost_entry … ON CONFLICT (tenant, cost_id) DO NOTHING RETURNING *`). An entry
 * already there (a redelivery) returns nothing, so it adds to no rollup: `cost_entry`'s key is the
 * projection's idempotency record, and the whole batch is one statement.
 */

/** Adds the batch's new entries to their hour (or UTC day) along every dimension at once, by event time. */
const rollUpAllDimensions = (table: 'cost_hourly' | 'cost_daily', grain: 'hour' | 'day') => `
INSERT INTO ${table} (${DIMENSIONS}, ${MEASURES.join(', ')})
SELECT tenant, date_trunc('${grain}', time, 'UTC'), agent_id, team, workflow, environment, model, provider, tool,
       ${MEASURES.map((measure) => `sum(${measure})`).join(', ')}
FROM inserted
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
ON CONFLICT (${DIMENSIONS}) DO UPDATE SET
${MEASURES.map((measure) => `  ${measure} = ${table}.${measure} + EXCLUDED.${measure}`).join(',\n')}`;
const ROLL_UP = rollUpAllDimensions('cost_hourly', 'hour');
const ROLL_UP_ALL_DAYS = rollUpAllDimensions('cost_daily', 'day');

/** The single dimensions a rollup row is keyed on, 'all' being the tenant's total. */
const ONE_DIMENSION_AT_A_TIME = `(VALUES ('all', ''), ('agent_id', e.agent_id), ('team', e.team), ('workflow', e.workflow),
  ('environment', e.environment), ('model', e.model), ('provider', e.provider), ('tool', e.tool)) AS d(dimension, key)`;

/**
 * Adds the batch's new entries to their hour (or UTC day) along each dimension alone: a row per
 * (dimension, bucket, value), so that a month by agent reads agents × days rows, not entries.
 */
const rollUpDimensions = (table: 'cost_dimension_hourly' | 'cost_dimension_daily', grain: 'hour' | 'day') => `
INSERT INTO ${table} (tenant, dimension, bucket_start, key, ${MEASURES.join(', ')})
SELECT e.tenant, d.dimension, date_trunc('${grain}', e.time, 'UTC'), d.key, ${MEASURES.map((measure) => `sum(e.${measure})`).join(', ')}
FROM inserted e CROSS JOIN LATERAL ${ONE_DIMENSION_AT_A_TIME}
GROUP BY 1, 2, 3, 4
ON CONFLICT (tenant, dimension, bucket_start, key) DO UPDATE SET
${MEASURES.map((measure) => `  ${measure} = ${table}.${measure} + EXCLUDED.${measure}`).join(',\n')}`;
const ROLL_UP_HOURS = rollUpDimensions('cost_dimension_hourly', 'hour');
const ROLL_UP_DAYS = rollUpDimensions('cost_dimension_daily', 'day');

const ATTRIBUTE_MEASURES = ['llm_calls', 'tool_calls', 'input_tokens', 'output_tokens', 'cost'];

/**
 * Adds the batch's new entries to their hour per configured attribute and value (`$n`, a text
 * array); an entry without the attribute counts under ''. Corrections carry no counts, so they move cost only.
 */
const rollUpAttributes = (attributesParam: number) => `
INSERT INTO cost_attribute_hourly (tenant, bucket_start, attribute, value, ${ATTRIBUTE_MEASURES.join(', ')})
SELECT e.tenant, date_trunc('hour', e.time, 'UTC'), k.attribute, coalesce(e.attributes ->> k.attribute, ''),
       ${ATTRIBUTE_MEASURES.map((measure) => `sum(e.${measure})`).join(', ')}
FROM inserted e CROSS JOIN unnest($${attributesParam}::text[]) AS k(attribute)
GROUP BY 1, 2, 3, 4
ON CONFLICT (tenant, bucket_start, attribute, value) DO UPDATE SET
${ATTRIBUTE_MEASURES.map((measure) => `  ${measure} = cost_attribute_hourly.${measure} + EXCLUDED.${measure}`).join(',\n')}`;

/** The batch in one statement: the entries inserted once, and only those rolled up. Returns the entries that were new. */
async function applyEntries(tx: SqlExecutor, rows: readonly CostEntryRow[], attributes: readonly string[]): Promise<CostEntryRow[]> {
  const insert = insertRowsStatement('cost_entry', COST_ENTRY_COLUMNS, rows, 'ON CONFLICT (tenant, cost_id) DO NOTHING RETURNING *');
  const rollups = [ROLL_UP, ROLL_UP_ALL_DAYS, ROLL_UP_HOURS, ROLL_UP_DAYS, ...(attributes.length ? [rollUpAttributes(insert.values.length + 1)] : [])];
  const sql = `WITH inserted AS (${insert.sql}),
${rollups.map((rollup, index) => `rollup_${index} AS (${rollup})`).join(',\n')}
SELECT tenant, cost_id FROM inserted`;
  const values = attributes.length ? [...insert.values, [...attributes]] : insert.values;
  const inserted = await tx.$queryRawUnsafe<Array<{ tenant: string; cost_id: string }>>(sql, ...values);
  const fresh = new Set(inserted.map((row) => `${row.tenant}|${row.cost_id}`));
  return rows.filter((row) => fresh.has(`${row.tenant}|${row.costId}`));
}

/**
 * Priced costs and corrections → `cost_entry`, its hourly and daily rollups on all dimensions at
 * once, its hourly and daily rollups along each dimension alone, and its hourly rollup per chosen custom
 * attribute (`rollupAttributes`), all in one statement of the batch's transaction.
 */
export function costEntriesProjectionFor(rollupAttributes: readonly string[]): ProjectionDefinition<CostEntryRow, SqlExecutor> {
  const keys = [...rollupAttributes];
  return {
    name: COST_PROJECTION,
    consumer: CONSUMERS.attributionCosts,
    // Keyed by event identity only: another stream is reported, then followed.
    streamIndependent: true,
    // `cost_entry (tenant, cost_id)` records what was applied: no ledger row per cost.
    idempotency: 'own-key',
    tables: COST_TABLES,
    decode(msg) {
      let cost: PricedCost;
      try {
        cost = pricedCostCodec.decode(msg.data);
      } catch (error) {
        throw new PermanentError(`undecodable priced cost: ${(error as Error).message}`, 'undecodable');
      }
      let row: CostEntryRow;
      try {
        row = costEntryOf(cost, keys);
      } catch (error) {
        throw new PermanentError(`invalid priced cost ${cost.costId}: ${(error as Error).message}`, 'invalid');
      }
      return { key: `${row.tenant}|${row.costId}`, event: row };
    },
    apply: (tx, rows) => applyEntries(tx, rows, keys),
  };
}

/** The cost projection with the default rollup attributes. */
export const costEntriesProjection = costEntriesProjectionFor(DEFAULT_ROLLUP_ATTRIBUTES);
