import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';

/** How a client proves who it is to a NATS server with authorization (none: the server allows anonymous clients). */
export interface NatsCredentials {
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  /** Path of a `.creds` file (JWT + nkey seed, for operator-mode servers). */
  readonly credsFile?: string;
  /** Path of a PEM CA bundle that signs the server's certificate (TLS, `tls://` URLs or servers requiring TLS). */
  readonly tlsCaFile?: string;
}

export interface NatsConnectOptions extends NatsCredentials {
  readonly url: string;
  /** Client name shown by the server (service name). */
  readonly name: string;
  /**
   * Where replies come back (`_INBOX` by default). A server with per-user permissions lets each
   * user subscribe only its own prefix, so nobody reads another client's replies.
   */
  readonly inboxPrefix?: string;
}

/**
 * The inbox prefix of a service's connection, `_INBOX_<service>`: its own first token, so the
 * `_INBOX.>` an unauthenticated development client may read never covers a service's replies.
 */
export const serviceInboxPrefix = (service: string): string => `_INBOX_${service}`;

/** The inbox prefix an agent credential of a tenant must use (the only replies it may receive). */
export const agentInboxPrefix = (tenant: string): string => `_INBOX_agent_${tenant}`;

/**
 * Credentials and inbox prefix of a command-line tool, from the variables `npm run nats-auth`
 * writes (`NATS_USER`, `NATS_PASSWORD`, `NATS_INBOX_PREFIX`) and `NATS_TOKEN`, `NATS_CREDS`,
 * `NATS_TLS_CA`. Services read the same variables through their validated config instead.
 */
export function natsCredentialsFromEnv(env: NodeJS.ProcessEnv): NatsCredentials & { inboxPrefix?: string } {
  const value = (name: string) => env[name]?.trim() || undefined;
  return {
    user: value('NATS_USER'),
    password: value('NATS_PASSWORD'),
    token: value('NATS_TOKEN'),
    credsFile: value('NATS_CREDS'),
    tlsCaFile: value('NATS_TLS_CA'),
    inboxPrefix: value('NATS_INBOX_PREFIX'),
  };
}

/** The credential part of the client options: what was given, nothing else. */
export function credentialOptions(credentials: NatsCredentials): Partial<ConnectionOptions> {
  const options: Partial<ConnectionOptions> = {};
  if (credentials.user) Object.assign(options, { user: credentials.user, pass: credentials.password ?? '' });
  if (credentials.token) Object.assign(options, { token: credentials.token });
  if (credentials.credsFile) Object.assign(options, { authenticator: credsAuthenticator(readFileSync(credentials.credsFile)) });
  if (credentials.tlsCaFile) Object.assign(options, { tls: { caFile: credentials.tlsCaFile } });
  return options;
}

/** A connection tuned for throughput: without async traces the client skips two stack traces per publish. */
export async function connectToNats(options: NatsConnectOptions): Promise<NatsConnection> {
  return connect({
    servers: options.url,
    name: options.name,
    noAsyncTraces: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    ...(options.inboxPrefix ? { inboxPrefix: options.inboxPrefix } : {}),
    ...credentialOptions(options),
  });
}
