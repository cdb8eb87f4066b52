import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';
import type {
  CatalogVersionView,
  PriceHistoryEntryView,
  PriceView,
  RateCard,
  ReconciliationView,
  UnitPriceHistoryEntryView,
  UnitPriceKindName,
  UnitPriceView,
  UnpricedModelView,
} from '@agentledger/contracts';

/** The six rates of a model price as a client sends them (USD per million tokens, and per request). */
@InputType({ isAbstract: true })
export abstract class RateCardInput {
  @Field(() => DecimalScalar) inputPer1M!: string;
  @Field(() => DecimalScalar) outputPer1M!: string;
  @Field(() => DecimalScalar, { nullable: true }) cacheReadPer1M?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) cacheWritePer1M?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) reasoningPer1M?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) requestFee?: string | null;
}

/** The six rates of a model price as shown; null where the price has none. */
@ObjectType({ isAbstract: true })
export abstract class RateCardFields implements RateCard {
  @Field(() => DecimalScalar) inputPer1M!: string;
  @Field(() => DecimalScalar) outputPer1M!: string;
  @Field(() => DecimalScalar, { nullable: true }) cacheReadPer1M!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) cacheWritePer1M!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) reasoningPer1M!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) requestFee!: string | null;
}

@InputType({ description: "A tenant's price for a model, in USD per million tokens (and per request)." })
export class PriceInput extends RateCardInput {
  @Field(() => String) provider!: string;
  @Field(() => String) model!: string;
  @Field(() => DateTimeScalar) effectiveFrom!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Optional end (exclusive); open-ended when absent.' })
  effectiveTo?: Date | null;
}

@ObjectType({ description: "A tenant's price for a model from effectiveFrom on." })
export class Price extends RateCardFields implements PriceView {
  @Field(() => String) provider!: string;
  @Field(() => String) model!: string;
  @Field(() => DateTimeScalar) effectiveFrom!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When a later price took over; null while current.' })
  effectiveTo!: string | null;
}

@ObjectType({ description: 'The default price catalog in use (bundled @pydantic/genai-prices data, converted to exact decimals).' })
export class CatalogVersion implements CatalogVersionView {
  @Field(() => String, { description: 'genai-prices@<package version>+<sha256 of the data, 12 hex>' }) version!: string;
  @Field(() => String) packageVersion!: string;
  @Field(() => String) dataHash!: string;
  @Field(() => Int, { description: 'Models in the catalog' }) models!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When this version was recorded on the price stream (CatalogImported)' })
  importedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'The version it replaced; null for the first import' }) previousVersion!: string | null;
}

@ObjectType({ description: 'One price event for a model: who set what, when, what it replaced, and what it re-priced (audit trail).' })
export class PriceHistoryEntry extends RateCardFields implements PriceHistoryEntryView {
  @Field(() => String) provider!: string;
  @Field(() => String) model!: string;
  @Field(() => DateTimeScalar) effectiveFrom!: string;
  @Field(() => DateTimeScalar, { nullable: true }) effectiveTo!: string | null;
  @Field(() => String, { description: 'API key id of who set it' }) setBy!: string;
  @Field(() => DateTimeScalar) setAt!: string;
  @Field(() => String, { nullable: true, description: 'The entry in force at effectiveFrom before ("tenant:…" or "default:…"); null if none' })
  previousPriceRef!: string | null;
  @Field(() => String, { nullable: true, description: 'Its rates: JSON of decimal strings by field name' }) previousRates!: string | null;
  @Field(() => Int, { description: 'Usage events re-priced by CORRECTION events so far' }) repricedFacts!: number;
  @Field(() => DecimalScalar, { description: 'Sum of those corrections (a delta, may be negative)' }) repricingDelta!: string;
  @Field(() => Boolean, { description: 'False while the re-pricing of the history this price covers is still under way (repricedFacts grows)' })
  repricingDone!: boolean;
}

@ObjectType({ description: 'Model calls that no price covers, per provider and model as sent.' })
export class UnpricedModel implements Omit<UnpricedModelView, 'inputTokens' | 'outputTokens'> {
  @Field(() => String) provider!: string;
  @Field(() => String) model!: string;
  @Field(() => Int) calls!: number;
  @Field(() => Float) inputTokens!: number;
  @Field(() => Float) outputTokens!: number;
  @Field(() => DecimalScalar, { description: 'Sum of the reportedCost agents sent for these calls ("0" if none)' }) reportedCost!: string;
}

@ObjectType({ description: 'Reported against computed cost, per provider and model, over calls whose agents sent reportedCost.' })
export class ReconciliationLine implements ReconciliationView {
  @Field(() => String) provider!: string;
  @Field(() => String) model!: string;
  @Field(() => Int) calls!: number;
  @Field(() => Int, { description: 'Of those, the calls a price covers (the others count at a computed 0)' }) pricedCalls!: number;
  @Field(() => DecimalScalar) reportedCost!: string;
  @Field(() => DecimalScalar) computedCost!: string;
  @Field(() => DecimalScalar, { description: 'reportedCost − computedCost' }) difference!: string;
}

export enum UnitPriceKind {
  TOOL = 'TOOL',
  SAAS = 'SAAS',
}
registerEnumType(UnitPriceKind, {
  name: 'UnitPriceKind',
  description: 'TOOL prices tool.call units (by tool, optional vendor, unit); SAAS prices saas.usage quantity (by vendor, product, unit).',
});

@InputType({ description: "A tenant's price per unit for a tool or a SaaS product, in USD; applies when the event carries no cost." })
export class UnitPriceInput {
  @Field(() => UnitPriceKind) kind!: UnitPriceKind;
  @Field(() => String, { nullable: true, description: 'Tool vendor (optional: absent covers the tool from any vendor) or SaaS vendor (required)' })
  vendor?: string | null;
  @Field(() => String, { description: 'The tool, or the SaaS product' }) name!: string;
  @Field(() => String, { description: 'The unit, as the events send it (e.g. "search", "resolution")' }) unit!: string;
  @Field(() => DecimalScalar) pricePerUnit!: string;
  @Field(() => DateTimeScalar) effectiveFrom!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Optional end (exclusive); open-ended when absent.' })
  effectiveTo?: Date | null;
}

@ObjectType({ description: "A tenant's price per unit for a tool or a SaaS product from effectiveFrom on (cost = units × pricePerUnit, exact)." })
export class UnitPrice implements UnitPriceView {
  @Field(() => UnitPriceKind) kind!: UnitPriceKindName;
  @Field(() => String, { nullable: true, description: 'null: a tool price for any vendor' }) vendor!: string | null;
  @Field(() => String) name!: string;
  @Field(() => String) unit!: string;
  @Field(() => DecimalScalar) pricePerUnit!: string;
  @Field(() => DateTimeScalar) effectiveFrom!: string;
  @Field(() => DateTimeScalar, { nullable: true }) effectiveTo!: string | null;
}

@ObjectType({ description: 'One price event for a tool or SaaS unit price: who set what, when, what it replaced, and what it re-priced (audit trail).' })
export class UnitPriceHistoryEntry implements UnitPriceHistoryEntryView {
  @Field(() => UnitPriceKind) kind!: UnitPriceKindName;
  @Field(() => String, { nullable: true, description: 'null: a tool price for any vendor' }) vendor!: string | null;
  @Field(() => String) name!: string;
  @Field(() => String) unit!: string;
  @Field(() => DecimalScalar) pricePerUnit!: string;
  @Field(() => String, { description: 'ISO 4217 code (USD)' }) currency!: string;
  @Field(() => DateTimeScalar) effectiveFrom!: string;
  @Field(() => DateTimeScalar, { nullable: true }) effectiveTo!: string | null;
  @Field(() => String, { description: 'API key id of who set it' }) setBy!: string;
  @Field(() => DateTimeScalar) setAt!: string;
  @Field(() => String, { nullable: true, description: 'The unit price in force at effectiveFrom before ("tenant:…"); null if none' })
  previousPriceRef!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'Its price per unit; null if none' }) previousPricePerUnit!: string | null;
  @Field(() => Int, { description: 'Tool and SaaS events re-priced by CORRECTION events so far (reported costs are never re-priced)' }) repricedFacts!: number;
  @Field(() => DecimalScalar, { description: 'Sum of those corrections (a delta, may be negative)' }) repricingDelta!: string;
  @Field(() => Boolean, { description: 'False while the re-pricing of the history this price covers is still under way' })
  repricingDone!: boolean;
}
