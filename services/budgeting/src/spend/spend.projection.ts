import { fromTimestamp, pricedCostCodec, type PricedCost } from '@agentledger/contracts';
import { CONSUMERS, PermanentError } from '@agentledger/jetstream';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

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
    for (const cost of costs) {
      await tx.$executeRawUnsafe(
        `INSERT INTO spend_daily (tenant, day, team, agent_id, workflow, environment, cost)
         VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3, $4, $5, $6, $7::numeric)
         ON CONFLICT (tenant, day, team, agent_id, workflow, environment) DO UPDATE SET cost = spend_daily.cost + EXCLUDED.cost`,
        cost.tenant,
        fromTimestamp(cost.time),
        cost.common?.team ?? '',
        cost.common?.agentId ?? '',
        cost.common?.workflow ?? '',
        cost.common?.environment || 'production',
        cost.cost,
      );
    }
  },
};
