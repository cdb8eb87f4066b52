import { Inject, UseFilters } from '@nestjs/common';
import { deadLettersQuery } from '@agentledger/contracts';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { timeWindow } from '../time-window.js';
import { DeadLetter } from './dead-letter.types.js';

/** Rejected events, kept by the ingestion service. */
@UseFilters(ResolverErrors)
@Resolver(() => DeadLetter)
export class DeadLettersResolver {
  constructor(@Inject(ServiceQueries) private readonly services: ServiceQueries) {}

  @Query(() => [DeadLetter], { description: 'Events rejected in [from, to).' })
  deadLetters(
    @CurrentCaller() caller: Caller,
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
  ): Promise<DeadLetter[]> {
    return this.services.ask(caller, deadLettersQuery, timeWindow(from, to));
  }
}
