import { Inject, UseFilters } from '@nestjs/common';
import { attributeBreakdownQuery, costBreakdownQuery, costSummaryQuery, outcomeEconomicsQuery, spendOverTimeQuery } from '@agentledger/contracts';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { timeWindow } from '../time-window.js';
import { CostDimension, CostFilter, CostGroup, CostSummary, OutcomeEconomics, SpendPoint, TimeBucket } from './cost.types.js';
import { withTokenTotals } from './token-totals.js';

/** The fields of a filter that were given; `{}` for none, so services never meet null. */
export function costFilterArgs(filter: CostFilter | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(filter ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

const window = { type: () => DateTimeScalar };

/** Cost read models of the attribution service. */
@UseFilters(ResolverErrors)
@Resolver()
export class CostsResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => CostSummary, { description: 'Costs and usage in [from, to).' })
  async costSummary(
    @CurrentCaller() caller: Caller,
    @Args('from', window) from: Date,
    @Args('to', window) to: Date,
    @Args('filter', { type: () => CostFilter, nullable: true }) filter?: CostFilter | null,
  ): Promise<CostSummary> {
    return withTokenTotals<object, CostSummary>(await this.services.ask(caller, costSummaryQuery, { ...timeWindow(from, to), filter: costFilterArgs(filter) }));
  }

  @Query(() => [CostGroup], { description: 'Costs in [from, to) grouped by one dimension.' })
  async costBreakdown(
    @CurrentCaller() caller: Caller,
    @Args('from', window) from: Date,
    @Args('to', window) to: Date,
    @Args('by', { type: () => CostDimension }) by: CostDimension,
    @Args('filter', { type: () => CostFilter, nullable: true }) filter?: CostFilter | null,
  ): Promise<CostGroup[]> {
    return (await this.services.ask(caller, costBreakdownQuery, { ...timeWindow(from, to), by, filter: costFilterArgs(filter) })).map((group) => withTokenTotals<object, CostGroup>(group));
  }

  @Query(() => [CostGroup], {
    description:
      "Costs in [from, to) grouped by the value of one custom attribute (common.attributes), one of the attribution service's ATTRIBUTION_ROLLUP_ATTRIBUTES (default customer, feature); costs without the attribute are grouped under the key \"\".",
  })
  async costByAttribute(
    @CurrentCaller() caller: Caller,
    @Args('from', window) from: Date,
    @Args('to', window) to: Date,
    @Args('attribute', { type: () => String }) attribute: string,
    @Args('filter', { type: () => CostFilter, nullable: true }) filter?: CostFilter | null,
  ): Promise<CostGroup[]> {
    return (await this.services.ask(caller, attributeBreakdownQuery, { ...timeWindow(from, to), attribute, filter: costFilterArgs(filter) })).map((group) => withTokenTotals<object, CostGroup>(group));
  }

  @Query(() => [SpendPoint], { description: 'Spend in [from, to) per hour or day, optionally per group.' })
  spendOverTime(
    @CurrentCaller() caller: Caller,
    @Args('from', window) from: Date,
    @Args('to', window) to: Date,
    @Args('bucket', { type: () => TimeBucket }) bucket: TimeBucket,
    @Args('by', { type: () => CostDimension, nullable: true }) by?: CostDimension | null,
    @Args('filter', { type: () => CostFilter, nullable: true }) filter?: CostFilter | null,
  ): Promise<SpendPoint[]> {
    return this.services.ask(caller, spendOverTimeQuery, { ...timeWindow(from, to), bucket, by: by ?? null, filter: costFilterArgs(filter) });
  }

  @Query(() => [OutcomeEconomics], { description: 'Cost per successful outcome in [from, to), per group and outcome.' })
  outcomeEconomics(
    @CurrentCaller() caller: Caller,
    @Args('from', window) from: Date,
    @Args('to', window) to: Date,
    @Args('by', { type: () => CostDimension }) by: CostDimension,
  ): Promise<OutcomeEconomics[]> {
    return this.services.ask(caller, outcomeEconomicsQuery, { ...timeWindow(from, to), by });
  }
}
