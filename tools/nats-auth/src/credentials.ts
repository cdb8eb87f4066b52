import { randomBytes } from 'node:crypto';
import { agentInboxPrefix, namespaceFor, serviceInboxPrefix } from '@agentledger/jetstream';
import { ADMIN_PERMISSIONS, agentPermissions, servicePermissions, SERVICES, type ServiceName } from './permissions.js';
import { renderServerConfig, type NatsUser, type TlsFiles } from './server-config.js';

const TENANT = /^[A-Za-z0-9_-]{1,64}$/;
/** The user `npm start` maps unauthenticated clients to: an agent of every tenant, nothing more. */
export const DEV_AGENT_USER = 'dev-agent';
export const ADMIN_USER = 'admin';

export interface UserCredential {
  readonly user: string;
  readonly password: string;
  /** The inbox prefix the client must connect with (its replies arrive only there). */
  readonly inboxPrefix: string;
}

/** Every credential of one deployment: what `credentials.json` holds. */
export interface AuthCredentials {
  readonly namespace: string;
  readonly services: Readonly<Record<ServiceName, UserCredential>>;
  readonly agents: Readonly<Record<string, UserCredential>>;
  /** The operator's user, when generated with `admin` (then services may not update streams). */
  readonly admin?: UserCredential;
}

export interface GenerateOptions {
  readonly tenants: readonly string[];
  readonly namespace?: string;
  /** Map clients without credentials to the development agent identity (`npm start` only). */
  readonly devAgent?: boolean;
  /** Add the operator's `admin` user; stream configuration changes are then its job, not the services'. */
  readonly admin?: boolean;
  readonly tls?: TlsFiles;
  readonly jetstreamStoreDir?: string;
  readonly listen?: string;
  readonly port?: number;
  /** Credentials generated before: their passwords are kept, so running it again only adds. */
  readonly existing?: AuthCredentials;
  readonly password?: () => string;
}

export const newPassword = (): string => randomBytes(24).toString('base64url');

export function agentUserOf(tenant: string): string {
  return `agent-${tenant}`;
}

/** Credentials for every service and the given tenants (keeping the existing ones), and the server config that admits them. */
export function generateAuth(options: GenerateOptions): { credentials: AuthCredentials; serverConfig: string } {
  const namespace = options.namespace ?? options.existing?.namespace ?? '';
  if (options.existing && options.existing.namespace !== namespace) {
    throw new Error(`the existing credentials are for namespace ${JSON.stringify(options.existing.namespace)}, not ${JSON.stringify(namespace)}`);
  }
  const bad = options.tenants.filter((tenant) => !TENANT.test(tenant));
  if (bad.length > 0) throw new Error(`invalid tenant ${bad.map((tenant) => JSON.stringify(tenant)).join(', ')} (expected [A-Za-z0-9_-]{1,64})`);
  const ns = namespaceFor(namespace);
  const password = options.password ?? newPassword;

  const services = Object.fromEntries(
    SERVICES.map((service) => [service, options.existing?.services[service] ?? { user: service, password: password(), inboxPrefix: serviceInboxPrefix(service) }]),
  ) as Record<ServiceName, UserCredential>;
  const agents: Record<string, UserCredential> = { ...(options.existing?.agents ?? {}) };
  for (const tenant of options.tenants) agents[tenant] ??= { user: agentUserOf(tenant), password: password(), inboxPrefix: agentInboxPrefix(tenant) };

  const admin = options.admin ? (options.existing?.admin ?? { user: ADMIN_USER, password: password(), inboxPrefix: '_INBOX' }) : undefined;
  const users: NatsUser[] = [
    ...SERVICES.map((service) => ({ ...services[service], permissions: servicePermissions(ns, service, { streamUpdates: !admin }) })),
    ...Object.entries(agents).map(([tenant, credential]) => ({ ...credential, permissions: agentPermissions(ns, tenant) })),
  ];
  // Without credentials a client is the development agent; it has a password nobody is told.
  if (admin) users.push({ ...admin, permissions: ADMIN_PERMISSIONS });
  if (options.devAgent) users.push({ user: DEV_AGENT_USER, password: password(), permissions: agentPermissions(ns, '*') });

  const serverConfig = renderServerConfig({
    users,
    noAuthUser: options.devAgent ? DEV_AGENT_USER : undefined,
    tls: options.tls,
    jetstreamStoreDir: options.jetstreamStoreDir,
    listen: options.listen,
    port: options.port,
  });
  return { credentials: { namespace, services, agents, ...(admin ? { admin } : {}) }, serverConfig };
}

/** The environment of one service's process: its NATS user. */
export function serviceEnv(credentials: AuthCredentials, service: ServiceName): Record<string, string> {
  const { user, password } = credentials.services[service];
  return { NATS_USER: user, NATS_PASSWORD: password };
}
