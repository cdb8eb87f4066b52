import { headers as natsHeaders } from '@nats-io/transport-node';
import { CostKind, pricedCostCodec, toTimestamp, type PricedCost } from '@agentledger/contracts';
import { subjects, type JetStreamPublisher, type Namespace } from '@agentledger/jetstream';
import { formatDecimal, fromStored, parseDecimal, sum, ZERO, type Decimal } from '@agentledger/money';
import type { Tx } from '../catalog/catalog.projection.js';
import type { DefaultCatalog } from '../catalog/default-catalog.js';
import { findPrice } from '../catalog/price-lookup.js';
import { costOfUnits } from '../unit-prices/cost-of-units.js';
import { FACT_TYPE_OF, type UnitPriceKind } from '../unit-prices/unit-price.js';
import { findUnitPrice } from '../unit-prices/unit-price-lookup.js';
import { costOfCall, type Usage } from './cost-of-call.js';
import { ratesFor } from './price-schedule.js';
import { breakdownDelta, breakdownText, lockTenantPricing, type Breakdown } from './priced-usage.js';

export interface RepricingDeps {
  readonly ns: Namespace;
  readonly publisher: JetStreamPublisher;
  readonly catalog?: DefaultCatalog;
  readonly catalogVersion: string;
}

interface Window {
  readonly tenant: string;
  readonly from: Date;
  readonly to?: Date;
}

/** Which facts a price event may change: one tenant's calls to one (provider, model), or its metered uses of one tool or SaaS product, from a time on. */
export type RepricingScope =
  | (Window & { readonly kind: 'model'; readonly provider: string; readonly model: string })
  | (Window & { readonly kind: 'unit'; readonly unitKind: UnitPriceKind; readonly vendor: string; readonly name: string; readonly unit: string });

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

const insensitive = (value: string) => ({ equals: value, mode: 'insensitive' as const });

function whereOf(scope: RepricingScope) {
  const window = { tenant: scope.tenant, time: { gte: scope.from, ...(scope.to ? { lt: scope.to } : {}) } };
  switch (scope.kind) {
    case 'model':
      return {
        ...window,
        factType: 'llm.call',
        provider: insensitive(scope.provider),
        OR: [{ model: insensitive(scope.model) }, { model: { endsWith: `/${scope.model}`, mode: 'insensitive' as const } }],
      };
    case 'unit':
      // A reported cost always wins: those facts are never re-priced. A tool price without vendor covers every vendor.
      return {
        ...window,
        factType: FACT_TYPE_OF[scope.unitKind],
        item: insensitive(scope.name),
        unit: insensitive(scope.unit),
        ...(scope.vendor ? { vendor: insensitive(scope.vendor) } : {}),
        units: { not: '' },
        priceRef: { not: 'reported' },
      };
    default: {
      const unexpected: never = scope;
      throw new Error(`unknown repricing scope ${JSON.stringify(unexpected)}`);
    }
  }
}

/**
 * Re-prices the scope's facts at the prices now in force (tenant first, then the default),
 * inside the caller's transaction: for each fact whose cost or priced state changes, publish a
 * CORRECTION carrying the delta, and move `priced_usage` to the new cost and revision. History
 * is never rewritten: the first PRICED event stands, the corrections add up to the new cost.
 */
export async function repriceFacts(tx: Tx, deps: RepricingDeps, scope: RepricingScope, cause: RepricingCause): Promise<RepricingResult> {
  await lockTenantPricing(tx, [scope.tenant]);
  const rows = await tx.pricedUsage.findMany({ where: { ...whereOf(scope), revision: { lt: cause.revision } }, orderBy: { time: 'asc' } });
  return correctRows(tx, deps, rows, cause);
}

/** Corrects the given rows (the caller holds their tenants' locks): publishes the corrections, moves `priced_usage`. */
export async function correctRows(tx: Tx, deps: RepricingDeps, rows: readonly PricedUsageRow[], cause: RepricingCause): Promise<RepricingResult> {
  const corrections: PricedCost[] = [];
  for (const row of rows) {
    const correction = await correctionOf(tx, deps, row, cause);
    if (correction) corrections.push(correction);
  }
  if (corrections.length === 0) return { facts: 0, delta: ZERO };
  await deps.publisher.publishAll(
    corrections.map((correction) => {
      const headers = natsHeaders();
      headers.set('Content-Type', pricedCostCodec.contentType);
      return {
        subject: subjects.cost(deps.ns, correction.tenant, 'correction'),
        payload: pricedCostCodec.encode(correction),
        options: { msgID: `cost:${correction.tenant}|${correction.costId}`, headers },
      };
    }),
  );
  return { facts: corrections.length, delta: sum(corrections.map((correction) => parseDecimal(correction.cost))) };
}

interface CurrentPricing {
  readonly priced: boolean;
  readonly cost: Decimal;
  readonly ref: string;
  readonly breakdown?: Breakdown;
}

/** What the fact costs at the prices now in force; undefined when it is not ours to re-price (a reported cost). */
async function currentPricing(tx: Tx, deps: RepricingDeps, row: PricedUsageRow): Promise<CurrentPricing | undefined> {
  if (row.factType === 'llm.call') {
    const usage: Usage = {
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      cacheReadTokens: row.cacheReadTokens,
      cacheWriteTokens: row.cacheWriteTokens,
      reasoningTokens: row.reasoningTokens,
    };
    const price = await findPrice(tx, deps.catalog, row.tenant, row.provider, row.model, row.time);
    if (!price) return { priced: false, cost: ZERO, ref: '' };
    const cost = costOfCall(usage, ratesFor(price.schedule, usage));
    const parts = { input: cost.input, cacheRead: cost.cacheRead, cacheWrite: cost.cacheWrite, output: cost.output, reasoning: cost.reasoning, requestFee: cost.requestFee };
    return { priced: true, cost: cost.total, ref: price.ref, breakdown: Object.fromEntries(Object.entries(parts).map(([part, value]) => [part, formatDecimal(value)])) };
  }
  if (row.priceRef === 'reported') return undefined;
  const kind: UnitPriceKind = row.factType === 'saas.usage' ? 'saas' : 'tool';
  const price = await findUnitPrice(tx, row.tenant, { kind, vendor: row.vendor, name: row.item, unit: row.unit }, row.time);
  const cost = price && costOfUnits(row.units, price.pricePerUnit);
  if (!price || !cost) return { priced: false, cost: ZERO, ref: '' };
  return { priced: true, cost, ref: price.ref, breakdown: { other: formatDecimal(cost) } };
}

async function correctionOf(tx: Tx, deps: RepricingDeps, row: PricedUsageRow, cause: RepricingCause): Promise<PricedCost | undefined> {
  const now = await currentPricing(tx, deps, row);
  if (!now) return undefined;
  const oldCost = fromStored(row.cost);
  if (now.priced === row.priced && now.cost.equals(oldCost)) return undefined;
  const original = row.pricedCost ? pricedCostCodec.decode(row.pricedCost) : undefined;
  const previousBreakdown = row.breakdown ?? (row.revision === 0 && original ? breakdownText(original.breakdown) : !row.priced ? '{}' : undefined);
  const correction = pricedCostCodec.create({
    ...(original ?? {
      schemaVersion: 1,
      tenant: row.tenant,
      factKey: row.factKey,
      factType: row.factType,
      time: toTimestamp(row.time),
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
      attempt: 1,
      currency: 'USD',
      reportedCost: row.reportedCost,
    }),
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
  await tx.pricedUsage.update({
    where: { tenant_factKey: { tenant: row.tenant, factKey: row.factKey } },
    data: { priced: now.priced, cost: formatDecimal(now.cost), priceRef: now.ref, revision: cause.revision, correctedAt: cause.at, breakdown: breakdownText(now.breakdown) },
  });
  return correction;
}
