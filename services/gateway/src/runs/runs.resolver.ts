import { Inject, UseFilters } from '@nestjs/common';
import { runQuery, runsQuery } from '@agentledger/contracts';
import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { agentLoader } from '../agents/agent-loader.js';
import { Agent } from '../agents/agent.types.js';
import type { Caller } from '../auth/api-keys.js';
import { callerOf, CurrentCaller, type GatewayContext } from '../auth/gateway-context.js';
import { costFilterArgs } from '../costs/costs.resolver.js';
import { CostFilter } from '../costs/cost.types.js';
import { badUserInput } from '../graphql/errors.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { timeWindow } from '../time-window.js';
import { Run, RunConnection, RunSummary } from './run.types.js';

const MAX_TRACE_ID_LENGTH = 256;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const MAX_CURSOR_LENGTH = 512;

/** Checks a page request; the cursor is the service's own, opaque here. */
export function pageArgs(first: number | null | undefined, after: string | null | undefined): { first: number; after: string | null } {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`);
  if (after !== null && after !== undefined && (after === '' || after.length > MAX_CURSOR_LENGTH)) throw badUserInput('after is not a cursor this API gave out');
  return { first: size, after: after ?? null };
}

/** Runs, as attributed by the attribution service. */
@UseFilters(ResolverErrors)
@Resolver(() => Run)
export class RunsResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => Run, { nullable: true, description: 'A run by its trace id; null when there is none.' })
  async run(@CurrentCaller() caller: Caller, @Args('traceId', { type: () => ID }) traceId: string): Promise<Run | null> {
    if (traceId === '' || traceId.length > MAX_TRACE_ID_LENGTH) throw badUserInput(`traceId must be 1-${MAX_TRACE_ID_LENGTH} characters`);
    return (await this.services.ask(caller, runQuery, { traceId })) ?? null;
  }

  @Query(() => RunConnection, { description: 'Runs started in [from, to), newest first, a page at a time.' })
  async runs(
    @CurrentCaller() caller: Caller,
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('filter', { type: () => CostFilter, nullable: true }) filter?: CostFilter | null,
    @Args('first', { type: () => Int, nullable: true, description: `Page size, ${DEFAULT_PAGE_SIZE} by default, at most ${MAX_PAGE_SIZE}.` }) first?: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'The endCursor of the previous page.' }) after?: string | null,
  ): Promise<RunConnection> {
    const args = { ...timeWindow(from, to), filter: costFilterArgs(filter), ...pageArgs(first, after) };
    const page = await this.services.ask(caller, runsQuery, args);
    return { nodes: page.nodes, pageInfo: { endCursor: page.endCursor ?? null, hasNextPage: page.hasNextPage } };
  }

  @ResolveField('agent', () => Agent, { nullable: true })
  agent(@Parent() run: Run, @Context() context: GatewayContext): Promise<Agent | null> {
    return agentLoader(context, callerOf(context), this.services).load(run.agentId);
  }
}

/** `RunSummary.agent`, batched with every other run of the page. */
@UseFilters(ResolverErrors)
@Resolver(() => RunSummary)
export class RunSummaryResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @ResolveField('agent', () => Agent, { nullable: true })
  agent(@Parent() run: RunSummary, @Context() context: GatewayContext): Promise<Agent | null> {
    return agentLoader(context, callerOf(context), this.services).load(run.agentId);
  }
}
