/** What the first line a NATS server sends (`INFO {...}`) tells us. */
export interface NatsServerInfo {
  version: string | undefined;
  jetstream: boolean;
}

/** Parses the INFO line; anything else means the port is held by something that is not NATS. */
export function parseInfoLine(line: string): NatsServerInfo | undefined {
  const match = /^INFO\s+(\{.*\})\s*$/.exec(line);
  if (match === null) return undefined;
  try {
    const info = JSON.parse(match[1] as string) as { version?: unknown; jetstream?: unknown };
    return {
      version: typeof info.version === 'string' ? info.version : undefined,
      jetstream: info.jetstream === true,
    };
  } catch {
    return undefined;
  }
}
