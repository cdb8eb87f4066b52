import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { formatDecimal, fromStored, type Decimal } from '@agentledger/money';
import type { BudgetScope, BudgetSettings } from '../budgets/budget.js';
import { periodContaining, type PeriodBounds } from '../budgets/budget-period.js';
import { decideCheck, matchesRequest, type BudgetStanding } from './check-decision.js';
import type { CheckRequest } from './check-request.js';
import { scopesCovering, storedScopeId, type Pause } from '../pauses/pause.js';

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

const scopeInWords = (pause: Pick<Pause, 'scope' | 'scopeId'>) => (pause.scope === 'TENANT' ? 'the tenant' : `${pause.scope.toLowerCase()} ${pause.scopeId}`);

function reasonOf(decision: 'ALLOW' | 'BLOCK', standings: readonly BudgetStanding[], blockedBy: readonly string[], pauses: readonly CheckPause[]): string {
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

interface CheckPause {
  readonly scope: BudgetScope;
  readonly scopeId: string | null;
  readonly reason: string;
  readonly budgetId: string | null;
}

/** The tenant's budgets as a check last read them, and the latest stream sequence among them (deleted ones included). */
interface TenantBudgets {
  readonly budgets: ReadonlyArray<{ budgetId: string; settings: BudgetSettings }>;
  readonly latestSequence: string;
}

interface BudgetRow {
  budget_id: string;
  name: string | null;
  scope: string;
  scope_id: string | null;
  period: string;
  limit: string;
  thresholds: number[];
  enforcement: string;
  time_zone: string;
  webhook_url: string | null;
  deleted: boolean;
  stream_sequence: string;
}

interface CheckRow {
  row_kind: 'stale' | 'budget' | 'pause';
  budget_id: string | null;
  spent: string | null;
  reserved: string | null;
  pause_scope: string | null;
  pause_scope_id: string | null;
  pause_reason: string | null;
  pause_budget_id: string | null;
  reserved_now: boolean;
}

export interface PreCallChecksOptions {
  /** A plain pg pool in budgeting's schema: a check is one call of `budget_check` (migration 009). */
  readonly pool: pg.Pool;
  readonly newId?: () => string;
}

/**
 * Pre-call checks, each in one SQL round trip. The matching budgets and their current periods
 * are worked out here, from a copy of the tenant's budgets kept between checks; `budget_check`
 * locks their rows, confirms the copy is still current (else the copy is read again and the
 * check retried), and reads spend, reservations and pauses, reserving the estimate when nothing
 * blocks — so concurrent checks, on any number of replicas, never together reserve more than a
 * budget has left. The decision is read off the same figures by `decideCheck`, and must agree
 * with what the database did.
 */
export class PreCallChecks {
  private readonly tenants = new Map<string, TenantBudgets>();
  /** Current periods by (period, zone): worked out once per period rather than on every check. */
  private readonly periods = new Map<string, PeriodBounds>();

  constructor(private readonly options: PreCallChecksOptions) {}

  async check(tenant: string, request: CheckRequest, now: Date): Promise<CheckReply> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const known = this.tenants.get(tenant) ?? (await this.load(tenant));
      const reply = await this.tryCheck(tenant, known, request, now);
      if (reply) return reply;
      this.tenants.delete(tenant);
    }
    throw new Error(`the budgets of tenant ${tenant} kept changing during a check`);
  }

  private periodOf(settings: Pick<BudgetSettings, 'period' | 'timeZone'>, now: Date): PeriodBounds {
    const key = `${settings.period}|${settings.timeZone}`;
    const known = this.periods.get(key);
    if (known && known.start <= now && now < known.end) return known;
    const bounds = periodContaining(settings.period, settings.timeZone, now);
    this.periods.set(key, bounds);
    return bounds;
  }

  private async load(tenant: string): Promise<TenantBudgets> {
    const { rows } = await this.options.pool.query<BudgetRow>(
      `SELECT budget_id, name, scope, scope_id, period, "limit"::text AS "limit", thresholds, enforcement, time_zone, webhook_url, deleted, stream_sequence::text AS stream_sequence
         FROM budget WHERE tenant = $1`,
      [tenant],
    );
    const latest = rows.reduce((max, row) => (BigInt(row.stream_sequence) > max ? BigInt(row.stream_sequence) : max), 0n);
    const budgets = rows
      .filter((row) => !row.deleted)
      .map((row) => ({
        budgetId: row.budget_id,
        settings: {
          name: row.name,
          scope: row.scope as BudgetSettings['scope'],
          scopeId: row.scope_id,
          period: row.period as BudgetSettings['period'],
          limit: fromStored(row.limit),
          thresholds: row.thresholds,
          enforcement: row.enforcement as BudgetSettings['enforcement'],
          timeZone: row.time_zone,
          webhookUrl: row.webhook_url,
        },
      }));
    const known = { budgets, latestSequence: latest.toString() };
    this.tenants.set(tenant, known);
    return known;
  }

  /** The reply, or undefined when the tenant's budgets changed since they were read. */
  private async tryCheck(tenant: string, known: TenantBudgets, request: CheckRequest, now: Date): Promise<CheckReply | undefined> {
    const matching = known.budgets.filter((budget) => matchesRequest(budget.settings, request)).sort((a, b) => (a.budgetId < b.budgetId ? -1 : 1));
    const periods = matching.map(({ settings }) => this.periodOf(settings, now));
    const scopes = scopesCovering(request);
    const reservationId = (this.options.newId ?? randomUUID)();
    const { rows } = await this.options.pool.query<CheckRow>(
      'SELECT * FROM budget_check($1, $2::text[], $3::timestamptz[], $4::timestamptz[], $5::bigint, $6::text[], $7::text[], $8::numeric, $9, $10, $11, $12::timestamptz, $13::timestamptz)',
      [
        tenant,
        matching.map((budget) => budget.budgetId),
        periods.map((period) => period.start.toISOString()),
        periods.map((period) => period.end.toISOString()),
        known.latestSequence,
        scopes.map((scope) => scope.scope),
        scopes.map(storedScopeId),
        formatDecimal(request.estimate),
        reservationId,
        request.agentId,
        request.spanId,
        now.toISOString(),
        new Date(now.getTime() + request.ttlSeconds * 1000).toISOString(),
      ],
    );
    if (rows.some((row) => row.row_kind === 'stale')) return undefined;
    const figures = new Map(rows.filter((row) => row.row_kind === 'budget').map((row) => [row.budget_id!, { spent: fromStored(row.spent!), reserved: fromStored(row.reserved!) }]));
    const standings: BudgetStanding[] = matching.flatMap(({ budgetId, settings }) => {
      const figure = figures.get(budgetId);
      return figure ? [{ budgetId, ...settings, ...figure }] : [];
    });
    const pauses: CheckPause[] = rows
      .filter((row) => row.row_kind === 'pause')
      .map((row) => ({ scope: row.pause_scope as BudgetScope, scopeId: row.pause_scope === 'TENANT' ? null : row.pause_scope_id, reason: row.pause_reason!, budgetId: row.pause_budget_id }));
    const reserved = rows.some((row) => row.reserved_now);
    try {
      return this.reply(standings, pauses, request.estimate, reserved ? reservationId : null);
    } catch (error) {
      if (reserved) await this.options.pool.query('DELETE FROM reservation WHERE tenant = $1 AND reservation_id = $2', [tenant, reservationId]);
      throw error;
    }
  }

  private reply(standings: readonly BudgetStanding[], pauses: readonly CheckPause[], estimate: Decimal, reservationId: string | null): CheckReply {
    const budgets = decideCheck(standings, estimate);
    // A paused scope stops the call whatever the budgets say (CONTRACT part D), naming the budget that paused it.
    const decision = pauses.length > 0 ? 'BLOCK' : budgets.decision;
    const reserving = decision === 'ALLOW' && estimate.gt(0) && standings.length > 0;
    if (reserving !== (reservationId !== null)) throw new Error(`the check's decision (${decision}) and the database's reservation (${reservationId ?? 'none'}) disagree`);
    const blockedBy = [...new Set([...budgets.blockedBy, ...pauses.flatMap((pause) => (pause.budgetId ? [pause.budgetId] : []))])];
    return {
      decision,
      reservationId,
      reason: reasonOf(decision, standings, blockedBy, pauses),
      paused: pauses.length > 0,
      blockedBy,
      warnings: budgets.warnings,
      budgets: standings.map((standing) => {
        const reserved = reservationId ? standing.reserved.plus(estimate) : standing.reserved;
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
  }
}
