import { columnsOf, insertRows } from '@agentledger/projections';
import { pricedCostCodec, type PricedCost } from '@agentledger/contracts';
import type { Tx } from '../db.js';
import { breakdownText } from '../domain/breakdown.js';
import type { PricedFact } from './usage-pricing.js';

/** Timestamps on PricedCost are protobuf Timestamps; the table keeps them at millisecond precision. */
export function dateOf(time: PricedCost['time']): Date {
  return new Date(Number(time?.seconds ?? 0n) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6));
}

const PRICED_USAGE_COLUMNS = columnsOf<Record<string, unknown>>({
  fact_key: 'text',
  tenant: 'text',
  fact_type: 'text',
  time: 'timestamptz',
  provider: 'text',
  model: 'text',
  input_tokens: 'bigint',
  output_tokens: 'bigint',
  cache_read_tokens: 'bigint',
  cache_write_tokens: 'bigint',
  reasoning_tokens: 'bigint',
  priced: 'boolean',
  cost: 'numeric',
  price_ref: 'text',
  reported_cost: 'text',
  revision: 'integer',
  priced_cost: 'bytea',
  vendor: 'text',
  item: 'text',
  unit: 'text',
  units: 'text',
  breakdown: 'text',
});

/** Records first pricings in `priced_usage`, the base every later correction is computed against (one statement a batch). */
export async function recordPricedUsage(tx: Pick<Tx, '$executeRawUnsafe'>, facts: readonly PricedFact[]): Promise<void> {
  await insertRows(
    tx,
    'priced_usage',
    PRICED_USAGE_COLUMNS,
    facts.map(({ cost, metered }) => ({
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
      pricedCost: pricedCostCodec.encode(cost),
      vendor: metered?.vendor ?? '',
      item: metered?.name ?? '',
      unit: metered?.unit ?? '',
      units: metered?.units ?? '',
      breakdown: breakdownText(cost.breakdown),
    })),
  );
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
