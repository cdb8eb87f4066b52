import { fromTimestamp, pricedCostCodec, type PricedCost } from '@agentledger/contracts';
import { CONSUMERS, PermanentError } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal, type Decimal } from '@agentledger/money';
import { columnsOf, insertRows } from '@agentledger/projections';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { Tx } from '../db.js';

const QUARTER_HOUR_MS = 15 * 60_000;

const SPEND_COLUMNS = columnsOf<Record<string, unknown>>({
  tenant: 'text',
  bucket_start: 'timestamptz',
  team: 'text',
  agent_id: 'text',
  workflow: 'text',
  environment: 'text',
  cost: 'numeric',
});

/** The quarter hour (UTC) an event time falls in. */
export const quarterHourOf = (time: Date): Date => new Date(Math.floor(time.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);

/** Priced costs and corrections → spend per quarter hour of event time and scope, where every budget's spend comes from. */
export const spendProjection: ProjectionDefinition<PricedCost, Tx> = {
  name: 'budgeting-spend',
  consumer: CONSUMERS.budgetingSpend,
  tables: ['spend_quarter_hour'],
  decode(msg) {
    try {
      const cost = pricedCostCodec.decode(msg.data);
      return { key: `${cost.tenant}|${cost.costId}`, event: cost };
    } catch (error) {
      throw new PermanentError(`undecodable priced cost: ${(error as Error).message}`, 'undecodable');
    }
  },
  async apply(tx, costs) {
    // Summed per (tenant, quarter hour, scope) in memory, exactly, then one statement for the batch.
    const spend = new Map<string, { tenant: string; bucketStart: Date; team: string; agentId: string; workflow: string; environment: string; cost: Decimal }>();
    for (const cost of costs) {
      const scope = {
        tenant: cost.tenant,
        bucketStart: quarterHourOf(fromTimestamp(cost.time)),
        team: cost.common?.team ?? '',
        agentId: cost.common?.agentId ?? '',
        workflow: cost.common?.workflow ?? '',
        environment: cost.common?.environment || 'production',
      };
      const key = [scope.tenant, scope.bucketStart.getTime(), scope.team, scope.agentId, scope.workflow, scope.environment].join('\u0000');
      const amount = parseDecimal(cost.cost);
      const seen = spend.get(key);
      if (seen) seen.cost = seen.cost.plus(amount);
      else spend.set(key, { ...scope, cost: amount });
    }
    await insertRows(
      tx,
      'spend_quarter_hour',
      SPEND_COLUMNS,
      [...spend.values()].map((row) => ({ ...row, cost: formatDecimal(row.cost) })),
      `ON CONFLICT (tenant, bucket_start, team, agent_id, workflow, environment) DO UPDATE SET cost = spend_quarter_hour.cost + EXCLUDED.cost`,
    );
  },
};
