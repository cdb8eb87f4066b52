import { pricedCostCodec, type PricedCost } from '@agentledger/contracts';
import { CONSUMERS, PermanentError } from '@agentledger/jetstream';
import { columnsOf, insertRows } from '@agentledger/projections';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { costEntryOf, type CostEntryRow } from './cost-entry.js';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

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
});

/** The read model's tables, emptied by `rebuild`. */
export const COST_TABLES = ['cost_entry', 'cost_hourly'] as const;

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

/** Adds the batch's new entries to their hour along every dimension, by event time. */
const ROLL_UP = `
INSERT INTO cost_hourly (${DIMENSIONS}, ${MEASURES.join(', ')})
SELECT tenant, date_trunc('hour', time, 'UTC'), agent_id, team, workflow, environment, model, provider, tool,
       ${MEASURES.map((measure) => `sum(${measure})`).join(', ')}
FROM cost_entry
WHERE (tenant, cost_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
ON CONFLICT (${DIMENSIONS}) DO UPDATE SET
${MEASURES.map((measure) => `  ${measure} = cost_hourly.${measure} + EXCLUDED.${measure}`).join(',\n')}`;

/** Priced costs and corrections → `cost_entry` and its hourly rollup, in the batch's transaction. */
export const costEntriesProjection: ProjectionDefinition<CostEntryRow, Tx> = {
  name: COST_PROJECTION,
  consumer: CONSUMERS.attributionCosts,
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
      row = costEntryOf(cost);
    } catch (error) {
      throw new PermanentError(`invalid priced cost ${cost.costId}: ${(error as Error).message}`, 'invalid');
    }
    return { key: `${row.tenant}|${row.costId}`, event: row };
  },
  async apply(tx, rows) {
    await insertRows(tx, 'cost_entry', COST_ENTRY_COLUMNS, rows, '');
    await tx.$executeRawUnsafe(
      ROLL_UP,
      rows.map((row) => row.tenant),
      rows.map((row) => row.costId),
    );
  },
};
