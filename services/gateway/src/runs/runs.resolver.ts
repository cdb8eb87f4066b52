import { Inject, UseFilters } from '@nestjs/common';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { badUserInput } from '../graphql/errors.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { Run } from './run.types.js';

const MAX_TRACE_ID_LENGTH = 256;

/** Runs, as attributed by the attribution service. */
@UseFilters(ResolverErrors)
@Resolver(() => Run)
export class RunsResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => Run, { nullable: true, description: 'A run by its trace id; null when there is none.' })
  async run(@CurrentCaller() caller: Caller, @Args('traceId', { type: () => ID }) traceId: string): Promise<Run | null> {
    if (traceId === '' || traceId.length > MAX_TRACE_ID_LENGTH) throw badUserInput(`traceId must be 1-${MAX_TRACE_ID_LENGTH} characters`);
    return (await this.services.ask<Run | null>(caller, 'attribution', 'run', { traceId })) ?? null;
  }
}
