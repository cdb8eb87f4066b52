import { Inject, UseFilters } from '@nestjs/common';
import { alertsQuery, inventoryAlertsQuery } from '@agentledger/contracts';
import { Args, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { Caller } from '../auth/api-keys.js';
import { CurrentCaller } from '../auth/gateway-context.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { ResolverErrors } from '../graphql/resolver-errors.filter.js';
import { ServiceQueries } from '../service-queries.js';
import { timeWindow } from '../time-window.js';
import { AlertFeed } from './alert-feed.js';
import { Alert } from './alert.types.js';
import { mergeAlerts } from './merge-alerts.js';

const window = { type: () => DateTimeScalar };

/** Alerts, raised and kept by budgeting (budgets, anomalies) and the inventory (AGENT_DISCOVERED); streamed over graphql-ws as they are raised. */
@UseFilters(ResolverErrors)
@Resolver(() => Alert)
export class AlertsResolver {
  constructor(
    @Inject(ServiceQueries) private readonly services: ServiceQueries,
    @Inject(AlertFeed) private readonly feed: AlertFeed,
  ) {}

  @Query(() => [Alert], { description: 'Alerts raised in [from, to), by when they were raised, oldest first.' })
  async alerts(@CurrentCaller() caller: Caller, @Args('from', window) from: Date, @Args('to', window) to: Date): Promise<Alert[]> {
    const range = timeWindow(from, to);
    const [budgeting, inventory] = await Promise.all([this.services.ask(caller, alertsQuery, range), this.services.ask(caller, inventoryAlertsQuery, range)]);
    return mergeAlerts(budgeting, inventory);
  }

  @Subscription(() => Alert, {
    name: 'alerts',
    description: "Each alert of the key's tenant as it is raised (graphql-ws); those raised before the subscription started are in the alerts query.",
    resolve: (alert: Alert) => alert,
  })
  alertRaised(@CurrentCaller() caller: Caller): AsyncIterableIterator<Alert> {
    return this.feed.alerts(caller.tenant);
  }
}
