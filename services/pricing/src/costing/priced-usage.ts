import { columnsOf, insertRows } from '@agentledger/projections';
import { pricedCostCodec, type CostBreakdown, type PricedCost } from '@agentledger/contracts';
import { formatDecimal, parseDecimal, ZERO } from '@agentledger/money';
import type { Tx } from '../catalog/catalog.projection.js';
import type { PricedFact } from './usage-pricing.js';

type BreakdownPart = Exclude<keyof CostBreakdown, '$typeName' | '$unknown'>;
const PARTS: readonly BreakdownPart[] = ['input', 'cacheRead', 'cacheWrite', 'output', 'reasoning', 'requestFee', 'other'];

export type Breakdown = Partial<Record<BreakdownPart, string>>;

/** A breakdown as `priced_usage` keeps it: JSON of its non-empty parts ("{}" when unpriced; null only on rows from before). */
export function breakdownText(breakdown: Breakdown | undefined): string {
  if (!breakdown) return '{}';
  const parts = PARTS.flatMap((part) => (breakdown[part] ? [[part, breakdown[part]]] : []));
  return JSON.stringify(Object.fromEntries(parts));
}

/** new − old, part by part (a missing part counts as 0), as a correction carries it; `previous` as breakdownText wrote it. */
export function breakdownDelta(previous: string, next: Breakdown | undefined): Breakdown {
  const old = JSON.parse(previous) as Breakdown;
  const delta = PARTS.flatMap((part) => {
    if (!old[part] && !next?.[part]) return [];
    const value = parseDecimal(next?.[part] || '0').minus(parseDecimal(old[part] || '0'));
    return value.equals(ZERO) ? [] : [[part, formatDecimal(value)]];
  });
  return Object.fromEntries(delta) as Breakdown;
}

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
