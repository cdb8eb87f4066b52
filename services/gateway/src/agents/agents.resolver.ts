import { Inject, UseFilters } from '@nestjs/common';
import { activeAgentsQuery, agentsQuery } from '@agentledger/contracts';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '../auth/api-keys.js';
import { callerOf, CurrentCaller, type GatewayContext } from '../auth/gateway-context.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { timeWindow } from '../time-window.js';
import { agentLoader } from './agent-loader.js';
import { ActiveAgent, Agent } from './agent.types.js';

/** The agent inventory. */
@UseFilters(ResolverErrors)
@Resolver(() => Agent)
export class AgentsResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => [Agent], { description: "The tenant's agents." })
  agents(@CurrentCaller() caller: Caller): Promise<Agent[]> {
    return this.services.ask(caller, agentsQuery);
  }
}

/** Agents with activity in a window (attribution), joined with the inventory in one batch. */
@UseFilters(ResolverErrors)
@Resolver(() => ActiveAgent)
export class ActiveAgentsResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => [ActiveAgent], { description: 'Agents that made calls in [from, to), the most expensive first.' })
  activeAgents(
    @CurrentCaller() caller: Caller,
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
  ): Promise<ActiveAgent[]> {
    return this.services.ask(caller, activeAgentsQuery, timeWindow(from, to));
  }

  @ResolveField('agent', () => Agent, { nullable: true })
  agent(@Parent() active: ActiveAgent, @Context() context: GatewayContext): Promise<Agent | null> {
    return agentLoader(context, callerOf(context), this.services).load(active.agentId);
  }
}
