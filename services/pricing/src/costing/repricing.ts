import { headers as natsHeaders } from '@nats-io/transport-node';
import { CostKind, pricedCostCodec, toTimestamp, type PricedCost } from '@agentledger/contracts';
import { subjects, type JetStreamPublisher, type Namespace } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal, sum, ZERO, type Decimal } from '@agentledger/money';
import type { Tx } from '../catalog/catalog.projection.js';
import type { DefaultCatalog } from '../catalog/default-catalog.js';
import { findPrice } from '../catalog/price-lookup.js';
import { costOfCall, type Usage } from './cost-of-call.js';
import { ratesFor } from './price-schedule.js';
import { lockTenantPricing } from './priced-usage.js';

export interface RepricingDeps {
  readonly ns: Namespace;
  readonly publisher: JetStreamPublisher;
  readonly catalog?: DefaultCatalog;
  readonly catalogVersion: string;
}

/** Which facts a price event may change: one tenant's calls to one (provider, model) from a time on. */
export interface RepricingScope {
  readonly tenant: string;
  readonly provider: string;
  readonly model: string;
  readonly from: Date;
  readonly to?: Date;
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

type Row = Awaited<ReturnType<Tx['pricedUsage']['findMany']>>[number];

const decimalOf = (value: { toFixed(): string }) => parseDecimal(value.toFixed());

/**
 * Re-prices the scope's facts at the prices now in force (tenant first, then the default),
 * inside the caller's transaction: for each fact whose cost or priced state changes, publish a
 * CORRECTION carrying the delta, and move `priced_usage` to the new cost and revision. History
 * is never rewritten: the first PRICED event stands, the corrections add up to the new cost.
 */
export async function repriceFacts(tx: Tx, deps: RepricingDeps, scope: RepricingScope, cause: RepricingCause): Promise<RepricingResult> {
  await lockTenantPricing(tx, [scope.tenant]);
  const rows = await tx.pricedUsage.findMany({
    where: {
      tenant: scope.tenant,
      factType: 'llm.call',
      time: { gte: scope.from, ...(scope.to ? { lt: scope.to } : {}) },
      provider: { equals: scope.provider, mode: 'insensitive' },
      OR: [{ model: { equals: scope.model, mode: 'insensitive' } }, { model: { endsWith: `/${scope.model}`, mode: 'insensitive' } }],
      revision: { lt: cause.revision },
    },
    orderBy: { time: 'asc' },
  });
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

async function correctionOf(tx: Tx, deps: RepricingDeps, row: Row, cause: RepricingCause): Promise<PricedCost | undefined> {
  const usage: Usage = {
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    reasoningTokens: row.reasoningTokens,
  };
  const price = await findPrice(tx, deps.catalog, row.tenant, row.provider, row.model, row.time);
  const newCost = price ? costOfCall(usage, ratesFor(price.schedule, usage)).total : ZERO;
  const oldCost = decimalOf(row.cost);
  const priced = price !== undefined;
  if (priced === row.priced && newCost.equals(oldCost)) return undefined;
  const original = row.pricedCost ? pricedCostCodec.decode(row.pricedCost) : undefined;
  const correction = pricedCostCodec.create({
    ...(original ?? {
      schemaVersion: 1,
      tenant: row.tenant,
      factKey: row.factKey,
      factType: row.factType,
      time: toTimestamp(row.time),
      provider: row.provider,
      model: row.model,
      usage,
      attempt: 1,
      currency: 'USD',
      reportedCost: row.reportedCost,
    }),
    kind: CostKind.CORRECTION,
    costId: `${row.factKey}#${cause.revision}`,
    priced,
    cost: formatDecimal(newCost.minus(oldCost)),
    breakdown: undefined,
    priceRef: price?.ref ?? '',
    catalogVersion: deps.catalogVersion,
    revision: cause.revision,
    previouslyPriced: row.priced,
    previousPriceRef: row.priceRef,
    correctedBy: cause.by,
    correctedAt: toTimestamp(cause.at),
  });
  await tx.pricedUsage.update({
    where: { tenant_factKey: { tenant: row.tenant, factKey: row.factKey } },
    data: { priced, cost: formatDecimal(newCost), priceRef: price?.ref ?? '', revision: cause.revision, correctedAt: cause.at },
  });
  return correction;
}
