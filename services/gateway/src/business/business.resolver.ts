import { Inject, UseFilters } from '@nestjs/common';
import { agentEfficiencyQuery, wasteQuery } from '@agentledger/contracts';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { CostDimension } from '../costs/cost.types.js';
import { badUserInput } from '../graphql/errors.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { timeWindow } from '../time-window.js';
import { AgentEfficiency, Waste } from './business.types.js';

const window = { type: () => DateTimeScalar };
export const MAX_AGENT_LIMIT = 100;

/** Business read models of the attribution service: waste and cost relative to outcomes. */
@UseFilters(ResolverErrors)
@Resolver()
export class BusinessResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => [Waste], { description: 'The cost of runs in [from, to) that ended without a successful outcome, per group.' })
  waste(
    @CurrentCaller() caller: Caller,
    @Args('from', window) from: Date,
    @Args('to', window) to: Date,
    @Args('by', { type: () => CostDimension }) by: CostDimension,
  ): Promise<Waste[]> {
    return this.services.ask(caller, wasteQuery, { ...timeWindow(from, to), by });
  }

  @Query(() => [AgentEfficiency], { description: 'Agents by share of cost against share of successful outcomes in [from, to), the most disproportionate first.' })
  agentEfficiency(
    @CurrentCaller() caller: Caller,
    @Args('from', window) from: Date,
    @Args('to', window) to: Date,
    @Args('limit', { type: () => Int, nullable: true, description: `At most this many agents (10 by default, up to ${MAX_AGENT_LIMIT}).` }) limit?: number | null,
  ): Promise<AgentEfficiency[]> {
    const agents = limit ?? 10;
    if (!Number.isInteger(agents) || agents < 1 || agents > MAX_AGENT_LIMIT) throw badUserInput(`limit must be between 1 and ${MAX_AGENT_LIMIT}`);
    return this.services.ask(caller, agentEfficiencyQuery, { ...timeWindow(from, to), limit: agents });
  }
}
