import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { ApiKeyListError, ApiKeyRing, sha256, type HashedKey, type Role } from './api-keys.js';

/**
 * The key file (`AGENTLEDGER_API_KEYS_FILE`): every key ever issued, as its SHA-256 only. A
 * revoked key stays listed with `revokedAt`, so the audit trail keeps who had access and when.
 */
export interface ApiKeyFile {
  readonly version: 1;
  readonly keys: readonly ApiKeyRecord[];
}

export interface ApiKeyRecord extends HashedKey {
  /** The first 8 hex digits of `sha256`, as in audit logs. */
  readonly keyId: string;
  readonly label?: string;
  readonly createdAt: string;
  readonly revokedAt?: string;
}

export const EMPTY_KEY_FILE: ApiKeyFile = { version: 1, keys: [] };

/** Reads the file; a missing file is an empty one. Throws `ApiKeyListError` when it is not a key file. */
export async function readApiKeyFile(path: string): Promise<ApiKeyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_KEY_FILE;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiKeyListError([`${path} is not JSON`]);
  }
  const file = parsed as Partial<ApiKeyFile>;
  if (file.version !== 1 || !Array.isArray(file.keys)) throw new ApiKeyListError([`${path} is not an API key file (expected {"version":1,"keys":[…]})`]);
  return file as ApiKeyFile;
}

/** Writes the file whole, through a temporary file and a rename, so a reader never sees half of it. */
export async function writeApiKeyFile(path: string, file: ApiKeyFile): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

/** The keys in force: every record not revoked. */
export function ringOf(file: ApiKeyFile): ApiKeyRing {
  return ApiKeyRing.fromHashes(file.keys.filter((key) => key.revokedAt === undefined));
}

export interface IssuedKey {
  /** Shown once, never stored. */
  readonly key: string;
  readonly file: ApiKeyFile;
  readonly record: ApiKeyRecord;
}

/** A new random key for a tenant and role; pure but for the randomness it is given. */
export function issueKey(file: ApiKeyFile, grant: { tenant: string; role: Role; label?: string }, now: Date, random = randomBytes(32)): IssuedKey {
  const key = `al_${random.toString('base64url')}`;
  const hash = sha256(key).toString('hex');
  const record: ApiKeyRecord = {
    keyId: hash.slice(0, 8),
    sha256: hash,
    tenant: grant.tenant,
    role: grant.role,
    ...(grant.label ? { label: grant.label } : {}),
    createdAt: now.toISOString(),
  };
  ApiKeyRing.fromHashes([record]); // checks the tenant and role
  return { key, record, file: { version: 1, keys: [...file.keys, record] } };
}

/** Revokes the one live key whose id starts with `keyId`; throws when none or several match. */
export function revokeKey(file: ApiKeyFile, keyId: string, now: Date): { file: ApiKeyFile; record: ApiKeyRecord } {
  const matches = file.keys.filter((key) => key.revokedAt === undefined && keyId.length >= 4 && key.keyId.startsWith(keyId));
  if (matches.length !== 1) {
    throw new ApiKeyListError([matches.length === 0 ? `no live key has the id ${JSON.stringify(keyId)}` : `the id ${JSON.stringify(keyId)} names ${matches.length} keys; give more digits`]);
  }
  const record = { ...matches[0]!, revokedAt: now.toISOString() };
  return { record, file: { version: 1, keys: file.keys.map((key) => (key === matches[0] ? record : key)) } };
}
