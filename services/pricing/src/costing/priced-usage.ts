import { pricedCostCodec, type PricedCost } from '@agentledger/contracts';
import type { Tx } from '../catalog/catalog.projection.js';

/** Timestamps on PricedCost are protobuf Timestamps; the table keeps them at millisecond precision. */
export function dateOf(time: PricedCost['time']): Date {
  return new Date(Number(time?.seconds ?? 0n) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6));
}

/** Records first pricings in `priced_usage`, the base every later correction is computed against. */
export async function recordPricedUsage(tx: Pick<Tx, 'pricedUsage'>, costs: readonly PricedCost[]): Promise<void> {
  await tx.pricedUsage.createMany({
    data: costs.map((cost) => ({
      factKey: cost.factKey,
      tenant: cost.tenant,
      factType: cost.factType,
      time: dateOf(cost.time),
      provider: cost.provider,
      model: cost.model,
      inputTokens: cost.usage?.inputTokens ?? 0n,
      outputTokens: cost.usage?.outputTokens ?? 0n,
      cacheReadTokens: cost.usage?.cacheReadTokens ?? 0n,
      cacheWriteTokens: cost.usage?.cacheWriteTokens ?? 0n,
      reasoningTokens: cost.usage?.reasoningTokens ?? 0n,
      priced: cost.priced,
      cost: cost.cost,
      priceRef: cost.priceRef,
      reportedCost: cost.reportedCost,
      revision: cost.revision,
      pricedCost: new Uint8Array(pricedCostCodec.encode(cost)),
    })),
    skipDuplicates: true,
  });
}

/**
 * One lock per tenant, taken first in every transaction that prices or re-prices its facts:
 * a fact priced while a new price commits either sees that price or is seen by its re-pricing.
 */
export async function lockTenantPricing(tx: Pick<Tx, '$executeRawUnsafe'>, tenants: Iterable<string>): Promise<void> {
  for (const tenant of [...new Set(tenants)].sort()) {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, `agentledger.pricing:${tenant}`);
  }
}
