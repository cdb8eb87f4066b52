import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The tenant the generated development key belongs to. */
export const DEV_TENANT = 'dev';
export const DEV_API_KEY_FILE = 'dev-api-key';

export type ApiKeySource = 'environment' | 'created' | 'reused';

export interface ApiKeySetup {
  /** Value for AGENTLEDGER_API_KEYS, in the contract's `key=tenant:role,...` form. */
  apiKeys: string;
  /** The generated admin key, to print; absent when the operator supplied the keys. */
  devKey?: string;
  source: ApiKeySource;
}

/** Characters a key may hold: none of the separators of AGENTLEDGER_API_KEYS (`=`, `:`, `,`). */
const USABLE_KEY = /^[A-Za-z0-9_-]{16,256}$/;

export function generateDevKey(random: (bytes: number) => Buffer = randomBytes): string {
  return `dev_${random(16).toString('hex')}`;
}

/**
 * Keys from AGENTLEDGER_API_KEYS win. Otherwise one admin key for tenant `dev` is generated on
 * the first start and kept in `<dataDir>/dev-api-key`, so scripts and bookmarks keep working
 * across restarts.
 */
export async function resolveApiKeys(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  newKey: () => string = generateDevKey,
): Promise<ApiKeySetup> {
  const configured = env['AGENTLEDGER_API_KEYS']?.trim();
  if (configured) return { apiKeys: configured, source: 'environment' };

  const file = join(dataDir, DEV_API_KEY_FILE);
  const stored = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  if (stored !== undefined && USABLE_KEY.test(stored)) {
    return { apiKeys: devKeyGrant(stored), devKey: stored, source: 'reused' };
  }
  const key = newKey();
  await mkdir(dataDir, { recursive: true });
  // Owner-only: it is an admin credential, even if only for a local stack.
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return { apiKeys: devKeyGrant(key), devKey: key, source: 'created' };
}

export function devKeyGrant(key: string): string {
  return `${key}=${DEV_TENANT}:admin`;
}
