import { Inject, UseFilters, UseGuards } from '@nestjs/common';
import {
  type ArgsInputOf,
  catalogVersionQuery, priceHistoryQuery, pricesQuery, reconciliationQuery, setPriceCommand, setUnitPriceCommand, unitPriceHistoryQuery, unitPricesQuery, unpricedModelsQuery } from '@agentledger/contracts';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../auth/admin-only.guard.js';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { timeWindow } from '../time-window.js';
import { CatalogVersion, Price, PriceHistoryEntry, PriceInput, ReconciliationLine, UnitPrice, UnitPriceHistoryEntry, UnitPriceInput, UnitPriceKind, UnpricedModel } from './price.types.js';

/** The arguments of `pricing.setPrice`: the input's fields as strings, absent rates as null. */
export function setPriceArgs(input: PriceInput): ArgsInputOf<typeof setPriceCommand> {
  return {
    provider: input.provider,
    model: input.model,
    inputPer1M: input.inputPer1M,
    outputPer1M: input.outputPer1M,
    cacheReadPer1M: input.cacheReadPer1M ?? null,
    cacheWritePer1M: input.cacheWritePer1M ?? null,
    reasoningPer1M: input.reasoningPer1M ?? null,
    requestFee: input.requestFee ?? null,
    effectiveFrom: input.effectiveFrom.toISOString(),
    ...(input.effectiveTo ? { effectiveTo: input.effectiveTo.toISOString() } : {}),
  };
}

/** The arguments of `pricing.setUnitPrice`: names as written, an absent vendor as null. */
export function setUnitPriceArgs(input: UnitPriceInput): ArgsInputOf<typeof setUnitPriceCommand> {
  return {
    kind: input.kind,
    vendor: input.vendor ?? null,
    name: input.name,
    unit: input.unit,
    pricePerUnit: input.pricePerUnit,
    effectiveFrom: input.effectiveFrom.toISOString(),
    ...(input.effectiveTo ? { effectiveTo: input.effectiveTo.toISOString() } : {}),
  };
}

/** The arguments of `pricing.unitPriceHistory`: names as written, an absent vendor as null. */
export function unitPriceHistoryArgs(kind: UnitPriceKind, vendor: string | null | undefined, name: string, unit: string): ArgsInputOf<typeof unitPriceHistoryQuery> {
  return { kind, vendor: vendor ?? null, name, unit };
}

const window = { type: () => DateTimeScalar };

/** The tenant's price list, kept by the pricing service. */
@UseFilters(ResolverErrors)
@Resolver(() => Price)
export class PricesResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => [Price], { description: "The tenant's own prices (overriding the default catalog), newest first per model." })
  prices(@CurrentCaller() caller: Caller): Promise<Price[]> {
    return this.services.ask(caller, pricesQuery);
  }

  @Mutation(() => Price, { description: 'Sets a price for this tenant from effectiveFrom on (admin keys only); events already received are re-priced.' })
  @UseGuards(AdminOnly)
  setPrice(@CurrentCaller() caller: Caller, @Args('input', { type: () => PriceInput }) input: PriceInput): Promise<Price> {
    return this.services.ask(caller, setPriceCommand, setPriceArgs(input));
  }

  @Mutation(() => UnitPrice, {
    description: 'Sets a price per unit for a tool or a SaaS product from effectiveFrom on (admin keys only); events without a cost already received are re-priced. A reported cost always wins.',
  })
  @UseGuards(AdminOnly)
  setUnitPrice(@CurrentCaller() caller: Caller, @Args('input', { type: () => UnitPriceInput }) input: UnitPriceInput): Promise<UnitPrice> {
    return this.services.ask(caller, setUnitPriceCommand, setUnitPriceArgs(input));
  }

  @Query(() => [UnitPrice], { description: "The tenant's tool and SaaS unit prices, newest first per tool or product." })
  unitPrices(@CurrentCaller() caller: Caller): Promise<UnitPrice[]> {
    return this.services.ask(caller, unitPricesQuery);
  }

  @Query(() => CatalogVersion, { description: 'The default price catalog in use and when it was imported.' })
  catalogVersion(@CurrentCaller() caller: Caller): Promise<CatalogVersion> {
    return this.services.ask(caller, catalogVersionQuery);
  }

  @Query(() => [PriceHistoryEntry], { description: "Every price this tenant set for a model, oldest first, with who, when, what it replaced and what it re-priced." })
  priceHistory(
    @CurrentCaller() caller: Caller,
    @Args('provider', { type: () => String }) provider: string,
    @Args('model', { type: () => String }) model: string,
  ): Promise<PriceHistoryEntry[]> {
    return this.services.ask(caller, priceHistoryQuery, { provider, model });
  }

  @Query(() => [UnitPriceHistoryEntry], {
    description: 'Every unit price this tenant set for a tool or SaaS product and unit, oldest first, with who, when, the price it replaced and what it re-priced. A tool without vendor is the price covering any vendor.',
  })
  unitPriceHistory(
    @CurrentCaller() caller: Caller,
    @Args('kind', { type: () => UnitPriceKind }) kind: UnitPriceKind,
    @Args('vendor', { type: () => String, nullable: true }) vendor: string | null | undefined,
    @Args('name', { type: () => String }) name: string,
    @Args('unit', { type: () => String }) unit: string,
  ): Promise<UnitPriceHistoryEntry[]> {
    return this.services.ask(caller, unitPriceHistoryQuery, unitPriceHistoryArgs(kind, vendor, name, unit));
  }

  @Query(() => [UnpricedModel], { description: 'Model calls in [from, to) that no price covers, per provider and model.' })
  async unpricedModels(@CurrentCaller() caller: Caller, @Args('from', window) from: Date, @Args('to', window) to: Date): Promise<UnpricedModel[]> {
    const rows = await this.services.ask(caller, unpricedModelsQuery, timeWindow(from, to));
    return rows.map((row) => ({ ...row, inputTokens: Number(row.inputTokens), outputTokens: Number(row.outputTokens) }));
  }

  @Query(() => [ReconciliationLine], { description: 'Where agents sent reportedCost in [from, to): reported against computed cost per provider and model.' })
  reconciliation(@CurrentCaller() caller: Caller, @Args('from', window) from: Date, @Args('to', window) to: Date): Promise<ReconciliationLine[]> {
    return this.services.ask(caller, reconciliationQuery, timeWindow(from, to));
  }
}
