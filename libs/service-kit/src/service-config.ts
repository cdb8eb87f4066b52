import { parseStreamMaxBytes } from '@agentledger/jetstream';
import { logLevelField, parseConfig, type ConfigCheck, type ConfigSpec, type ConfigValues } from '@agentledger/observability';

/** What every service reads from its environment. */
export const baseConfigSpec = {
  NATS_URL: { kind: 'url', protocols: ['nats:', 'tls:'], default: 'nats://127.0.0.1:4222', description: 'the NATS server with JetStream' },
  NATS_USER: { kind: 'string', required: false, description: 'the NATS user of this service (a server with authorization; see `npm run nats-auth`)' },
  NATS_PASSWORD: { kind: 'string', required: false, secret: true, description: 'the password of NATS_USER' },
  NATS_TOKEN: { kind: 'string', required: false, secret: true, description: 'a NATS token, for a server authorizing by token' },
  NATS_CREDS: { kind: 'string', required: false, description: 'path of a NATS .creds file (operator-mode servers)' },
  NATS_TLS_CA: { kind: 'string', required: false, description: 'path of the PEM CA that signs the NATS server certificate' },
  FINOPS_NAMESPACE: { kind: 'string', default: '', description: 'subject/stream namespace token; empty in production, set by tests' },
  STREAM_REPLICAS: { kind: 'int', min: 1, default: 1, description: 'JetStream stream replicas (3 in a cluster)' },
  STREAM_MAX_BYTES: {
    kind: 'custom',
    parse: parseStreamMaxBytes,
    required: false,
    description: 'byte limits by stream, e.g. FINOPS_FACTS=200GiB,FINOPS_IN=20GiB; unset streams keep the topology’s',
  },
  LOG_LEVEL: logLevelField,
  HEAP_GROWTH_PERCENT: {
    kind: 'int',
    min: 0,
    default: 100,
    description:
      'how far V8 lets the heap grow past what the last full collection kept before collecting again, in percent; 0 leaves it to V8 (which lets a busy heap grow up to fourfold)',
  },
} as const satisfies ConfigSpec;

/** What a service with a database (and so queries to answer) reads besides (`DATABASE_SCHEMA` defaults to its name). */
export const databaseConfigSpec = {
  DATABASE_URL: { kind: 'url', protocols: ['postgres:', 'postgresql:'], secret: true, description: 'PostgreSQL server, e.g. postgres://user:pass@host:5432/agentledger' },
  DATABASE_POOL_SIZE: { kind: 'int', min: 1, default: 10, description: 'connections of the projections, reactors and commands (no statement timeout)' },
  DATABASE_QUERY_POOL_SIZE: { kind: 'int', min: 1, default: 5, description: 'connections of the queries, apart from the projections’ so a heavy read never starves them' },
  QUERY_CONCURRENCY: { kind: 'int', min: 1, default: 8, description: 'queries this process answers at once; the rest wait their turn' },
  QUERY_QUEUE_WAIT_MS: { kind: 'int', min: 0, default: 2_000, description: 'how long a query waits for a turn before it is refused as busy (UNAVAILABLE)' },
  // With QUERY_QUEUE_WAIT_MS, under the gateway's GATEWAY_QUERY_TIMEOUT_MS (10 s): a query refused or
  // cancelled here reaches the client as this service's own error, not as the gateway giving up.
  DATABASE_STATEMENT_TIMEOUT_MS: {
    kind: 'int',
    min: 1,
    default: 7_000,
    description: 'statement_timeout of the query connections: a longer query is cancelled and answered UNAVAILABLE; with QUERY_QUEUE_WAIT_MS, keep it under the gateway’s GATEWAY_QUERY_TIMEOUT_MS',
  },
} as const satisfies ConfigSpec;

export type BaseConfig = ConfigValues<typeof baseConfigSpec>;

/** The part of a service definition that says what it reads from the environment. */
export interface ServiceConfigDeclaration<S extends ConfigSpec> {
  readonly name: string;
  readonly portVariable: string;
  readonly defaultPort: number;
  readonly database?: unknown;
  /** The service's own variables; their typed values reach `compose` as `context.config`. */
  readonly config?: S;
  /** Rules across the service's own variables (keys required in production). */
  readonly checkConfig?: ConfigCheck<S>;
}

/** Every variable a service reads: the base ones, the database ones if it has one, its port, its own. */
export function serviceConfigSpec<S extends ConfigSpec>(definition: ServiceConfigDeclaration<S>): ConfigSpec {
  const own = definition.config ?? {};
  const shared: ConfigSpec = {
    ...baseConfigSpec,
    ...(definition.database ? databaseConfigSpec : {}),
    ...(definition.database ? { DATABASE_SCHEMA: { kind: 'string', default: definition.name, description: 'the service’s own Postgres schema' } } : {}),
    [definition.portVariable]: { kind: 'port', default: definition.defaultPort, description: 'HTTP port (ops endpoints and the service’s API)' },
  };
  const clashes = Object.keys(own).filter((variable) => variable in shared);
  if (clashes.length > 0) throw new Error(`${definition.name} declares variables every service already reads: ${clashes.join(', ')}`);
  return { ...shared, ...own };
}

/** The values of every variable a service reads, checked at once: one `ConfigError` names every wrong one. */
export function readServiceConfig<S extends ConfigSpec>(
  definition: ServiceConfigDeclaration<S>,
  env: NodeJS.ProcessEnv,
): BaseConfig & ConfigValues<S> & Record<string, unknown> {
  const check = definition.checkConfig;
  const checks = (values: Record<string, unknown>) => [...natsCredentialProblems(values as BaseConfig), ...(check ? check(values as ConfigValues<S>) : [])];
  return parseConfig(env, serviceConfigSpec(definition), definition.name, checks) as BaseConfig &
    ConfigValues<S> &
    Record<string, unknown>;
}

/** A half-given NATS credential fails the start with its reason, instead of an "Authorization Violation" later. */
export function natsCredentialProblems(config: Pick<BaseConfig, 'NATS_USER' | 'NATS_PASSWORD' | 'NATS_TOKEN'>): { variable: string; problem: string }[] {
  const problems: { variable: string; problem: string }[] = [];
  if (config.NATS_USER && !config.NATS_PASSWORD) problems.push({ variable: 'NATS_PASSWORD', problem: 'is not set, but NATS_USER is' });
  if (config.NATS_PASSWORD && !config.NATS_USER) problems.push({ variable: 'NATS_USER', problem: 'is not set, but NATS_PASSWORD is' });
  for (const variable of ['NATS_PASSWORD', 'NATS_TOKEN'] as const) {
    if (config[variable]?.startsWith('CHANGE_ME')) problems.push({ variable, problem: 'is the placeholder CHANGE_ME: give the generated one (`npm run nats-auth`)' });
  }
  if (config.NATS_TOKEN && config.NATS_USER) problems.push({ variable: 'NATS_TOKEN', problem: 'is set together with NATS_USER: give one of them' });
  return problems;
}
