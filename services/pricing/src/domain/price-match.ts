import type { Decimal } from '@agentledger/money';
import type { PriceMatch } from '@agentledger/model-pricing';

/** What a unit price prices: a tool's calls (`tool.call` units) or a SaaS product's usage (`saas.usage` quantity). */
export type UnitPriceKind = 'tool' | 'saas';

/** The fact type a unit price kind prices. */
export const FACT_TYPE_OF: Record<UnitPriceKind, string> = { tool: 'tool.call', saas: 'saas.usage' };

/** What a tool call or SaaS usage was metered in (names as sent; matched case-insensitively). */
export interface Metered {
  readonly kind: UnitPriceKind;
  readonly vendor: string;
  readonly name: string;
  readonly unit: string;
}

export interface UnitPriceMatch {
  readonly pricePerUnit: Decimal;
  readonly ref: string;
}

/** The price look-ups pricing needs, as a port: tenant prices first, then the default catalog. */
export type FindPrice = (tenant: string, provider: string, model: string, time: Date) => Promise<PriceMatch | undefined> | PriceMatch | undefined;
export type FindUnitPrice = (tenant: string, metered: Metered, time: Date) => Promise<UnitPriceMatch | undefined> | UnitPriceMatch | undefined;

export interface PriceLookups {
  readonly findPrice: FindPrice;
  readonly findUnitPrice: FindUnitPrice;
}

export const unitPriceRef = (tenant: string, kind: UnitPriceKind, vendor: string, name: string, unit: string, effectiveFrom: Date) =>
  `tenant:${tenant}:${kind}:${vendor}/${name}/${unit}@${effectiveFrom.toISOString()}`;
