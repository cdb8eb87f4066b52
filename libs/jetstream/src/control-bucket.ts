import { Kvm, type KV } from '@nats-io/kv';
import { JetStreamApiError, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { Namespace } from './namespace.js';

/** CONTRACT part D: the JetStream KV bucket agents watch to stop at once. */
export const CONTROL_BUCKET = 'finops_control';

/** The control bucket's name in a namespace (tests get their own bucket, production `finops_control`). */
export const controlBucketIn = (ns: Namespace): string => ns.streamPrefix + CONTROL_BUCKET;

const PLAIN_SCOPE_ID = /^[A-Za-z0-9_-]+$/;

/**
 * `paused.<tenant>.<scope>.<scopeId>`: scope in lower case, `_` for the tenant scope, a scope id
 * outside `[A-Za-z0-9_-]` written `~` + its base64url, so every scope has exactly one key.
 */
export function pauseKey(tenant: string, scope: string, scopeId: string | null): string {
  const lower = scope.toLowerCase();
  if (lower === 'tenant') return `paused.${tenant}.tenant._`;
  const id = scopeId ?? '';
  const token = PLAIN_SCOPE_ID.test(id) ? id : `~${Buffer.from(id, 'utf8').toString('base64url')}`;
  return `paused.${tenant}.${lower}.${token}`;
}

/** The scope a pause key names, or undefined when the key is not one. */
export function scopeOfPauseKey(key: string): { tenant: string; scope: string; scopeId: string | null } | undefined {
  const [paused, tenant, scope, token, ...rest] = key.split('.');
  if (paused !== 'paused' || !tenant || !scope || token === undefined || rest.length > 0) return undefined;
  if (scope === 'tenant') return { tenant, scope: 'TENANT', scopeId: null };
  const scopeId = token.startsWith('~') ? Buffer.from(token.slice(1), 'base64url').toString('utf8') : token;
  return { tenant, scope: scope.toUpperCase(), scopeId };
}

/** Opens the control bucket, creating it when missing (history 1: a key holds the scope's pause, or nothing). */
export async function openControlBucket(js: JetStreamClient, ns: Namespace, options: { replicas?: number } = {}): Promise<KV> {
  return new Kvm(js).create(controlBucketIn(ns), { history: 1, replicas: options.replicas ?? 1 });
}

/*
 * Writing and reading one key by its subject. Part D's `~` escape is a valid subject character
 * but outside what the nats.js KV client accepts as a key (`[-/=.\w]`), so the bucket is written
 * the way the KV client itself writes it underneath: a publish to `$KV.<bucket>.<key>` (with
 * `KV-Operation: DEL` to delete), read back by the stream's last message on that subject.
 */
const controlSubject = (ns: Namespace, key: string) => `$KV.${controlBucketIn(ns)}.${key}`;

export async function putControlKey(js: JetStreamClient, ns: Namespace, key: string, value: Uint8Array): Promise<void> {
  await js.publish(controlSubject(ns, key), value);
}

export async function deleteControlKey(js: JetStreamClient, ns: Namespace, key: string): Promise<void> {
  const deletion = natsHeaders();
  deletion.set('KV-Operation', 'DEL');
  await js.publish(controlSubject(ns, key), undefined, { headers: deletion });
}

/** The key's value, or null when it is absent or deleted. */
export async function readControlKey(jsm: JetStreamManager, ns: Namespace, key: string): Promise<Uint8Array | null> {
  try {
    const message = await jsm.streams.getMessage(`KV_${controlBucketIn(ns)}`, { last_by_subj: controlSubject(ns, key) });
    if (!message) return null;
    const operation = message.header?.get('KV-Operation');
    return operation === 'DEL' || operation === 'PURGE' ? null : message.data;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.status === 404) return null;
    throw error;
  }
}
