import { Inject, UseFilters, UseGuards } from '@nestjs/common';
import { deadLettersQuery, redriveDeadLettersCommand, type ArgsInputOf } from '@agentledger/contracts';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../auth/admin-only.guard.js';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { timeWindow } from '../time-window.js';
import { DeadLetter, DeadLetterSelection, RedriveReport } from './dead-letter.types.js';

/** The arguments of `ingestion.redriveDeadLetters`: the selection's fields that are set, dates as RFC 3339. */
export function redriveArgs(selection: DeadLetterSelection): ArgsInputOf<typeof redriveDeadLettersCommand> {
  return {
    ...(selection.ids ? { ids: selection.ids } : {}),
    ...(selection.from ? { from: selection.from.toISOString() } : {}),
    ...(selection.to ? { to: selection.to.toISOString() } : {}),
    ...(selection.reason ? { reason: selection.reason } : {}),
    ...(selection.subject ? { subject: selection.subject } : {}),
  };
}

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

  @Mutation(() => RedriveReport, {
    description: 'Puts chosen dead letters back through intake (admin keys only); an event already counted is not counted again.',
  })
  @UseGuards(AdminOnly)
  redriveDeadLetters(@CurrentCaller() caller: Caller, @Args('selection', { type: () => DeadLetterSelection }) selection: DeadLetterSelection): Promise<RedriveReport> {
    return this.services.ask(caller, redriveDeadLettersCommand, redriveArgs(selection));
  }
}
