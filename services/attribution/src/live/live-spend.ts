import { subjectIn, type Namespace } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal, ZERO, type Decimal } from '@agentledger/money';
import type { SqlExecutor, TransactionalDb } from '@agentledger/projections';
import type { ProjectionDefinition, ServiceContext } from '@agentledger/service-kit';
import type { CostEntryRow } from '../costs/cost-entry.js';

/** What a live subscriber receives: the spend added to one minute (event time) by one batch. */
export interface SpendTick {
  tenant: string;
  minute: string;
  totalCost: string;
}

type NatsConnection = ServiceContext<unknown>['nc'];

const MINUTE_MS = 60_000;

/** The batch's cost per (tenant, minute of event time); minutes whose delta is zero are left out. */
export function spendByMinute(rows: readonly CostEntryRow[]): SpendTick[] {
  const totals = new Map<string, { tenant: string; minute: string; total: Decimal }>();
  for (const row of rows) {
    const minute = new Date(Math.floor(row.time.getTime() / MINUTE_MS) * MINUTE_MS).toISOString();
    const key = `${row.tenant}|${minute}`;
    const entry = totals.get(key) ?? { tenant: row.tenant, minute, total: ZERO };
    entry.total = entry.total.plus(parseDecimal(row.cost));
    totals.set(key, entry);
  }
  return [...totals.values()].filter((entry) => !entry.total.isZero()).map((entry) => ({ tenant: entry.tenant, minute: entry.minute, totalCost: formatDecimal(entry.total) }));
}

export const liveSpendSubject = (ns: Namespace, tenant: string) => subjectIn(ns, `finops.live.${tenant}.spend`);

/**
 * Publishes spend per minute on core NATS once a cost batch has committed (never before,
 * so a rolled-back batch announces nothing). Ticks are a live view, not a log: a subscriber
 * that misses one reads the totals with `spendOverTime`.
 */
export class LiveSpend {
  private staged: CostEntryRow[] | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
  ) {}

  /** The database the projection runs its batches on: publishes what a batch staged after it commits. */
  committing<Tx extends SqlExecutor>(db: TransactionalDb<Tx>): TransactionalDb<Tx> {
    return {
      $transaction: async (fn, options) => {
        const staged: CostEntryRow[] = [];
        this.staged = staged;
        try {
          const result = await db.$transaction(fn, options);
          this.publish(staged);
          return result;
        } finally {
          this.staged = undefined;
        }
      },
    };
  }

  /** The projection with its applied rows staged for publication. */
  staging<Tx extends SqlExecutor>(definition: ProjectionDefinition<CostEntryRow, Tx>): ProjectionDefinition<CostEntryRow, Tx> {
    return {
      ...definition,
      decode: (msg) => definition.decode(msg),
      apply: async (tx, rows) => {
        // An own-key projection sees a redelivery too and says which rows were new: only those move spend.
        const inserted = await definition.apply(tx, rows);
        this.staged?.push(...(inserted ?? rows));
        return inserted;
      },
    };
  }

  private publish(rows: readonly CostEntryRow[]): void {
    for (const tick of spendByMinute(rows)) {
      this.nc.publish(liveSpendSubject(this.ns, tick.tenant), JSON.stringify({ minute: tick.minute, totalCost: tick.totalCost }));
    }
  }
}
