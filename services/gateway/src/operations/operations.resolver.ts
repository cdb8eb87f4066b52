import { Inject, UseFilters } from '@nestjs/common';
import { evaluationSummaryQuery, operationalSummaryQuery, routingDecisionsQuery } from '@agentledger/contracts';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { costFilterArgs } from '../costs/costs.resolver.js';
import { CostDimension, CostFilter } from '../costs/cost.types.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { timeWindow } from '../time-window.js';
import { EvaluationSummary, OperationalSummary, RoutingDecision } from './operations.types.js';

const window = { type: () => DateTimeScalar };

/** Operational read models of the attribution service: retries, escalations, errors, routing, evaluations. */
@UseFilters(ResolverErrors)
@Resolver()
export class OperationsResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => OperationalSummary, { description: 'Retry, escalation and error rates and their cost, latency per model, in [from, to).' })
  operationalSummary(
    @CurrentCaller() caller: Caller,
    @Args('from', window) from: Date,
    @Args('to', window) to: Date,
    @Args('filter', { type: () => CostFilter, nullable: true }) filter?: CostFilter | null,
  ): Promise<OperationalSummary> {
    return this.services.ask(caller, operationalSummaryQuery, { ...timeWindow(from, to), filter: costFilterArgs(filter) });
  }

  @Query(() => [RoutingDecision], { description: 'Routers’ decisions in [from, to) and the cost of the calls they routed.' })
  routingDecisions(@CurrentCaller() caller: Caller, @Args('from', window) from: Date, @Args('to', window) to: Date): Promise<RoutingDecision[]> {
    return this.services.ask(caller, routingDecisionsQuery, timeWindow(from, to));
  }

  @Query(() => [EvaluationSummary], { description: 'Evaluation scores in [from, to) per group, evaluator and metric, with the cost per passing evaluation.' })
  evaluationSummary(
    @CurrentCaller() caller: Caller,
    @Args('from', window) from: Date,
    @Args('to', window) to: Date,
    @Args('by', { type: () => CostDimension }) by: CostDimension,
  ): Promise<EvaluationSummary[]> {
    return this.services.ask(caller, evaluationSummaryQuery, { ...timeWindow(from, to), by });
  }
}
