import { fromTimestamp, pricedCostCodec, type PricedCost } from '@agentledger/contracts';
import { CONSUMERS, PermanentError } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal, type Decimal } from '@agentledger/money';
import { columnsOf, insertRows } from '@agentledger/projections';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const SPEND_COLUMNS = columnsOf<Record<string, unknown>>({
  tenant: 'text',
  day: 'date',
  team: 'text',
  agent_id: 'text',
  workflow: 'text',
  environment: 'text',
  cost: 'numeric',
});

/** Priced costs and corrections → spend per day and scope, where a budget's spend comes from. */
export const spendProjection: ProjectionDefinition<PricedCost, Tx> = {
  name: 'budgeting-spend',
  consumer: CONSUMERS.budgetingCosts,
  tables: ['spend_daily'],
  decode(msg) {
    try {
      const cost = pricedCostCodec.decode(msg.data);
      return { key: `${cost.tenant}|${cost.costId}`, event: cost };
    } catch (error) {
      throw new PermanentError(`undecodable priced cost: ${(error as Error).message}`, 'undecodable');
    }
  },
  async apply(tx, costs) {
    // Summed per (tenant, day, scope) in memory, exactly, then one statement for the batch.
    const spend = new Map<string, { tenant: string; day: string; team: string; agentId: string; workflow: string; environment: string; cost: Decimal }>();
    for (const cost of costs) {
      const day = fromTimestamp(cost.time).toISOString().slice(0, 10);
      const scope = {
        tenant: cost.tenant,
        day,
        team: cost.common?.team ?? '',
        agentId: cost.common?.agentId ?? '',
        workflow: cost.common?.workflow ?? '',
        environment: cost.common?.environment || 'production',
      };
      const key = Object.values(scope).join('\u0000');
      const amount = parseDecimal(cost.cost);
      const seen = spend.get(key);
      if (seen) seen.cost = seen.cost.plus(amount);
      else spend.set(key, { ...scope, cost: amount });
    }
    await insertRows(
      tx,
      'spend_daily',
      SPEND_COLUMNS,
      [...spend.values()].map((row) => ({ ...row, cost: formatDecimal(row.cost) })),
      `ON CONFLICT (tenant, day, team, agent_id, workflow, environment) DO UPDATE SET cost = spend_daily.cost + EXCLUDED.cost`,
    );
  },
};
