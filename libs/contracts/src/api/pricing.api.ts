import { z } from 'zod';
import { dateTimeString, decimalString, windowArgs } from './args.js';
import { defineCommand, defineQuery, returns } from './contract.js';

/** The six rates of a model price, in USD per million tokens and per request; null where the price has none. */
export interface RateCard {
  inputPer1M: string;
  outputPer1M: string;
  /** Absent: cache reads are billed at the input rate. */
  cacheReadPer1M: string | null;
  /** Absent: cache writes are billed at the input rate. */
  cacheWritePer1M: string | null;
  /** Absent: reasoning tokens are billed at the output rate. */
  reasoningPer1M: string | null;
  requestFee: string | null;
}

export interface PriceView extends RateCard {
  provider: string;
  model: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface PriceHistoryEntryView extends RateCard {
  provider: string;
  model: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  setBy: string;
  setAt: string;
  /** The entry in force at effectiveFrom before ("tenant:…" or "default:…"); null if none. */
  previousPriceRef: string | null;
  /** Its rates: JSON of decimal strings by field name. */
  previousRates: string | null;
  repricedFacts: number;
  /** Sum of the corrections this price caused (a delta, may be negative). */
  repricingDelta: string;
  /** False while the re-pricing processor is still working through the facts it covers. */
  repricingDone: boolean;
}

export interface CatalogVersionView {
  version: string;
  packageVersion: string;
  dataHash: string;
  models: number;
  /** When this version was recorded on the price stream (CatalogImported). */
  importedAt: string | null;
  previousVersion: string | null;
}

export type UnitPriceKindName = 'TOOL' | 'SAAS';

/** A unit price as GraphQL shows it: vendor null when the tool price covers any vendor. */
export interface UnitPriceView {
  kind: UnitPriceKindName;
  vendor: string | null;
  name: string;
  unit: string;
  pricePerUnit: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface UnitPriceHistoryEntryView {
  kind: UnitPriceKindName;
  /** null: a tool price for any vendor. */
  vendor: string | null;
  name: string;
  unit: string;
  pricePerUnit: string;
  currency: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  setBy: string;
  setAt: string;
  /** The unit price in force at effectiveFrom before ("tenant:…"); null if none. */
  previousPriceRef: string | null;
  previousPricePerUnit: string | null;
  repricedFacts: number;
  /** Sum of the corrections this price caused. */
  repricingDelta: string;
  /** False while the re-pricing processor is still working through the facts it covers. */
  repricingDone: boolean;
}

export interface UnpricedModelView {
  provider: string;
  model: string;
  calls: number;
  /** Token sums may pass 2^53 over a long window: decimal strings on the wire. */
  inputTokens: string;
  outputTokens: string;
  /** Sum of the reportedCost agents sent for these calls ("0" if none). */
  reportedCost: string;
}

export interface ReconciliationView {
  provider: string;
  model: string;
  calls: number;
  /** Of those, the calls a price covers (the others count at a computed 0). */
  pricedCalls: number;
  reportedCost: string;
  computedCost: string;
  /** reportedCost − computedCost. */
  difference: string;
}

const optionalRate = decimalString().nullish();

/** The six rates as a command carries them: input and output required, the others optional. */
export const rateCardArgs = {
  inputPer1M: decimalString(),
  outputPer1M: decimalString(),
  cacheReadPer1M: optionalRate,
  cacheWritePer1M: optionalRate,
  reasoningPer1M: optionalRate,
  requestFee: optionalRate,
};

const effectiveArgs = { effectiveFrom: dateTimeString(), effectiveTo: dateTimeString().nullish() };
const service = 'pricing';
const none = z.object({});

export const setPriceCommand = defineCommand({
  service,
  name: 'setPrice',
  args: z.object({ provider: z.string(), model: z.string(), ...rateCardArgs, ...effectiveArgs }),
  result: returns<PriceView>(),
});

export const setUnitPriceCommand = defineCommand({
  service,
  name: 'setUnitPrice',
  // kind is checked by the decider (TOOL or SAAS, case-insensitive), with its own message.
  args: z.object({ kind: z.string(), vendor: z.string().nullish(), name: z.string(), unit: z.string(), pricePerUnit: decimalString(), ...effectiveArgs }),
  result: returns<UnitPriceView>(),
});

export const pricesQuery = defineQuery({ service, name: 'prices', args: none, result: returns<PriceView[]>() });

export const unitPricesQuery = defineQuery({ service, name: 'unitPrices', args: none, result: returns<UnitPriceView[]>() });

export const catalogVersionQuery = defineQuery({ service, name: 'catalogVersion', args: none, result: returns<CatalogVersionView>() });

export const priceHistoryQuery = defineQuery({
  service,
  name: 'priceHistory',
  args: z.object({ provider: z.string(), model: z.string() }),
  result: returns<PriceHistoryEntryView[]>(),
});

export const unitPriceHistoryQuery = defineQuery({
  service,
  name: 'unitPriceHistory',
  args: z.object({ kind: z.string(), vendor: z.string().nullish(), name: z.string(), unit: z.string() }),
  result: returns<UnitPriceHistoryEntryView[]>(),
});

export const unpricedModelsQuery = defineQuery({ service, name: 'unpricedModels', args: z.object(windowArgs), result: returns<UnpricedModelView[]>() });

export const reconciliationQuery = defineQuery({ service, name: 'reconciliation', args: z.object(windowArgs), result: returns<ReconciliationView[]>() });
