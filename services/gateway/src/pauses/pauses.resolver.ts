import { Inject, UseFilters, UseGuards } from '@nestjs/common';
import { pauseCommand, pausedScopesQuery, resumeCommand } from '@agentledger/contracts';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../auth/admin-only.guard.js';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { BudgetScope } from '../budgets/budget.types.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { PausedScope } from './paused-scope.types.js';

const scopeArg = { type: () => BudgetScope };
const scopeIdArg = { type: () => String, nullable: true, description: 'Required unless the scope is TENANT' };

/** Pauses, kept by the budgeting service (the KV bucket finops_control that agents watch). */
@UseFilters(ResolverErrors)
@Resolver(() => PausedScope)
export class PausesResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => [PausedScope], { description: "The tenant's paused scopes, by hand or by an exceeded BLOCK budget." })
  pausedScopes(@CurrentCaller() caller: Caller): Promise<PausedScope[]> {
    return this.services.ask(caller, pausedScopesQuery);
  }

  @Mutation(() => PausedScope, { description: 'Pauses a scope: its pre-call checks are answered BLOCK until resume. Admin keys only.' })
  @UseGuards(AdminOnly)
  pause(
    @CurrentCaller() caller: Caller,
    @Args('scope', scopeArg) scope: BudgetScope,
    @Args('scopeId', scopeIdArg) scopeId: string | null | undefined,
    @Args('reason', { type: () => String }) reason: string,
  ): Promise<PausedScope> {
    return this.services.ask(caller, pauseCommand, { scope, scopeId: scopeId ?? null, reason });
  }

  @Mutation(() => Boolean, { description: 'Lifts the pause of a scope; false when it was not paused. Admin keys only.' })
  @UseGuards(AdminOnly)
  resume(@CurrentCaller() caller: Caller, @Args('scope', scopeArg) scope: BudgetScope, @Args('scopeId', scopeIdArg) scopeId: string | null | undefined): Promise<boolean> {
    return this.services.ask(caller, resumeCommand, { scope, scopeId: scopeId ?? null });
  }
}
