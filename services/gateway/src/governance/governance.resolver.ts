import { Inject, UseFilters } from '@nestjs/common';
import { agentActivityQuery, agentsQuery } from '@agentledger/contracts';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { agentActivityLoader } from '../agents/agent-activity-loader.js';
import { callerOf, type GatewayContext } from '../auth/gateway-context.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { timeWindow } from '../time-window.js';
import { governanceSummary } from './governance-summary.js';
import { Governance, LifecycleStage } from './governance.types.js';
import { lifecycleEconomics } from './lifecycle-economics.js';

const window = { type: () => DateTimeScalar };

/** Governance views: the inventory (who is registered, owned, idle, retired) joined with attribution's activity in a window. */
@UseFilters(ResolverErrors)
@Resolver()
export class GovernanceResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => Governance, { description: 'Unregistered, unowned, idle-yet-costly and retired-yet-running agents, with their cost in [from, to).' })
  async governance(@Context() context: GatewayContext, @Args('from', window) from: Date, @Args('to', window) to: Date): Promise<Governance> {
    const caller = callerOf(context);
    const range = timeWindow(from, to);
    const agents = await this.services.ask(caller, agentsQuery, { filter: null });
    // The request's loader: the agents' own cost(from, to) fields in this window reuse this one look-up.
    const activity = await agentActivityLoader(context, caller, this.services, range).loadMany(agents.map((agent) => agent.id));
    const byId = new Map(activity.map((entry) => {
      if (entry instanceof Error) throw entry;
      return [entry.agentId, entry];
    }));
    return governanceSummary(range, agents, byId);
  }

  @Query(() => [LifecycleStage], { description: 'Cost, evaluations and cost per evaluation per lifecycle stage in [from, to); the stages add up to the tenant’s cost.' })
  async lifecycleEconomics(@Context() context: GatewayContext, @Args('from', window) from: Date, @Args('to', window) to: Date): Promise<LifecycleStage[]> {
    const caller = callerOf(context);
    const range = timeWindow(from, to);
    const [agents, activity] = await Promise.all([this.services.ask(caller, agentsQuery, { filter: null }), this.services.ask(caller, agentActivityQuery, range)]);
    return lifecycleEconomics(agents, activity);
  }
}
