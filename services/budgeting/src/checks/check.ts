import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { formatDecimal, fromStored, type Decimal } from '@agentledger/money';
import type { BudgetScope, BudgetSettings } from '../budgets/budget.js';
import { periodContaining, type PeriodBounds } from '../budgets/budget-period.js';
import { settingsOfRow } from '../budgets/budget-view.js';
import { decideCheck, matchesRequest, type BudgetStanding } from './check-decision.js';
import type { CheckRequest } from './check-request.js';
import type { Pause } from '../pauses/pause.js';

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
  budgetId: string;
  name: string | null;
  scope: string;
  scopeId: string | null;
  period: string;
  limit: string;
  thresholds: number[];
  enforcement: string;
  timeZone: string;
  webhookUrl: string | null;
  deleted: boolean;
  streamSequence: string;
}

interface CheckRow {
  check_index: number;
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

/** A check waiting for its tenant's next batch. */
interface PendingCheck {
  readonly request: CheckRequest;
  readonly now: Date;
  readonly resolve: (reply: CheckReply) => void;
  readonly reject: (error: unknown) => void;
}

/** At most this many checks go to the database in one call. */
const MAX_BATCH = 256;

export interface PreCallChecksOptions {
  /** A plain pg pool in budgeting's schema: a batch of checks is one call of `budget_check_batch` (migration 010). */
  readonly pool: pg.Pool;
  readonly newId?: () => string;
}

/**
 * Pre-call checks, a batch per SQL round trip. The matching budgets and their current periods
 * are worked out here, from a copy of the tenant's budgets kept between checks. A tenant has at
 * most one call of `budget_check_batch` (migration 010) in flight per replica: the checks that
 * arrive meanwhile wait and go together in the next one, so a lone check goes at once and a
 * burst costs one lock of the budgets' rows per batch, not per check. The function locks those
 * rows, confirms the copy is still current (else the copy is read again and the batch retried),
 * and decides the checks one after another on spend, reservations and pauses, each seeing what
 * the ones before it reserved — so concurrent checks, on any number of replicas, never together
 * reserve more than a budget has left. Each decision is read off the same figures by
 * `decideCheck`, and must agree with what the database did.
 */
export class PreCallChecks {
  private readonly tenants = new Map<string, TenantBudgets>();
  /** Current periods by (period, zone): worked out once per period rather than on every check. */
  private readonly periods = new Map<string, PeriodBounds>();
  private readonly waiting = new Map<string, PendingCheck[]>();
  private readonly inFlight = new Set<string>();

  constructor(private readonly options: PreCallChecksOptions) {}

  check(tenant: string, request: CheckRequest, now: Date): Promise<CheckReply> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(tenant);
      if (queue) queue.push({ request, now, resolve, reject });
      else this.waiting.set(tenant, [{ request, now, resolve, reject }]);
      if (!this.inFlight.has(tenant)) void this.drain(tenant);
    });
  }

  /** Sends the tenant's waiting checks, a batch at a time, until none wait. */
  private async drain(tenant: string): Promise<void> {
    this.inFlight.add(tenant);
    try {
      for (let queue = this.waiting.get(tenant); queue && queue.length > 0; queue = this.waiting.get(tenant)) {
        const batch = queue.splice(0, MAX_BATCH);
        if (queue.length === 0) this.waiting.delete(tenant);
        try {
          await this.checkBatch(tenant, batch);
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.inFlight.delete(tenant);
    }
  }

  private async checkBatch(tenant: string, batch: readonly PendingCheck[]): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const known = this.tenants.get(tenant) ?? (await this.load(tenant));
      if (await this.tryBatch(tenant, known, batch)) return;
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
      `SELECT budget_id AS "budgetId", name, scope, scope_id AS "scopeId", period, "limit"::text AS "limit", thresholds, enforcement,
              time_zone AS "timeZone", webhook_url AS "webhookUrl", deleted, stream_sequence::text AS "streamSequence"
         FROM budget WHERE tenant = $1`,
      [tenant],
    );
    const latest = rows.reduce((max, row) => (BigInt(row.streamSequence) > max ? BigInt(row.streamSequence) : max), 0n);
    const budgets = rows.filter((row) => !row.deleted).map((row) => ({ budgetId: row.budgetId, settings: settingsOfRow(row) }));
    const known = { budgets, latestSequence: latest.toString() };
    this.tenants.set(tenant, known);
    return known;
  }

  /**
   * Decides the batch in one call, settling each check's promise; false (nothing reserved, no
   * promise settled) when the tenant's budgets changed since they were read.
   */
  private async tryBatch(tenant: string, known: TenantBudgets, batch: readonly PendingCheck[]): Promise<boolean> {
    // One instant for the batch (its latest arrival): every check of it is decided in the same periods.
    const now = new Date(Math.max(...batch.map((pending) => pending.now.getTime())));
    const matchingOf = batch.map(({ request }) => known.budgets.filter((budget) => matchesRequest(budget.settings, request)));
    const union = [...new Map(matchingOf.flat().map((budget) => [budget.budgetId, budget])).values()].sort((a, b) => (a.budgetId < b.budgetId ? -1 : 1));
    const position = new Map(union.map((budget, index) => [budget.budgetId, index + 1]));
    const periods = union.map(({ settings }) => this.periodOf(settings, now));
    const offsets: number[] = [1];
    const positions: number[] = [];
    for (const matching of matchingOf) {
      for (const budget of matching) positions.push(position.get(budget.budgetId)!);
      offsets.push(positions.length + 1);
    }
    const newId = this.options.newId ?? randomUUID;
    const reservationIds = batch.map(() => newId());
    const { rows } = await this.options.pool.query<CheckRow>({
      // Prepared once per connection: a check is parsed and planned once, not on every call.
      name: 'budget_check_batch',
      text: `SELECT * FROM budget_check_batch($1, $2::bigint, $3::timestamptz, $4::text[], $5::timestamptz[], $6::timestamptz[],
         $7::text[], $8::text[], $9::text[], $10::numeric[], $11::timestamptz[], $12::text[], $13::text[], $14::text[], $15::int[], $16::int[])`,
      values: [
        tenant,
        known.latestSequence,
        now.toISOString(),
        union.map((budget) => budget.budgetId),
        periods.map((period) => period.start.toISOString()),
        periods.map((period) => period.end.toISOString()),
        reservationIds,
        batch.map(({ request }) => request.agentId),
        batch.map(({ request }) => request.spanId),
        batch.map(({ request }) => formatDecimal(request.estimate)),
        batch.map(({ request, now: arrived }) => new Date(arrived.getTime() + request.ttlSeconds * 1000).toISOString()),
        batch.map(({ request }) => request.team),
        batch.map(({ request }) => request.workflow),
        batch.map(({ request }) => request.environment),
        offsets,
        positions,
      ],
    });
    if (rows.some((row) => row.row_kind === 'stale')) return false;
    const rowsOf = new Map<number, CheckRow[]>();
    for (const row of rows) {
      const list = rowsOf.get(row.check_index);
      if (list) list.push(row);
      else rowsOf.set(row.check_index, [row]);
    }
    const disagreed: string[] = [];
    batch.forEach((pending, index) => {
      const checkRows = rowsOf.get(index + 1) ?? [];
      const figures = new Map(checkRows.filter((row) => row.row_kind === 'budget').map((row) => [row.budget_id!, { spent: fromStored(row.spent!), reserved: fromStored(row.reserved!) }]));
      const standings: BudgetStanding[] = matchingOf[index]!.flatMap(({ budgetId, settings }) => {
        const figure = figures.get(budgetId);
        return figure ? [{ budgetId, ...settings, ...figure }] : [];
      });
      const pauses: CheckPause[] = checkRows
        .filter((row) => row.row_kind === 'pause')
        .map((row) => ({ scope: row.pause_scope as BudgetScope, scopeId: row.pause_scope === 'TENANT' ? null : row.pause_scope_id, reason: row.pause_reason!, budgetId: row.pause_budget_id }));
      const reserved = checkRows.some((row) => row.reserved_now);
      try {
        pending.resolve(this.reply(standings, pauses, pending.request.estimate, reserved ? reservationIds[index]! : null));
      } catch (error) {
        if (reserved) disagreed.push(reservationIds[index]!);
        pending.reject(error);
      }
    });
    if (disagreed.length > 0) await this.options.pool.query('DELETE FROM reservation WHERE tenant = $1 AND reservation_id = ANY ($2::text[])', [tenant, disagreed]);
    return true;
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
