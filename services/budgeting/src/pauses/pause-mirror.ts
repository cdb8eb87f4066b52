import type { KV } from '@nats-io/kv';
import type { JetStreamClient } from '@nats-io/jetstream';
import { deleteControlKey, describeError, pauseKey, putControlKey, scopeOfPauseKey, type ConsumerLogger, type Namespace } from '@agentledger/jetstream';
import { PollingWorker } from '@agentledger/service-kit';
import type { BudgetingDb } from '../db.js';
import { listPauses } from './pauses.js';
import { pauseValue, storedScopeId, type Pause } from './pause.js';

export interface PauseMirrorOptions {
  readonly db: BudgetingDb;
  /** The bucket `finops_control` (in a test namespace, its prefixed twin), written through `js`. */
  readonly kv: KV;
  readonly js: JetStreamClient;
  readonly ns: Namespace;
  readonly logger?: ConsumerLogger;
  /** How often queued changes (e.g. a replica's) are looked for; default 200 ms. */
  readonly pollMs?: number;
  /** How often the whole bucket is compared with the record of truth; default 5 min. */
  readonly reconcileMs?: number;
}

interface ChangeRow {
  id: bigint;
  tenant: string;
  scope: string;
  scope_id: string;
}

const encoder = new TextEncoder();

/**
 * Writes the pause table to the KV bucket agents watch (CONTRACT part D: `paused.<tenant>.<scope>.<scopeId>`,
 * deleted on resume). A change queues its key in `pause_change` in its own transaction; the mirror
 * takes queued keys (SKIP LOCKED, so replicas share them), and for each key — under a transaction
 * lock of the key, in key order — reads the pause as it stands now and puts or deletes it. Whatever
 * order replicas write in, the last write of a key reads the last committed state. A failed write
 * leaves the change queued for the next pass.
 */
export class PauseMirror {
  readonly name = 'pause-mirror';
  private readonly worker: PollingWorker;
  private reconcileTimer?: NodeJS.Timeout;

  constructor(private readonly options: PauseMirrorOptions) {
    this.worker = new PollingWorker({
      name: 'pause mirror write',
      pollMs: options.pollMs ?? 200,
      logger: options.logger,
      pass: async () => {
        while ((await this.writePage()) > 0);
      },
    });
  }

  get isBound(): boolean {
    return this.worker.isBound;
  }

  start(): void {
    if (this.worker.isBound) return;
    void this.reconcile();
    this.worker.start();
    this.reconcileTimer = setInterval(() => void this.reconcile(), this.options.reconcileMs ?? 300_000);
    this.reconcileTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.reconcileTimer);
    await this.worker.stop();
  }

  /** Writes every queued change; resolves when done (or failed: the poll retries). Concurrent calls share a pass. */
  flush(): Promise<void> {
    return this.worker.flush();
  }

  private async writePage(): Promise<number> {
    const { db, js, ns } = this.options;
    return db.$transaction(
      async (tx) => {
        const changes = await tx.$queryRawUnsafe<ChangeRow[]>('SELECT id, tenant, scope, scope_id FROM pause_change ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED');
        if (changes.length === 0) return 0;
        const keys = new Map<string, ChangeRow>();
        for (const change of changes) keys.set(pauseKey(change.tenant, change.scope, change.scope_id), change);
        for (const key of [...keys.keys()].sort()) {
          const { tenant, scope, scope_id } = keys.get(key)!;
          await tx.$queryRawUnsafe('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text AS locked', key);
          const [pause] = await tx.$queryRawUnsafe<Array<{ reason: string; paused_by: string; budget_id: string | null; paused_at: Date }>>(
            'SELECT reason, paused_by, budget_id, paused_at FROM pause WHERE tenant = $1 AND scope = $2 AND scope_id = $3',
            tenant,
            scope,
            scope_id,
          );
          if (pause) {
            const value = pauseValue({ scope: scope as Pause['scope'], scopeId: scope_id, reason: pause.reason, by: pause.paused_by, budgetId: pause.budget_id, pausedAt: new Date(pause.paused_at) });
            await putControlKey(js, ns, key, encoder.encode(JSON.stringify(value)));
          } else {
            await deleteControlKey(js, ns, key);
          }
        }
        await tx.$executeRawUnsafe('DELETE FROM pause_change WHERE id = ANY($1::bigint[])', changes.map((change) => change.id));
        return changes.length;
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  }

  /**
   * Queues every key that differs between the bucket and the table — a bucket lost or recreated
   * with its NATS store, a key written by hand — so the next pass makes them agree.
   */
  async reconcile(): Promise<void> {
    const { db, kv } = this.options;
    try {
      const inBucket = new Set<string>();
      for await (const key of await kv.keys('paused.>')) inBucket.add(key);
      const tenants = await db.$queryRawUnsafe<Array<{ tenant: string }>>('SELECT DISTINCT tenant FROM pause');
      const inTable = new Map<string, Pause & { tenant: string }>();
      for (const { tenant } of tenants) for (const pause of await listPauses(db, tenant)) inTable.set(pauseKey(tenant, pause.scope, pause.scopeId), { ...pause, tenant });
      const differing: Array<{ tenant: string; scope: string; scopeId: string }> = [];
      for (const [key, pause] of inTable) if (!inBucket.has(key)) differing.push({ tenant: pause.tenant, scope: pause.scope, scopeId: storedScopeId(pause) });
      for (const key of inBucket) {
        const scope = scopeOfPauseKey(key);
        if (scope && !inTable.has(key)) differing.push({ tenant: scope.tenant, scope: scope.scope, scopeId: scope.scopeId ?? '' });
      }
      if (differing.length === 0) return;
      await db.$executeRawUnsafe(
        'INSERT INTO pause_change (tenant, scope, scope_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])',
        differing.map((change) => change.tenant),
        differing.map((change) => change.scope),
        differing.map((change) => change.scopeId),
      );
      await this.flush();
    } catch (error) {
      this.options.logger?.warn('pause mirror reconcile failed', { error: describeError(error) });
    }
  }
}
