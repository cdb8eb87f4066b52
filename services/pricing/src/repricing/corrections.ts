import { CostKind, pricedCostCodec, toTimestamp, type PricedCost } from '@agentledger/contracts';
import type { Namespace } from '@agentledger/jetstream';
import { exceedsAmountBound, formatDecimal, fromStored, parseDecimal, sum, ZERO, type Decimal } from '@agentledger/money';
import { stageMessages } from '@agentledger/projections';
import type { Tx } from '../db.js';
import { batchLookups } from '../catalog/batch-lookups.js';
import { costOnSchedule, type DefaultCatalog, type Usage } from '@agentledger/model-pricing';
import { costMessages } from '../costing/cost-message.js';
import { breakdownDelta, breakdownText, type Breakdown } from '../domain/breakdown.js';
import { costOfUnits } from '../domain/cost-of-units.js';
import type { PriceLookups, UnitPriceKind } from '../domain/price-match.js';

export interface RepricingDeps {
  readonly ns: Namespace;
  readonly catalog?: DefaultCatalog;
  readonly catalogVersion: string;
}

/**
 * Why: the price event's stream sequence is the correction's revision, so a redelivered or
 * replayed price event yields the same `cost_id` (`<fact key>#<revision>`) and changes nothing
 * downstream, and two price events never share one.
 */
export interface RepricingCause {
  readonly revision: number;
  readonly by: string;
  readonly at: Date;
}

export interface RepricingResult {
  readonly facts: number;
  readonly delta: Decimal;
}

export type PricedUsageRow = Awaited<ReturnType<Tx['pricedUsage']['findMany']>>[number];

interface CurrentPricing {
  readonly priced: boolean;
  readonly cost: Decimal;
  readonly ref: string;
  readonly breakdown?: Breakdown;
}

/**
 * What the fact costs at the prices now in force; undefined when it is not ours to re-price (a
 * reported cost). A cost past the amount bound of libs/money (a price × usage no read model can
 * hold) cannot be dead-lettered here, long after the fact: the fact becomes unpriced — counted
 * and listed as such, its cost not invented — rather than a correction one ledger refuses and
 * another counts.
 */
async function currentPricing(lookups: PriceLookups, row: PricedUsageRow): Promise<CurrentPricing | undefined> {
  const pricing = await pricingAtPricesInForce(lookups, row);
  return pricing?.priced && exceedsAmountBound(pricing.cost) ? { priced: false, cost: ZERO, ref: '' } : pricing;
}

async function pricingAtPricesInForce(lookups: PriceLookups, row: PricedUsageRow): Promise<CurrentPricing | undefined> {
  if (row.factType === 'llm.call') {
    const usage: Usage = {
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      cacheReadTokens: row.cacheReadTokens,
      cacheWriteTokens: row.cacheWriteTokens,
      reasoningTokens: row.reasoningTokens,
    };
    const price = await lookups.findPrice(row.tenant, row.provider, row.model, row.time);
    if (!price) return { priced: false, cost: ZERO, ref: '' };
    const cost = costOnSchedule(price.schedule, usage);
    const parts = { input: cost.input, cacheRead: cost.cacheRead, cacheWrite: cost.cacheWrite, output: cost.output, reasoning: cost.reasoning, requestFee: cost.requestFee };
    return { priced: true, cost: cost.total, ref: price.ref, breakdown: Object.fromEntries(Object.entries(parts).map(([part, value]) => [part, formatDecimal(value)])) };
  }
  if (row.priceRef === 'reported') return undefined;
  const kind: UnitPriceKind = row.factType === 'saas.usage' ? 'saas' : 'tool';
  const price = await lookups.findUnitPrice(row.tenant, { kind, vendor: row.vendor, name: row.item, unit: row.unit }, row.time);
  const cost = price && costOfUnits(row.units, price.pricePerUnit);
  if (!price || !cost) return { priced: false, cost: ZERO, ref: '' };
  return { priced: true, cost, ref: price.ref, breakdown: { other: formatDecimal(cost) } };
}

/** The correction moving a fact from what it was priced at to `now`; undefined when nothing changes. */
function correctionOf(deps: RepricingDeps, row: PricedUsageRow, now: CurrentPricing, cause: RepricingCause): PricedCost | undefined {
  const oldCost = fromStored(row.cost);
  if (now.priced === row.priced && now.cost.equals(oldCost)) return undefined;
  const original = row.pricedCost ? pricedCostCodec.decode(row.pricedCost) : undefined;
  const previousBreakdown = row.breakdown ?? (row.revision === 0 && original ? breakdownText(original.breakdown) : !row.priced ? '{}' : undefined);
  const correction = pricedCostCodec.create({
    // Keys, usage and metering from the row's columns; what only the stored event holds (the
    // common dimensions, attempt, escalation, status, time at full precision) from it. Rows
    // written before `storedPricedCost` hold the whole event: the same values either way.
    schemaVersion: original?.schemaVersion || 1,
    tenant: row.tenant,
    factKey: row.factKey,
    factType: row.factType,
    time: original?.time ?? toTimestamp(row.time),
    common: original?.common,
    provider: row.provider,
    model: row.model,
    tool: row.item,
    vendor: row.vendor,
    usage: {
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      cacheReadTokens: row.cacheReadTokens,
      cacheWriteTokens: row.cacheWriteTokens,
      reasoningTokens: row.reasoningTokens,
    },
    attempt: original?.attempt || 1,
    escalatedFrom: original?.escalatedFrom ?? '',
    status: original?.status,
    currency: 'USD',
    reportedCost: row.reportedCost,
    kind: CostKind.CORRECTION,
    costId: `${row.factKey}#${cause.revision}`,
    priced: now.priced,
    cost: formatDecimal(now.cost.minus(oldCost)),
    breakdown: undefined,
    priceRef: now.ref,
    catalogVersion: deps.catalogVersion,
    revision: cause.revision,
    previouslyPriced: row.priced,
    previousPriceRef: row.priceRef,
    correctedBy: cause.by,
    correctedAt: toTimestamp(cause.at),
  });
  // The delta of each part, when the old parts are known (rows recorded before they were kept: none).
  if (previousBreakdown !== undefined) correction.breakdown = pricedCostCodec.create({ breakdown: breakdownDelta(previousBreakdown, now.breakdown) }).breakdown;
  return correction;
}

/**
 * Re-prices the given rows at the prices now in force, inside the caller's transaction (which
 * holds their tenants' pricing locks): each fact whose cost or priced state changes gets a
 * CORRECTION carrying the delta, staged in the outbox (published after commit), and its
 * `priced_usage` row moves to the new cost and revision, in one statement for the page.
 * History is never rewritten: the first PRICED event stands, the corrections add up.
 */
export async function correctRows(tx: Tx, deps: RepricingDeps, rows: readonly PricedUsageRow[], cause: RepricingCause): Promise<RepricingResult> {
  if (rows.length === 0) return { facts: 0, delta: ZERO };
  const lookups = await batchLookups(tx, deps.catalog, rows.map((row) => row.tenant));
  const corrections: PricedCost[] = [];
  const moved: Array<{ row: PricedUsageRow; now: CurrentPricing }> = [];
  for (const row of rows) {
    const now = await currentPricing(lookups, row);
    const correction = now && correctionOf(deps, row, now, cause);
    if (!now || !correction) continue;
    corrections.push(correction);
    moved.push({ row, now });
  }
  if (corrections.length === 0) return { facts: 0, delta: ZERO };
  await stageMessages(tx, costMessages(deps.ns, corrections));
  await tx.$executeRawUnsafe(
    `UPDATE priced_usage AS p
        SET priced = u.priced, cost = u.cost, price_ref = u.price_ref, revision = $5, corrected_at = $6, breakdown = u.breakdown
       FROM unnest($1::text[], $2::text[], $3::boolean[], $4::numeric[], $7::text[], $8::text[]) AS u(tenant, fact_key, priced, cost, price_ref, breakdown)
      WHERE p.tenant = u.tenant AND p.fact_key = u.fact_key`,
    moved.map(({ row }) => row.tenant),
    moved.map(({ row }) => row.factKey),
    moved.map(({ now }) => now.priced),
    moved.map(({ now }) => formatDecimal(now.cost)),
    cause.revision,
    cause.at,
    moved.map(({ now }) => now.ref),
    moved.map(({ now }) => breakdownText(now.breakdown)),
  );
  return { facts: corrections.length, delta: sum(corrections.map((correction) => parseDecimal(correction.cost))) };
}
