import { columnsOf, insertRowsStatement, type SqlExecutor } from '@agentledger/projections';
import { pricedCostCodec, type PricedCost } from '@agentledger/contracts';
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

/**
 * What `priced_cost` keeps of a PRICED event: only what the row's columns do not already hold
 * (its time at full precision, the common dimensions, attempt, escalation and status), which a
 * correction copies. Keys, usage, prices and amounts are read from the columns (`correctionOf`).
 */
export function storedPricedCost(cost: PricedCost): PricedCost {
  return pricedCostCodec.create({
    schemaVersion: cost.schemaVersion,
    time: cost.time,
    common: cost.common,
    attempt: cost.attempt,
    escalatedFrom: cost.escalatedFrom,
    status: cost.status,
  });
}

/**
 * Records first pricings in `priced_usage`, the base every later correction is computed against
 * (one statement a batch). A fact already recorded is left as it is (`ON CONFLICT DO NOTHING`):
 * returns the facts actually inserted, those whose cost is to be published.
 */
export async function recordPricedUsage(tx: Pick<SqlExecutor, '$queryRawUnsafe'>, facts: readonly PricedFact[]): Promise<PricedFact[]> {
  if (facts.length === 0) return [];
  const insert = insertRowsStatement(
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
      pricedCost: pricedCostCodec.encode(storedPricedCost(cost)),
      vendor: metered?.vendor ?? '',
      item: metered?.name ?? '',
      unit: metered?.unit ?? '',
      units: metered?.units ?? '',
      breakdown: breakdownText(cost.breakdown),
    })),
    'ON CONFLICT (tenant, fact_key) DO NOTHING RETURNING tenant, fact_key',
  );
  const inserted = await tx.$queryRawUnsafe<Array<{ tenant: string; fact_key: string }>>(insert.sql, ...insert.values);
  const fresh = new Set(inserted.map((row) => `${row.tenant}|${row.fact_key}`));
  return facts.filter(({ cost }) => fresh.has(`${cost.tenant}|${cost.factKey}`));
}

/**
 * One lock per tenant, taken first in every transaction that prices or re-prices its facts:
 * a fact priced while a new price commits either sees that price or is seen by its re-pricing.
 */
export async function lockTenantPricing(tx: Pick<SqlExecutor, '$executeRawUnsafe'>, tenants: Iterable<string>): Promise<void> {
  for (const tenant of [...new Set(tenants)].sort()) {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, `agentledger.pricing:${tenant}`);
  }
}
