import { Inject, UseFilters } from '@nestjs/common';
import { Resolver, Subscription } from '@nestjs/graphql';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { LiveSpend } from './live-spend.js';
import { SpendTick } from './spend-tick.types.js';

/** Live views over graphql-ws on /graphql; the tenant is the connection's API key's. */
@UseFilters(ResolverErrors)
@Resolver(() => SpendTick)
export class LiveResolver {
  constructor(@Inject(LiveSpend) private readonly live: LiveSpend) {}

  @Subscription(() => SpendTick, {
    description: 'Spend per minute of event time, as each batch of costs is applied (a delta per tick).',
    resolve: (tick: SpendTick) => tick,
  })
  spendPerMinute(@CurrentCaller() caller: Caller): AsyncIterableIterator<SpendTick> {
    return this.live.ticks(caller.tenant);
  }
}
