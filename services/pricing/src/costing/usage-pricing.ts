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
import { isDecimalString, parseDecimal, formatDecimal, ZERO } from '@agentledger/money';
import { costOfCall, usageOf } from './cost-of-call.js';
import { ratesFor } from './price-schedule.js';
import type { PriceMatch } from '../catalog/price-lookup.js';

export const USAGE_TYPES = new Set(['llm.call', 'tool.call', 'saas.usage']);

export type FindPrice = (tenant: string, provider: string, model: string, time: Date) => Promise<PriceMatch | undefined>;

/** A fact's first pricing: its priced cost (unpriced when no price covers it; the cost is then not invented). */
export async function priceFact(fact: CanonicalFact, findPrice: FindPrice, catalogVersion: string): Promise<PricedCost> {
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
      const cost = price ? costOfCall(usage, ratesFor(price.schedule, usage)) : undefined;
      return pricedCostCodec.create({
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
    }
    case 'toolCall': {
      const call = payload.value;
      const reported = isDecimalString(call.cost) ? parseDecimal(call.cost) : undefined;
      return pricedCostCodec.create({
        ...base,
        tool: call.tool,
        vendor: call.vendor,
        attempt: call.attempt || 1,
        status: call.status,
        priced: reported !== undefined,
        cost: formatDecimal(reported ?? ZERO),
        breakdown: reported && { other: formatDecimal(reported) },
        priceRef: reported ? 'reported' : '',
        reportedCost: call.cost,
      });
    }
    case 'saasUsage': {
      const usage = payload.value;
      const reported = isDecimalString(usage.cost) ? parseDecimal(usage.cost) : undefined;
      return pricedCostCodec.create({
        ...base,
        vendor: usage.vendor,
        tool: usage.product,
        attempt: 1,
        status: CallStatus.OK,
        priced: reported !== undefined,
        cost: formatDecimal(reported ?? ZERO),
        breakdown: reported && { other: formatDecimal(reported) },
        priceRef: reported ? 'reported' : '',
        reportedCost: usage.cost,
      });
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
