import { randomUUID } from 'node:crypto';
import { formatDecimal } from '@agentledger/money';
import type { BudgetingDb } from '../db.js';
import { activeBudgets } from '../budgets/budget-view.js';
import { periodContaining } from '../budgets/budget-period.js';
import { spentIn } from '../spend/spent.js';
import { decideCheck, matchesRequest, type BudgetStanding } from './check-decision.js';
import type { CheckRequest } from './check-request.js';
import { reservedOn } from './reservations.js';
import { pausesOf } from '../pauses/pauses.js';
import { scopesCovering, type Pause } from '../pauses/pause.js';

/** The reply of CONTRACT part D's pre-call check. */
export interface CheckReply {
  decision: 'ALLOW' | 'BLOCK';
  reservationId: string | null;
  reason: string;
  paused: boolean;
  blockedBy: string[];
  warnings: string[];
  budgets: Array<{ id: string; scope: string; scopeId: string | null; limit: string; spent: string; reserved: string; remaining: string; enforcement: string }>;
}

const scopeInWords = (pause: Pause) => (pause.scope === 'TENANT' ? 'the tenant' : `${pause.scope.toLowerCase()} ${pause.scopeId}`);

function reasonOf(decision: 'ALLOW' | 'BLOCK', standings: readonly BudgetStanding[], blockedBy: readonly string[], pauses: readonly Pause[]): string {
  if (pauses.length > 0) return pauses.map((pause) => `${scopeInWords(pause)} is paused: ${pause.reason}`).join('; ');
  if (standings.length === 0) return 'no budget matches';
  if (decision === 'ALLOW') return `within ${standings.length} matching budget${standings.length === 1 ? '' : 's'}`;
  return blockedBy
    .map((id) => {
      const budget = standings.find((standing) => standing.budgetId === id)!;
      return budget.spent.gte(budget.limit)
        ? `budget ${id} is exceeded (spent ${formatDecimal(budget.spent)} of ${formatDecimal(budget.limit)})`
        : `budget ${id} has ${formatDecimal(budget.limit.minus(budget.spent).minus(budget.reserved))} left`;
    })
    .join('; ');
}

/**
 * A pre-call check, in one transaction: the matching budgets' rows are locked (in id order, so
 * concurrent checks on overlapping budgets queue instead of deadlocking, across every replica),
 * their spend and open reservations read, the decision taken, and an ALLOW with an estimate
 * reserves it on each of them before the locks go. Two checks can never both take what is left.
 */
export async function runCheck(db: BudgetingDb, tenant: string, request: CheckRequest, now: Date, newId: () => string = randomUUID): Promise<CheckReply> {
  return db.$transaction(
    async (tx) => {
      const matching = (await activeBudgets(tx, tenant)).filter((budget) => matchesRequest(budget.settings, request));
      if (matching.length > 0) {
        await tx.$queryRawUnsafe('SELECT budget_id FROM budget WHERE tenant = $1 AND budget_id = ANY($2::text[]) ORDER BY budget_id FOR UPDATE', tenant, matching.map((budget) => budget.budgetId));
      }
      const standings: BudgetStanding[] = [];
      for (const { budgetId, settings } of matching) {
        const { start, end } = periodContaining(settings.period, settings.timeZone, now);
        standings.push({ budgetId, ...settings, spent: await spentIn(tx, tenant, settings, start, end), reserved: await reservedOn(tx, tenant, budgetId, now) });
      }
      const pauses = await pausesOf(tx, tenant, scopesCovering(request));
      const budgets = decideCheck(standings, request.estimate);
      const { warnings } = budgets;
      // A paused scope stops the call whatever the budgets say (CONTRACT part D), naming the budget that paused it.
      const decision = pauses.length > 0 ? 'BLOCK' : budgets.decision;
      const blockedBy = [...new Set([...budgets.blockedBy, ...pauses.flatMap((pause) => (pause.budgetId ? [pause.budgetId] : []))])];
      const reserving = decision === 'ALLOW' && request.estimate.gt(0) && standings.length > 0;
      const reservationId = reserving ? newId() : null;
      if (reservationId) {
        const expiresAt = new Date(now.getTime() + request.ttlSeconds * 1000).toISOString();
        await tx.$executeRawUnsafe(
          `INSERT INTO reservation (tenant, reservation_id, budget_id, agent_id, span_id, amount, expires_at)
           SELECT $1, $2, budget_id, $3, $4, $5::numeric, $6::timestamptz FROM unnest($7::text[]) AS budget_id`,
          tenant,
          reservationId,
          request.agentId,
          request.spanId,
          formatDecimal(request.estimate),
          expiresAt,
          standings.map((standing) => standing.budgetId),
        );
      }
      return {
        decision,
        reservationId,
        reason: reasonOf(decision, standings, blockedBy, pauses),
        paused: pauses.length > 0,
        blockedBy,
        warnings,
        budgets: standings.map((standing) => {
          const reserved = reserving ? standing.reserved.plus(request.estimate) : standing.reserved;
          return {
            id: standing.budgetId,
            scope: standing.scope,
            scopeId: standing.scopeId,
            limit: formatDecimal(standing.limit),
            spent: formatDecimal(standing.spent),
            reserved: formatDecimal(reserved),
            remaining: formatDecimal(standing.limit.minus(standing.spent).minus(reserved)),
            enforcement: standing.enforcement,
          };
        }),
      };
    },
    { timeout: 10_000, maxWait: 10_000 },
  );
}

