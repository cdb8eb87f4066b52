import { Inject, UseFilters, UseGuards } from '@nestjs/common';
import { activeAgentsQuery, agentOverlapsQuery, agentQuery, agentsQuery, registerAgentCommand } from '@agentledger/contracts';
import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../auth/admin-only.guard.js';
import type { Caller } from '../auth/api-keys.js';
import { callerOf, CurrentCaller, type GatewayContext } from '../auth/gateway-context.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { timeWindow } from '../time-window.js';
import { agentActivityLoader } from './agent-activity-loader.js';
import { agentLoader } from './agent-loader.js';
import { ActiveAgent, Agent, AgentFilter, AgentInput, AgentOverlap } from './agent.types.js';

const window = { type: () => DateTimeScalar };

/** The agent inventory (the inventory service), each agent answering its activity in a window (attribution, batched). */
@UseFilters(ResolverErrors)
@Resolver(() => Agent)
export class AgentsResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => [Agent], { description: "The tenant's agents matching the filter (all without one), most recently active first." })
  agents(@CurrentCaller() caller: Caller, @Args('filter', { type: () => AgentFilter, nullable: true }) filter?: AgentFilter | null): Promise<Agent[]> {
    return this.services.ask(caller, agentsQuery, { filter: filter ? { ...filter } : null });
  }

  @Query(() => Agent, { nullable: true, description: 'One agent; null when the inventory has none by that id.' })
  agent(@CurrentCaller() caller: Caller, @Args('id', { type: () => String }) id: string): Promise<Agent | null> {
    return this.services.ask(caller, agentQuery, { id });
  }

  @Query(() => [AgentOverlap], { description: 'Each workflow more than one agent serves, with those agents and their teams.' })
  agentOverlaps(@CurrentCaller() caller: Caller): Promise<AgentOverlap[]> {
    return this.services.ask(caller, agentOverlapsQuery);
  }

  @Mutation(() => Agent, { description: 'Registers an agent or updates its registration (the fields given override); admin keys only.' })
  @UseGuards(AdminOnly)
  registerAgent(@CurrentCaller() caller: Caller, @Args('input', { type: () => AgentInput }) input: AgentInput): Promise<Agent> {
    return this.services.ask(caller, registerAgentCommand, { ...input });
  }

  @ResolveField('cost', () => DecimalScalar, { description: 'Its cost in [from, to) (LLM, tool and SaaS): its costBreakdown(by: AGENT) group.' })
  async cost(@Parent() agent: Agent, @Context() context: GatewayContext, @Args('from', window) from: Date, @Args('to', window) to: Date): Promise<string> {
    return (await this.activity(agent, context, from, to)).totalCost;
  }

  @ResolveField('calls', () => Int, { description: 'Its LLM and tool calls in [from, to).' })
  async calls(@Parent() agent: Agent, @Context() context: GatewayContext, @Args('from', window) from: Date, @Args('to', window) to: Date): Promise<number> {
    const activity = await this.activity(agent, context, from, to);
    return activity.llmCalls + activity.toolCalls;
  }

  @ResolveField('successfulOutcomes', () => DecimalScalar, { description: 'The quantity of its successful outcomes in [from, to).' })
  async successfulOutcomes(@Parent() agent: Agent, @Context() context: GatewayContext, @Args('from', window) from: Date, @Args('to', window) to: Date): Promise<string> {
    return (await this.activity(agent, context, from, to)).successfulOutcomes;
  }

  private activity(agent: Agent, context: GatewayContext, from: Date, to: Date) {
    return agentActivityLoader(context, callerOf(context), this.services, timeWindow(from, to)).load(agent.id);
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
    @Args('from', window) from: Date,
    @Args('to', window) to: Date,
  ): Promise<ActiveAgent[]> {
    return this.services.ask(caller, activeAgentsQuery, timeWindow(from, to));
  }

  @ResolveField('agent', () => Agent, { nullable: true })
  agent(@Parent() active: ActiveAgent, @Context() context: GatewayContext): Promise<Agent | null> {
    return agentLoader(context, callerOf(context), this.services).load(active.agentId);
  }
}
