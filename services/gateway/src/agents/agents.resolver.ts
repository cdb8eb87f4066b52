import { Inject, UseFilters } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { Agent } from './agent.types.js';

/** The agent inventory. */
@UseFilters(ResolverErrors)
@Resolver(() => Agent)
export class AgentsResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => [Agent], { description: "The tenant's agents." })
  agents(@CurrentCaller() caller: Caller): Promise<Agent[]> {
    return this.services.ask(caller, 'inventory', 'agents');
  }
}
