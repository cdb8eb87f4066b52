/**
 * The keys of CONTRACT part D's control bucket: `paused.<tenant>.<scope>.<scopeId>`, scope in lower
 * case, `_` for the tenant scope, a scopeId outside `[A-Za-z0-9_-]` written `~` + the base64url of
 * its UTF-8 — so every scope has exactly one key and any scopeId is a valid key token.
 */
export type PauseScope = 'TENANT' | 'TEAM' | 'AGENT' | 'WORKFLOW' | 'ENVIRONMENT';

export const PAUSE_SCOPES: readonly PauseScope[] = ['TENANT', 'TEAM', 'AGENT', 'WORKFLOW', 'ENVIRONMENT'];

export interface PausedScopeKey {
  tenant: string;
  scope: PauseScope;
  /** Null for the tenant scope. */
  scopeId: string | null;
}

const PLAIN_SCOPE_ID = /^[A-Za-z0-9_-]+$/;

export function pauseKey(tenant: string, scope: PauseScope, scopeId: string | null): string {
  if (!PAUSE_SCOPES.includes(scope)) throw new Error(`pauseKey: unknown scope ${JSON.stringify(scope)} (expected one of ${PAUSE_SCOPES.join(', ')})`);
  if (scope === 'TENANT') return `paused.${tenant}.tenant._`;
  if (scopeId === null || scopeId === '') throw new Error(`pauseKey: a ${scope} scope needs a scopeId`);
  const token = PLAIN_SCOPE_ID.test(scopeId) ? scopeId : `~${Buffer.from(scopeId, 'utf8').toString('base64url')}`;
  return `paused.${tenant}.${scope.toLowerCase()}.${token}`;
}

/** The keys of one tenant's pauses, to watch. */
export const pauseKeysOf = (tenant: string): string => `paused.${tenant}.>`;

/** The scope a key names, or undefined when the key is not a pause key. */
export function scopeOfPauseKey(key: string): PausedScopeKey | undefined {
  const [paused, tenant, scope, token, ...rest] = key.split('.');
  if (paused !== 'paused' || !tenant || !scope || !token || rest.length > 0) return undefined;
  const upper = scope.toUpperCase() as PauseScope;
  if (!PAUSE_SCOPES.includes(upper) || scope !== scope.toLowerCase()) return undefined;
  if (upper === 'TENANT') return { tenant, scope: upper, scopeId: null };
  const scopeId = token.startsWith('~') ? Buffer.from(token.slice(1), 'base64url').toString('utf8') : token;
  return { tenant, scope: upper, scopeId };
}
