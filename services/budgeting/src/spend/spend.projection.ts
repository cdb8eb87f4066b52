import { fromTimestamp, pricedCostCodec, type PricedCost } from '@agentledger/contracts';
import { CONSUMERS, PermanentError, type Namespace } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal, type Decimal } from '@agentledger/money';
import { columnsOf, insertRows } from '@agentledger/projections';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { Tx } from '../db.js';
import { inScope, raiseThresholdAlerts } from '../alerts/threshold-alerts.js';
import { settleReservations } from '../checks/reservations.js';
import { activeBudgets } from '../budgets/budget-view.js';
import { periodContaining } from '../budgets/budget-period.js';
import { reconcileBudgetPauses } from '../pauses/pauses.js';
import { recordAgentHours } from '../anomalies/agent-hours.js';
import { DEFAULT_ANOMALY_RULES, raiseAnomalies, type AnomalyRules } from '../anomalies/anomaly-alerts.js';

const QUARTER_HOUR_MS = 15 * 60_000;

/** The quarter hour (UTC) an event time falls in. */
export const quarterHourOf = (time: Date): Date => new Date(Math.floor(time.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);

export interface SpendDeps {
  readonly ns: Namespace;
  readonly clock: () => Date;
  /** After a committed batch: the pauses it set or lifted go to the KV bucket (the mirror's flush). */
  readonly afterCommit?: () => void;
  /** SPEND_ANOMALY and RETRY_STORM (default: DEFAULT_ANOMALY_RULES). */
  readonly anomalies?: AnomalyRules;
}

/**
 * Priced costs and corrections → spend per quarter hour of event time and scope, where every
 * budget's spend comes from; a reactor: in the same transaction, the thresholds the batch makes a
 * budget's current period reach raise their alerts (once each, staged in the outbox), and a BLOCK
 * budget the batch exceeds pauses its scope (or, after a correction, lifts its pause). Each agent's
 * hours feed its own baseline: an hour far above it raises SPEND_ANOMALY or RETRY_STORM at once.
 */
export function spendProjection(deps: SpendDeps): ProjectionDefinition<PricedCost, Tx> {
  return {
    name: 'budgeting-spend',
    consumer: CONSUMERS.budgetingSpend,
    // Keyed by event identity only: another stream is reported, then followed.
    streamIndependent: true,
    tables: ['scope_spend_quarter_hour', 'agent_hour'],
    emits: true,
    afterCommit: deps.afterCommit,
    decode(msg) {
      try {
        const cost = pricedCostCodec.decode(msg.data);
        return { key: `${cost.tenant}|${cost.costId}`, event: cost };
      } catch (error) {
        throw new PermanentError(`undecodable priced cost: ${(error as Error).message}`, 'undecodable');
      }
    },
    async apply(tx, costs) {
      await recordSpend(tx, costs);
      await reactToSpend(tx, deps, costs);
      await raiseAnomalies(tx, deps.ns, await recordAgentHours(tx, costs), deps.anomalies ?? DEFAULT_ANOMALY_RULES, deps.clock());
      // A call's own priced event settles what its check reserved: the spend now holds it. Last,
      // so the reservation totals it moves are locked only until the commit that follows.
      await settleReservations(tx, costs.map((cost) => ({ tenant: cost.tenant, agentId: cost.common?.agentId ?? '', spanId: cost.common?.spanId ?? '' })));
    },
  };
}

const SCOPE_SPEND_COLUMNS = columnsOf<Record<string, unknown>>({ tenant: 'text', scope: 'text', scope_id: 'text', bucket_start: 'timestamptz', cost: 'numeric' });

/**
 * Spend per (tenant, budget scope, quarter hour of event time) — what a budget reads: a month of one
 * scope is at most 2,976 rows. Summed in memory, exactly: first per quarter hour and combination of
 * scopes (one key per cost), then each sum into its five scopes; one statement for the batch.
 */
async function recordSpend(tx: Tx, costs: readonly PricedCost[]): Promise<void> {
  const spend = new Map<string, { tenant: string; bucketStart: Date; team: string; agentId: string; workflow: string; environment: string; cost: Decimal }>();
  for (const cost of costs) {
    const scope = {
      tenant: cost.tenant,
      bucketStart: quarterHourOf(fromTimestamp(cost.time)),
      team: cost.common?.team ?? '',
      agentId: cost.common?.agentId ?? '',
      workflow: cost.common?.workflow ?? '',
      environment: cost.common?.environment || 'production',
    };
    const key = [scope.tenant, scope.bucketStart.getTime(), scope.team, scope.agentId, scope.workflow, scope.environment].join('\u0000');
    const amount = parseDecimal(cost.cost);
    const seen = spend.get(key);
    if (seen) seen.cost = seen.cost.plus(amount);
    else spend.set(key, { ...scope, cost: amount });
  }
  const byScope = new Map<string, { tenant: string; scope: string; scopeId: string; bucketStart: Date; cost: Decimal }>();
  for (const row of spend.values()) {
    const scopes: Array<[string, string]> = [['TENANT', ''], ['TEAM', row.team], ['AGENT', row.agentId], ['WORKFLOW', row.workflow], ['ENVIRONMENT', row.environment]];
    for (const [scope, scopeId] of scopes) {
      const key = [row.tenant, scope, scopeId, row.bucketStart.getTime()].join('\u0000');
      const seen = byScope.get(key);
      if (seen) seen.cost = seen.cost.plus(row.cost);
      else byScope.set(key, { tenant: row.tenant, scope, scopeId, bucketStart: row.bucketStart, cost: row.cost });
    }
  }
  await insertRows(
    tx,
    'scope_spend_quarter_hour',
    SCOPE_SPEND_COLUMNS,
    [...byScope.values()].map((row) => ({ ...row, cost: formatDecimal(row.cost) })),
    'ON CONFLICT (tenant, scope, scope_id, bucket_start) DO UPDATE SET cost = scope_spend_quarter_hour.cost + EXCLUDED.cost',
  );
}

/**
 * The budgets whose current period a cost of the batch lands in, evaluated after the batch's
 * spend: their alerts, and the pauses of the BLOCK ones. Late events of past periods move spend
 * but raise nothing: alerts and pauses are about now.
 */
async function reactToSpend(tx: Tx, deps: SpendDeps, costs: readonly PricedCost[]): Promise<void> {
  const now = deps.clock();
  for (const tenant of new Set(costs.map((cost) => cost.tenant))) {
    const ofTenant = costs.filter((cost) => cost.tenant === tenant);
    const budgets = await activeBudgets(tx, tenant);
    const touched = budgets.filter((budget) => {
      const { start, end } = periodContaining(budget.settings.period, budget.settings.timeZone, now);
      return ofTenant.some((cost) => {
        const time = fromTimestamp(cost.time);
        return time >= start && time < end && inScope(budget.settings, cost);
      });
    });
    for (const budget of touched) await raiseThresholdAlerts(tx, deps.ns, tenant, budget, now);
    const blocking = touched.filter((budget) => budget.settings.enforcement === 'BLOCK').map((budget) => budget.settings);
    if (blocking.length > 0) await reconcileBudgetPauses(tx, tenant, budgets, blocking, now);
  }
}
