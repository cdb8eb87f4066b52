import { Inject, UseFilters, UseGuards } from '@nestjs/common';
import { budgetQuery, budgetsQuery, deleteBudgetCommand, setBudgetCommand } from '@agentledger/contracts';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../auth/admin-only.guard.js';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { Budget, BudgetInput } from './budget.types.js';

/** Budgets, kept by the budgeting service. */
@UseFilters(ResolverErrors)
@Resolver(() => Budget)
export class BudgetsResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => [Budget], { description: "The tenant's budgets, each in its current period." })
  budgets(@CurrentCaller() caller: Caller): Promise<Budget[]> {
    return this.services.ask(caller, budgetsQuery);
  }

  @Query(() => Budget, { nullable: true, description: 'One budget in its current period; null when there is none by that id.' })
  budget(@CurrentCaller() caller: Caller, @Args('id', { type: () => ID }) id: string): Promise<Budget | null> {
    return this.services.ask(caller, budgetQuery, { id });
  }

  @Mutation(() => Budget, { description: 'Creates a budget (without id) or replaces one (with id); admin keys only.' })
  @UseGuards(AdminOnly)
  setBudget(@CurrentCaller() caller: Caller, @Args('input', { type: () => BudgetInput }) input: BudgetInput): Promise<Budget> {
    return this.services.ask(caller, setBudgetCommand, { ...input });
  }

  @Mutation(() => Boolean, { description: 'Deletes a budget; false when there is none by that id. Admin keys only.' })
  @UseGuards(AdminOnly)
  deleteBudget(@CurrentCaller() caller: Caller, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.services.ask(caller, deleteBudgetCommand, { id });
  }
}
