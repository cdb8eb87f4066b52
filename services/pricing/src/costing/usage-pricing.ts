import {
  CallStatus,
  CostKind,
  factCodec,
  factKey,
  pricedCostCodec,
  SCHEMA_VERSION,
  type CanonicalFact,
  type PricedCost,
} from '@agentledger/contracts';
import { PermanentError } from '@agentledger/jetstream';
import { exceedsAmountBound, isDecimalString, parseDecimal, formatDecimal, ZERO, AMOUNT_MAX_INTEGER_DIGITS } from '@agentledger/money';
import { costOnSchedule, usageOf } from '@agentledger/model-pricing';
import { costOfUnits } from '../domain/cost-of-units.js';
import type { Metered, PriceLookups } from '../domain/price-match.js';

export const USAGE_TYPES = new Set(['llm.call', 'tool.call', 'saas.usage']);

/** A tool call's or SaaS usage's metering, kept so a unit price set later can price it. */
export interface MeteredUnits extends Metered {
  /** Decimal string as sent ('' when none). */
  readonly units: string;
}

export interface PricedFact {
  readonly cost: PricedCost;
  readonly metered?: MeteredUnits;
}

/**
 * A metered fact's cost: a reported cost always wins; otherwise units × the tenant's unit price
 * in force at the fact's time; otherwise unpriced.
 */
async function unitCost(tenant: string, metered: MeteredUnits, reportedCost: string, time: Date, findUnitPrice: PriceLookups['findUnitPrice']) {
  if (isDecimalString(reportedCost)) return { cost: parseDecimal(reportedCost), ref: 'reported' };
  if (metered.unit === '' || metered.units === '') return undefined;
  const price = await findUnitPrice(tenant, metered, time);
  const cost = price && costOfUnits(metered.units, price.pricePerUnit);
  return cost && price ? { cost, ref: price.ref } : undefined;
}

/**
 * A cost no read model could hold (price × usage overflowing the amount bound of libs/money, or
 * a reported cost past it that did not come through intake) is refused here, with its reason,
 * so it is dead-lettered at pricing and never counted by some ledgers and not others.
 */
export function assertCostInBounds(priced: PricedFact): PricedFact {
  const { cost } = priced;
  if (exceedsAmountBound(parseDecimal(cost.cost))) {
    throw new PermanentError(
      `the cost of ${cost.factType} ${cost.factKey} (${cost.cost}${cost.priceRef === 'reported' ? ', reported' : ''}) is not below 10^${AMOUNT_MAX_INTEGER_DIGITS}: no read model can hold it; check the usage and the price ${cost.priceRef || '(none)'}`,
      'cost_out_of_bounds',
    );
  }
  return priced;
}

/** A fact's first pricing: its priced cost (unpriced when no price covers it; the cost is then not invented). */
export async function priceFact(fact: CanonicalFact, lookups: PriceLookups, catalogVersion: string): Promise<PricedFact> {
  const { findPrice, findUnitPrice } = lookups;
  const base = {
    schemaVersion: SCHEMA_VERSION,
    kind: CostKind.PRICED,
    costId: factKey(fact.source, fact.eventId),
    tenant: fact.tenant,
    factKey: factKey(fact.source, fact.eventId),
    factType: fact.type,
    time: fact.time,
    common: fact.common,
    currency: 'USD',
    catalogVersion,
    revision: 0,
  };
  const payload = fact.payload;
  switch (payload.case) {
    case 'llmCall': {
      const call = payload.value;
      const usage = usageOf(call.usage ?? {});
      const price = await findPrice(fact.tenant, call.provider, call.model, timeOf(fact));
      const cost = price ? costOnSchedule(price.schedule, usage) : undefined;
      const priced = pricedCostCodec.create({
        ...base,
        provider: call.provider,
        model: call.model,
        usage,
        attempt: call.attempt || 1,
        escalatedFrom: call.escalatedFrom,
        status: call.status,
        priced: cost !== undefined,
        cost: formatDecimal(cost?.total ?? ZERO),
        breakdown: cost && {
          input: formatDecimal(cost.input),
          cacheRead: formatDecimal(cost.cacheRead),
          cacheWrite: formatDecimal(cost.cacheWrite),
          output: formatDecimal(cost.output),
          reasoning: formatDecimal(cost.reasoning),
          requestFee: formatDecimal(cost.requestFee),
        },
        priceRef: price?.ref ?? '',
        reportedCost: call.reportedCost,
      });
      return { cost: priced };
    }
    case 'toolCall': {
      const call = payload.value;
      const metered: MeteredUnits = { kind: 'tool', vendor: call.vendor, name: call.tool, unit: call.unit, units: call.units };
      const priced = await unitCost(fact.tenant, metered, call.cost, timeOf(fact), findUnitPrice);
      const cost = pricedCostCodec.create({
        ...base,
        tool: call.tool,
        vendor: call.vendor,
        attempt: call.attempt || 1,
        status: call.status,
        priced: priced !== undefined,
        cost: formatDecimal(priced?.cost ?? ZERO),
        breakdown: priced && { other: formatDecimal(priced.cost) },
        priceRef: priced?.ref ?? '',
        reportedCost: call.cost,
      });
      return { cost, metered };
    }
    case 'saasUsage': {
      const usage = payload.value;
      const metered: MeteredUnits = { kind: 'saas', vendor: usage.vendor, name: usage.product, unit: usage.unit, units: usage.quantity };
      const priced = await unitCost(fact.tenant, metered, usage.cost, timeOf(fact), findUnitPrice);
      const cost = pricedCostCodec.create({
        ...base,
        vendor: usage.vendor,
        tool: usage.product,
        attempt: 1,
        status: CallStatus.OK,
        priced: priced !== undefined,
        cost: formatDecimal(priced?.cost ?? ZERO),
        breakdown: priced && { other: formatDecimal(priced.cost) },
        priceRef: priced?.ref ?? '',
        reportedCost: usage.cost,
      });
      return { cost, metered };
    }
    default:
      throw new Error(`not a usage fact: ${fact.type}`);
  }
}

function timeOf(fact: CanonicalFact): Date {
  const seconds = Number(fact.time?.seconds ?? 0n);
  return new Date(seconds * 1000 + Math.floor((fact.time?.nanos ?? 0) / 1e6));
}

export function decodeFact(bytes: Uint8Array): CanonicalFact {
  return factCodec.decode(bytes);
}
