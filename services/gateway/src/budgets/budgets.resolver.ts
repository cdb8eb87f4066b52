import { Inject, UseFilters } from '@nestjs/common';
import { budgetsQuery } from '@agentledger/contracts';
import { Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { Budget } from './budget.types.js';

/** Budgets, kept by the budgeting service. */
@UseFilters(ResolverErrors)
@Resolver(() => Budget)
export class BudgetsResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => [Budget], { description: "The tenant's budgets." })
  budgets(@CurrentCaller() caller: Caller): Promise<Budget[]> {
    return this.services.ask(caller, budgetsQuery);
  }
}
