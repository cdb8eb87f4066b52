/** What the first line a NATS server sends (`INFO {...}`) tells us. */
export interface NatsServerInfo {
  version: string | undefined;
  jetstream: boolean;
  /** The server asks clients for credentials (one that maps those without to a `no_auth_user` does not say so). */
  authRequired: boolean;
}

/** Parses the INFO line; anything else means the port is held by something that is not NATS. */
export function parseInfoLine(line: string): NatsServerInfo | undefined {
  const match = /^INFO\s+(\{.*\})\s*$/.exec(line);
  if (match === null) return undefined;
  try {
    const info = JSON.parse(match[1] as string) as { version?: unknown; jetstream?: unknown; auth_required?: unknown };
    return {
      version: typeof info.version === 'string' ? info.version : undefined,
      jetstream: info.jetstream === true,
      authRequired: info.auth_required === true,
    };
  } catch {
    return undefined;
  }
}
