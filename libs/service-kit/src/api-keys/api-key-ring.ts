import { createHash, timingSafeEqual } from 'node:crypto';
import { weakKeyReason } from './key-strength.js';

export type Role = 'admin' | 'viewer';

const ROLES: readonly Role[] = ['admin', 'viewer'];
/** The same rule as the tenant token of `finops.in.<tenant>.<type>`. */
const TENANT = /^[A-Za-z0-9_-]{1,64}$/;

/** Who is calling, as decided by the API key alone. */
export interface Caller {
  readonly tenant: string;
  readonly role: Role;
  /** First 8 hex digits of the key's SHA-256: names the key in audit trails without revealing it. */
  readonly keyId: string;
}

/** Anything that turns a presented key into its caller (a fixed ring, or one reloaded from a file). */
export interface KeyAuthenticator {
  authenticate(presentedKey: string): Caller | undefined;
}

/** A key as the key file keeps it: its hash, never the key. */
export interface HashedKey {
  readonly sha256: string;
  readonly tenant: string;
  readonly role: Role;
}

/** A list of problems, each naming the entry by position (never echoing a key). */
export class ApiKeyListError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'ApiKeyListError';
  }
}

interface Grant {
  readonly keyHash: Buffer;
  readonly caller: Caller;
  /** Why the key would be refused in production (a placeholder, too short…), named by entry. */
  readonly weakness?: string;
}

export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The configured API keys, kept only as SHA-256 hashes. A presented key is hashed and compared
 * with every grant in constant time, so neither the comparison nor the position of a match
 * leaks through timing.
 */
export class ApiKeyRing implements KeyAuthenticator {
  private constructor(private readonly grants: readonly Grant[]) {}

  /** Keys already hashed (the key file); throws `ApiKeyListError` naming every bad entry. */
  static fromHashes(keys: readonly HashedKey[]): ApiKeyRing {
    const problems: string[] = [];
    const grants: Grant[] = [];
    keys.forEach((key, index) => {
      const name = `key ${index + 1}`;
      if (!/^[0-9a-f]{64}$/.test(key.sha256)) return void problems.push(`${name}: sha256 must be 64 lowercase hex digits`);
      if (!TENANT.test(key.tenant)) return void problems.push(`${name}: tenant ${JSON.stringify(key.tenant)} must match [A-Za-z0-9_-]{1,64}`);
      if (!ROLES.includes(key.role)) return void problems.push(`${name}: role ${JSON.stringify(key.role)} is not one of ${ROLES.join(', ')}`);
      grants.push({ keyHash: Buffer.from(key.sha256, 'hex'), caller: { tenant: key.tenant, role: key.role, keyId: key.sha256.slice(0, 8) } });
    });
    if (problems.length > 0) throw new ApiKeyListError(problems);
    return new ApiKeyRing(grants);
  }

  /** Both rings' keys; a key in both keeps the first ring's grant. */
  static union(first: ApiKeyRing, second: ApiKeyRing): ApiKeyRing {
    return new ApiKeyRing([...first.grants, ...second.grants.filter((grant) => !first.grants.some((known) => known.keyHash.equals(grant.keyHash)))]);
  }

  static readonly EMPTY = new ApiKeyRing([]);

  /** Parses `key1=tenantA:admin,key2=tenantA:viewer`; throws `ApiKeyListError` naming every bad entry. */
  static parse(list: string): ApiKeyRing {
    const problems: string[] = [];
    const grants: Grant[] = [];
    const entries = list.split(',').map((entry) => entry.trim());
    entries.forEach((entry, index) => {
      if (entry === '') return; // a trailing or doubled comma
      const parsed = parseEntry(entry, `entry ${index + 1}`);
      if (typeof parsed === 'string') return void problems.push(parsed);
      const duplicate = grants.findIndex((grant) => grant.keyHash.equals(parsed.keyHash));
      if (duplicate >= 0) problems.push(`entry ${index + 1} repeats the key of an earlier entry`);
      else grants.push(parsed);
    });
    if (problems.length === 0 && grants.length === 0) problems.push('no API key is configured (expected key=tenant:role, comma-separated)');
    if (problems.length > 0) throw new ApiKeyListError(problems);
    return new ApiKeyRing(grants);
  }

  get size(): number {
    return this.grants.length;
  }

  /** One problem per key that looks typed or copied rather than generated (never the key itself). */
  get weakKeys(): readonly string[] {
    return this.grants.flatMap((grant) => (grant.weakness ? [grant.weakness] : []));
  }

  /** The caller a key belongs to, or undefined for an unknown key. */
  authenticate(presentedKey: string): Caller | undefined {
    const presented = sha256(presentedKey);
    let match: Caller | undefined;
    for (const grant of this.grants) {
      // No early exit: every grant is compared whatever the outcome.
      if (timingSafeEqual(grant.keyHash, presented)) match = grant.caller;
    }
    return match;
  }
}

function parseEntry(entry: string, name: string): Grant | string {
  const equals = entry.lastIndexOf('='); // keys may end in base64 padding, tenant:role never holds '='
  if (equals <= 0) return `${name} (${entry.length} characters) is not key=tenant:role`;
  const key = entry.slice(0, equals).trim();
  const grant = entry.slice(equals + 1).trim();
  const shown = `${name} (a key of ${key.length} characters for ${JSON.stringify(grant)})`;
  if (/\s/.test(key)) return `${shown}: the key contains white space`;
  const colon = grant.indexOf(':');
  if (colon < 0) return `${shown}: expected tenant:role after "="`;
  const tenant = grant.slice(0, colon).trim();
  const role = grant.slice(colon + 1).trim();
  if (!TENANT.test(tenant)) return `${shown}: tenant ${JSON.stringify(tenant)} must match [A-Za-z0-9_-]{1,64}`;
  if (!ROLES.includes(role as Role)) return `${shown}: role ${JSON.stringify(role)} is not one of ${ROLES.join(', ')}`;
  const keyHash = sha256(key);
  const weakness = weakKeyReason(key);
  return {
    keyHash,
    caller: { tenant, role: role as Role, keyId: keyHash.toString('hex').slice(0, 8) },
    ...(weakness ? { weakness: `${shown}: the key ${weakness}` } : {}),
  };
}

export type Authentication =
  | { readonly caller: Caller }
  | { readonly failure: 'missing' | 'malformed' | 'unknown' };

/** Reads `Authorization: Bearer <key>` and looks the key up. */
export function authenticate(ring: KeyAuthenticator, authorization: string | undefined): Authentication {
  if (authorization === undefined || authorization.trim() === '') return { failure: 'missing' };
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization.trim());
  if (!match) return { failure: 'malformed' };
  const caller = ring.authenticate(match[1]!);
  return caller ? { caller } : { failure: 'unknown' };
}
