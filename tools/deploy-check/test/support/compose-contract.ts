// What docker-compose.yml must say beyond being schema-valid: the services' configuration
// contract, the wiring between containers and what is published to the host.
// Each check returns its problems (empty when satisfied), so that a test can also show that a
// broken file is caught.
import { databaseServiceNames, natsClientPort, requiredVariables, serviceNames, services, type ServiceName } from './contract.js';

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, unknown> | string[] };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  ports?: Array<string | number | { target?: number; published?: number | string }>;
  volumes?: Array<string | { type: string; source?: string; target?: string }>;
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

export interface ComposeFile {
  services?: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Each service logs in as its own role, named after it (deploy/postgres/10-service-roles.sh). */
export const composeDatabaseUrl = (service: string): string => `postgres://${service}:${service}@postgres:5432/agentledger`;
export const rolesScriptMount = './deploy/postgres/10-service-roles.sh:/docker-entrypoint-initdb.d/10-service-roles.sh:ro';
export const composeNatsUrl = 'nats://nats:4222';

/** `environment` as a map, whichever of its two syntaxes is used. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

export function dependenciesOf(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep.condition]));
}

function buildArgsOf(service: ComposeService): Record<string, string> {
  if (typeof service.build !== 'object') return {};
  const args = service.build.args ?? {};
  if (Array.isArray(args)) {
    return Object.fromEntries(args.map((entry) => [entry.split('=')[0], entry.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(args).map(([key, value]) => [key, String(value)]));
}

function healthcheckCommand(service: ComposeService): string {
  const test = service.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

/** host port -> "service:containerPort", for every published port. */
export function publishedPorts(compose: ComposeFile): Record<string, string> {
  const published: Record<string, string> = {};
  for (const [name, service] of Object.entries(compose.services ?? {})) {
    for (const port of service.ports ?? []) {
      if (typeof port === 'object') {
        if (port.published !== undefined) published[String(port.published)] = `${name}:${port.target}`;
        continue;
      }
      const parts = String(port).replace(/\/(tcp|udp|sctp)$/, '').split(':');
      const target = parts[parts.length - 1];
      // A bare container port is published on a random host port: name it "random".
      const host = parts.length >= 2 ? parts[parts.length - 2] || 'random' : 'random';
      published[host] = `${name}:${target}`;
    }
  }
  return published;
}

function namedVolumesOf(service: ComposeService): Array<{ source: string; target: string }> {
  return (service.volumes ?? []).flatMap((volume) => {
    if (typeof volume === 'object') {
      return volume.type === 'volume' && volume.source ? [{ source: volume.source, target: volume.target ?? '' }] : [];
    }
    const [source, target = ''] = volume.split(':');
    // Paths (./x, /x, ~/x) are bind mounts, not named volumes.
    return /^[.~/]/.test(source) ? [] : [{ source, target }];
  });
}

export function infrastructureProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const all = compose.services ?? {};
  const nats = all['nats'];
  const postgres = all['postgres'];
  if (!nats) problems.push('service nats is missing');
  if (!postgres) problems.push('service postgres is missing');

  if (nats) {
    if (!/^nats:2\.10(\b|[.-])/.test(nats.image ?? '')) problems.push(`nats: image ${nats.image} is not NATS 2.10`);
    const command = Array.isArray(nats.command) ? nats.command : (nats.command ?? '').split(/\s+/);
    if (!command.includes('-js') && !command.includes('--jetstream')) problems.push('nats: JetStream is not enabled (-js)');
    const storeAt = command.indexOf('-sd');
    const storeDir = storeAt >= 0 ? command[storeAt + 1] : undefined;
    if (storeDir !== '/data') problems.push(`nats: JetStream store dir is ${storeDir}, expected -sd /data`);
    if (!namedVolumesOf(nats).some((volume) => volume.target === '/data')) problems.push('nats: no named volume on /data');
    if (!nats.healthcheck?.test) problems.push('nats: no healthcheck');
  }
  if (postgres) {
    if (!/^postgres:16(\b|[.-])/.test(postgres.image ?? '')) problems.push(`postgres: image ${postgres.image} is not Postgres 16`);
    if (!namedVolumesOf(postgres).some((volume) => volume.target === '/var/lib/postgresql/data')) {
      problems.push('postgres: no named volume on /var/lib/postgresql/data');
    }
    if (!healthcheckCommand(postgres).includes('pg_isready')) problems.push('postgres: healthcheck does not use pg_isready');
  }

  for (const [name, service] of Object.entries(all)) {
    for (const volume of namedVolumesOf(service)) {
      if (!(volume.source in (compose.volumes ?? {}))) {
        problems.push(`${name}: volume ${volume.source} is not declared under top-level volumes`);
      }
    }
    for (const [dependency, condition] of Object.entries(dependenciesOf(service))) {
      if (!all[dependency]) problems.push(`${name}: depends_on ${dependency}, which is not a service`);
      else if (condition === 'service_healthy' && !all[dependency].healthcheck?.test) {
        problems.push(`${name}: waits for ${dependency} to be healthy, but ${dependency} has no healthcheck`);
      }
    }
  }
  return problems;
}

export function serviceProblems(compose: ComposeFile, name: ServiceName): string[] {
  const service = compose.services?.[name];
  if (!service) return [`service ${name} is missing`];
  const problems: string[] = [];
  const { port, portVariable } = services[name];

  const args = buildArgsOf(service);
  if (typeof service.build !== 'object') problems.push(`${name}: not built from the Dockerfile`);
  else if (args['SERVICE'] !== name) problems.push(`${name}: build arg SERVICE is ${args['SERVICE']}, expected ${name}`);

  const env = environmentOf(service);
  for (const variable of requiredVariables(name)) {
    if (!env[variable]) problems.push(`${name}: environment lacks ${variable}`);
  }
  const expected: Record<string, string> = {
    NATS_URL: composeNatsUrl,
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    [portVariable]: String(port),
    ...(services[name].database ? { DATABASE_URL: composeDatabaseUrl(name), DATABASE_SCHEMA: name } : {}),
  };
  if (!services[name].database) {
    for (const variable of ['DATABASE_URL', 'DATABASE_SCHEMA']) if (env[variable] !== undefined) problems.push(`${name}: has no database, yet receives ${variable}`);
  }
  if (env['AGENTLEDGER_API_KEYS'] !== undefined && !/^\$\{AGENTLEDGER_API_KEYS:\?[^}]+\}$/.test(env['AGENTLEDGER_API_KEYS'])) {
    problems.push(`${name}: AGENTLEDGER_API_KEYS is written in the file; take it from the environment with \${AGENTLEDGER_API_KEYS:?…}`);
  }
  for (const [variable, value] of Object.entries(expected)) {
    if (env[variable] !== undefined && env[variable] !== value) {
      problems.push(`${name}: ${variable} is ${env[variable]}, expected ${value}`);
    }
  }

  const deps = dependenciesOf(service);
  for (const infrastructure of ['nats', 'postgres']) {
    if (deps[infrastructure] !== 'service_healthy') {
      problems.push(`${name}: does not wait for ${infrastructure} to be healthy (depends_on condition)`);
    }
  }

  if (!healthcheckCommand(service).includes(`:${port}/healthz`)) {
    problems.push(`${name}: healthcheck does not probe /healthz on port ${port}`);
  }
  return problems;
}

/** Exactly gateway, ingestion and NATS are reachable from the host, each on its own port. */
export function publishedPortProblems(compose: ComposeFile): string[] {
  const expected: Record<string, string> = { [String(natsClientPort)]: `nats:${natsClientPort}` };
  for (const name of serviceNames) {
    if (services[name].public) expected[String(services[name].port)] = `${name}:${services[name].port}`;
  }
  const actual = publishedPorts(compose);
  const problems: string[] = [];
  for (const [host, target] of Object.entries(expected)) {
    if (actual[host] !== target) problems.push(`host port ${host} should publish ${target}, publishes ${actual[host] ?? 'nothing'}`);
  }
  for (const [host, target] of Object.entries(actual)) {
    if (!(host in expected)) problems.push(`host port ${host} publishes ${target}, which should stay internal`);
  }
  return problems;
}

/** Postgres creates one role per service on its first start, from the services' own URLs. */
export function databaseRoleProblems(compose: ComposeFile): string[] {
  const postgres = compose.services?.['postgres'];
  if (!postgres) return ['service postgres is missing'];
  const problems: string[] = [];
  if (!(postgres.volumes ?? []).includes(rolesScriptMount)) problems.push(`postgres: does not mount ${rolesScriptMount}`);
  const env = environmentOf(postgres);
  for (const service of databaseServiceNames) {
    const variable = `${service.toUpperCase()}_DATABASE_URL`;
    const own = environmentOf(compose.services?.[service] ?? {})['DATABASE_URL'];
    if (env[variable] !== own) problems.push(`postgres: ${variable} is ${env[variable] ?? 'unset'}, not ${service}'s DATABASE_URL`);
  }
  return problems;
}
