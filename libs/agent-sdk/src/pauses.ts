import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { CheckScope } from './check.js';
import { pauseKeysOf, scopeOfPauseKey, type PauseScope } from './pause-key.js';

/** A paused scope as the control bucket holds it. */
export interface Pause {
  scope: PauseScope;
  /** Null for the tenant scope; decoded (not the key's `~base64url` token). */
  scopeId: string | null;
  reason: string;
  by: string;
  /** RFC 3339, when it was paused. */
  at: string;
  /** The BLOCK budget whose breach paused the scope; null for a pause by hand. */
  budgetId: string | null;
}

export type PauseChange =
  | { type: 'paused'; pause: Pause; /** True for a pause already in place when the watch started. */ initial: boolean }
  | { type: 'resumed'; scope: PauseScope; scopeId: string | null };

export type PauseListener = (change: PauseChange, pauses: readonly Pause[]) => void;

const scopeKey = (scope: PauseScope, scopeId: string | null) => `${scope}\u0000${scopeId ?? ''}`;

function pauseOf(scope: PauseScope, scopeId: string | null, value: string): Pause {
  let fields: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null) fields = parsed as Record<string, unknown>;
  } catch {
    // A key that is there means paused, whatever its value: an unreadable value still stops the agent.
  }
  const textOf = (field: string, fallback: string) => (typeof fields[field] === 'string' ? (fields[field] as string) : fallback);
  return { scope, scopeId, reason: textOf('reason', 'paused'), by: textOf('by', 'unknown'), at: textOf('at', ''), budgetId: typeof fields.budgetId === 'string' ? fields.budgetId : null };
}

/**
 * The tenant's paused scopes, kept from the bucket's entries. Pure: `apply` takes one entry
 * (a put or a delete of a key) and returns the change it makes, if any.
 */
export class PauseBoard {
  private readonly byScope = new Map<string, Pause>();

  constructor(private readonly tenant: string) {}

  apply(entry: { key: string; operation: 'PUT' | 'DEL' | 'PURGE'; value: string }, initial: boolean): PauseChange | undefined {
    const named = scopeOfPauseKey(entry.key);
    if (!named || named.tenant !== this.tenant) return undefined;
    const key = scopeKey(named.scope, named.scopeId);
    if (entry.operation === 'PUT') {
      const pause = pauseOf(named.scope, named.scopeId, entry.value);
      this.byScope.set(key, pause);
      return { type: 'paused', pause, initial };
    }
    if (!this.byScope.delete(key)) return undefined;
    return { type: 'resumed', scope: named.scope, scopeId: named.scopeId };
  }

  pauses(): Pause[] {
    return [...this.byScope.values()];
  }

  /**
   * The pause of a scope covering an agent with these fields, if any: the tenant, its team, the
   * agent itself, its workflow, its environment (absent = `production`), as part D matches them.
   */
  covering(agent: CheckScope): Pause | undefined {
    const candidates: Array<[PauseScope, string | null | undefined]> = [
      ['TENANT', null],
      ['AGENT', agent.agentId],
      ['TEAM', agent.team],
      ['WORKFLOW', agent.workflow],
      ['ENVIRONMENT', agent.environment || 'production'],
    ];
    for (const [scope, scopeId] of candidates) {
      if (scopeId === undefined || scopeId === '') continue;
      const pause = this.byScope.get(scopeKey(scope, scopeId));
      if (pause) return pause;
    }
    return undefined;
  }
}

/** A running watch of the control bucket. */
export interface PauseWatch {
  /** The paused scopes now. */
  pauses(): Pause[];
  /** The pause covering an agent with these fields, if any. */
  covering(agent: CheckScope): Pause | undefined;
  stop(): Promise<void>;
}

/**
 * Watches `paused.<tenant>.>` in the KV bucket: resolves once the pauses in place are known (each
 * reported to the listener as `initial`), then reports every change until stopped.
 */
export async function watchPauseBucket(js: JetStreamClient, bucket: string, tenant: string, listener: PauseListener): Promise<PauseWatch> {
  // Only consumers filtered on the tenant's own keys: an agent credential may create nothing
  // else on the bucket (docs/nats-security.md), and learns nothing of other tenants' pauses.
  const kv = await new Kvm(js).open(bucket);
  const pausesInPlace = await hasLiveKey(kv, pauseKeysOf(tenant)).catch((error: unknown) => {
    throw new Error(`watchPauses: cannot open the control bucket ${JSON.stringify(bucket)} (is the budgeting service provisioned?): ${(error as Error).message}`, { cause: error });
  });

  const board = new PauseBoard(tenant);
  let initialDone = !pausesInPlace;
  let markReady!: () => void;
  let failed!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (failed = reject)));
  if (initialDone) markReady();
  const watcher = await kv.watch({ key: pauseKeysOf(tenant) });
  const consumed = (async () => {
    for await (const entry of watcher) {
      // The watch replays the last entry of every key first; `delta` 0 marks the last of them.
      const change = board.apply({ key: entry.key, operation: entry.operation, value: valueOf(entry) }, !initialDone);
      if (change) notify(listener, change, board.pauses());
      if (!initialDone && entry.delta === 0) {
        initialDone = true;
        markReady();
      }
    }
  })();
  consumed.catch(failed);
  await ready;
  return {
    pauses: () => board.pauses(),
    covering: (agent) => board.covering(agent),
    async stop() {
      watcher.stop();
      await consumed;
    },
  };
}

/** Whether any key matching `filter` holds a value (deleted keys do not count). */
async function hasLiveKey(kv: KV, filter: string): Promise<boolean> {
  const keys = await kv.keys(filter);
  for await (const _key of keys) {
    keys.stop();
    return true;
  }
  return false;
}

/** A listener that throws must not end the watch: the agent would stop hearing of pauses. */
function notify(listener: PauseListener, change: PauseChange, pauses: readonly Pause[]): void {
  try {
    listener(change, pauses);
  } catch (error) {
    console.error('watchPauses: the listener threw', error);
  }
}

const valueOf = (entry: KvEntry): string => (entry.operation === 'PUT' ? entry.string() : '');
