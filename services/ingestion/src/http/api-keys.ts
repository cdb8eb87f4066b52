import { createHash, timingSafeEqual } from 'node:crypto';

export type Role = 'admin' | 'viewer';
export interface Principal {
  readonly tenant: string;
  readonly role: Role;
}

const TENANT = /^[A-Za-z0-9_-]{1,64}$/;

/** Every bad entry of an `AGENTLEDGER_API_KEYS` list, by position (never the key). */
export class ApiKeysError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`AGENTLEDGER_API_KEYS: ${problems.join('; ')}`);
    this.name = 'ApiKeysError';
  }
}

/**
 * `AGENTLEDGER_API_KEYS` (`key=tenant:role,…`) → a look-up by the key's SHA-256, compared in
 * constant time, so neither the keys nor their timing leak. Problems name the entry, never the key.
 */
export class ApiKeys {
  private constructor(private readonly byDigest: ReadonlyArray<{ digest: Buffer; principal: Principal }>) {}

  static parse(spec: string): ApiKeys {
    const entries: Array<{ digest: Buffer; principal: Principal }> = [];
    const problems: string[] = [];
    spec
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .forEach((entry, index) => {
        const match = /^([^=]+)=([^:]+):(.+)$/.exec(entry);
        if (!match) return void problems.push(`entry ${index + 1}: expected key=tenant:role`);
        const [, key, tenant, role] = match as unknown as [string, string, string, string];
        if (!TENANT.test(tenant)) return void problems.push(`entry ${index + 1}: tenant must match [A-Za-z0-9_-]{1,64}`);
        if (role !== 'admin' && role !== 'viewer') return void problems.push(`entry ${index + 1}: role "${role}" is not one of admin, viewer`);
        entries.push({ digest: digestOf(key), principal: { tenant, role } });
      });
    if (problems.length > 0) throw new ApiKeysError(problems);
    return new ApiKeys(entries);
  }

  /** `parse` as a configuration field's parser: the keys, or every problem. */
  static read(spec: string): { value: ApiKeys } | { problems: readonly string[] } {
    try {
      return { value: ApiKeys.parse(spec) };
    } catch (error) {
      if (error instanceof ApiKeysError) return { problems: error.problems };
      throw error;
    }
  }

  static readonly NONE = new ApiKeys([]);

  get size(): number {
    return this.byDigest.length;
  }

  /** The principal of `Authorization: Bearer <key>` (or an `x-api-key` header), if the key is known. */
  authenticate(headers: { authorization?: string; 'x-api-key'?: string }): Principal | undefined {
    const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1] ?? headers['x-api-key'];
    if (!bearer) return undefined;
    const digest = digestOf(bearer);
    let found: Principal | undefined;
    for (const entry of this.byDigest) if (timingSafeEqual(entry.digest, digest)) found = entry.principal;
    return found;
  }
}

const digestOf = (key: string) => createHash('sha256').update(key).digest();
