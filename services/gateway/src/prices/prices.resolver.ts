import { Inject, UseFilters, UseGuards } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../auth/admin-only.guard.js';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { Price, PriceInput } from './price.types.js';

/** The arguments of `pricing.setPrice`: the input's fields as strings, absent rates as null. */
export function setPriceArgs(input: PriceInput): Record<string, string | null> {
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
  };
}

/** The tenant's price list, kept by the pricing service. */
@UseFilters(ResolverErrors)
@Resolver(() => Price)
export class PricesResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => [Price], { description: "The tenant's own prices (overriding the default catalog), newest first per model." })
  prices(@CurrentCaller() caller: Caller): Promise<Price[]> {
    return this.services.ask(caller, 'pricing', 'prices');
  }

  @Mutation(() => Price, { description: 'Sets a price for this tenant from effectiveFrom on (admin keys only); events already received are re-priced.' })
  @UseGuards(AdminOnly)
  setPrice(@CurrentCaller() caller: Caller, @Args('input', { type: () => PriceInput }) input: PriceInput): Promise<Price> {
    return this.services.ask(caller, 'pricing', 'setPrice', setPriceArgs(input));
  }
}
