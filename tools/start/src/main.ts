import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { renderBanner } from './banner.js';
import { DEFAULT_DATABASE_NAME, parseDatabaseUrl, redactPassword, withDatabase, type DatabaseTarget } from './database-url.js';
import { ensureDatabase } from './database-provisioning.js';
import { resolveApiKeys } from './dev-api-key.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { Lifecycle } from './lifecycle.js';
import { chooseLogFormat } from './log-format.js';
import { shouldUseColour } from './log-prefix.js';
import { ManagedProcess } from './managed-process.js';
import { NATS_STOP_SIGNAL, ensureNats } from './nats-server.js';
import { DEFAULT_NATS_URL, parseNatsUrls } from './nats-url.js';
import { readPort } from './ports.js';
import { PrefixedOutput } from './prefixed-output.js';
import { waitUntilReady } from './readiness.js';
import { SERVICES, planServices, readServicePorts } from './service-table.js';
import { DEFAULT_EMBEDDED_PG_PORT } from './start-variables.js';
import { StartError } from './start-error.js';
import { dataDir, workspaceRoot } from './workspace.js';

const READY_TIMEOUT_MS = 60_000;
const NATS_GRACE_MS = 5_000;

const output = new PrefixedOutput(
  ['start', 'nats', 'postgres', ...SERVICES.map((service) => service.name)],
  shouldUseColour(process.stdout.isTTY === true, process.env),
  chooseLogFormat(process.stdout.isTTY === true, process.env),
);
const say = (line: string) => line.split('\n').forEach((text) => output.line('start', text));
const lifecycle = new Lifecycle(say, (code) => process.exit(code));

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // npm forwards Ctrl-C to us on top of the terminal's own: a second signal is expected.
    if (lifecycle.isStopping) return;
    void lifecycle.stop(0, `received ${signal}, stopping`);
  });
}
process.on('exit', () => lifecycle.abandon());
process.on('uncaughtException', (error) => void lifecycle.stop(1, `unexpected error: ${error.stack ?? error}`));
process.on('unhandledRejection', (error) => void lifecycle.stop(1, `unexpected error: ${String(error)}`));

async function start(): Promise<void> {
  const env = process.env;
  const ports = readServicePorts(env);
  await mkdir(dataDir, { recursive: true });

  const natsUrl = env['NATS_URL']?.trim() || DEFAULT_NATS_URL;
  // Our own nats-server, when it dies, is started again the same way (a NATS at NATS_URL is not ours to restart).
  const startNats = () =>
    ensureNats(natsUrl, parseNatsUrls(natsUrl), {
      dataDir,
      cwd: workspaceRoot,
      workspaceRoot,
      output,
      say,
      onSpawn: (server) => {
        lifecycle.addInfrastructure('nats-server', async () => void (await server.stop(NATS_GRACE_MS, NATS_STOP_SIGNAL)), server);
        lifecycle.superviseInfrastructure('nats-server', server, startNats);
      },
    });
  const nats = await startNats();
  if (nats.server === undefined) say(`using the NATS server at ${natsUrl} (version ${nats.info.version ?? 'unknown'})`);
  if (!nats.info.jetstream) {
    say(`warning: the NATS server at ${natsUrl} has no JetStream; the services need it (run nats-server with -js)`);
  }
  if (lifecycle.isStopping) return;

  const database = await prepareDatabase(env);
  if (lifecycle.isStopping) return;
  const provisioning = await ensureDatabase(database.target.serverUrl, database.target.database);
  if (provisioning === 'created') say(`created database "${database.target.database}"`);

  const apiKeys = await resolveApiKeys(env, dataDir);
  if (apiKeys.source === 'created') say(`generated a development admin key for tenant dev in .data/dev-api-key`);

  const databaseUrl = withDatabase(database.target.serverUrl, database.target.database);
  // GraphiQL pre-fills the generated key; a production gateway refuses a pre-filled key, so none is passed there.
  const devApiKey = env['NODE_ENV'] === 'production' ? undefined : apiKeys.devKey;
  const plans = planServices(env, ports, { natsUrl, databaseUrl, apiKeys: apiKeys.apiKeys, devApiKey, natsCredentials: nats.serviceCredentials });
  const notBuilt = plans.filter((plan) => !existsSync(join(workspaceRoot, plan.entry)));
  for (const plan of notBuilt) say(`${plan.entry} is missing: run \`npm run build\`; starting without ${plan.name}`);

  // CPU_PROFILE_DIR: each service writes a V8 CPU profile there when it stops (tools/bench/README.md reads them).
  const nodeArgs = env.CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${env.CPU_PROFILE_DIR}`] : [];
  if (nodeArgs.length > 0) say(`CPU profiles of every service go to ${env.CPU_PROFILE_DIR} when they stop`);
  const started = plans
    .filter((plan) => !notBuilt.includes(plan))
    .map((plan) => {
      const spawn = () => ManagedProcess.start(plan.name, process.execPath, [...nodeArgs, plan.entry], { cwd: workspaceRoot, env: plan.env, output });
      const service = spawn();
      // A service that crashes is started again with backoff; Ctrl-C still stops everything.
      lifecycle.addService(service, spawn);
      return { plan, service };
    });
  if (lifecycle.isStopping) return;

  const readiness = await Promise.all(
    started.map(async ({ plan, service }) => ({
      name: plan.name,
      ready: await waitUntilReady(plan.readyUrl, {
        timeoutMs: READY_TIMEOUT_MS,
        cancelled: () => lifecycle.isStopping || !service.running,
      }),
    })),
  );
  if (lifecycle.isStopping) return;
  const notReady = readiness.filter((result) => !result.ready).map((result) => result.name);
  for (const name of notReady) say(`${name} did not answer /readyz with 200 within ${READY_TIMEOUT_MS / 1000} s`);

  renderBanner({
    gatewayPort: ports.GATEWAY_PORT,
    ingestionPort: ports.INGESTION_PORT,
    natsUrl,
    natsStarted: nats.server !== undefined,
    natsAuth: nats.serviceCredentials !== undefined || nats.info.authRequired,
    databaseUrl: redactPassword(databaseUrl),
    databaseKind: database.kind,
    apiKeys,
    notReady,
    notBuilt: notBuilt.map((plan) => plan.name),
  }).forEach(say);
}

/** `DATABASE_URL` if set; otherwise our own PostgreSQL cluster under `.data/postgres`. */
async function prepareDatabase(env: NodeJS.ProcessEnv): Promise<{ target: DatabaseTarget; kind: 'embedded' | 'external' }> {
  const external = env['DATABASE_URL']?.trim();
  if (external) {
    const target = parseDatabaseUrl(external);
    say(`using the PostgreSQL server from DATABASE_URL: ${redactPassword(target.serverUrl)}`);
    return { target, kind: 'external' };
  }
  const port = readPort(env, 'EMBEDDED_PG_PORT', DEFAULT_EMBEDDED_PG_PORT);
  const startPostgres = () =>
    startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      port,
      output,
      onSpawn: (server, stop) => {
        lifecycle.addInfrastructure('postgres', stop, server);
        lifecycle.superviseInfrastructure('postgres', server, startPostgres);
      },
    });
  const postgres = await startPostgres();
  say(`embedded PostgreSQL on port ${port} (${postgres.initialised ? 'new cluster' : 'existing data'} in .data/postgres)`);
  return { target: { serverUrl: postgres.serverUrl, database: DEFAULT_DATABASE_NAME }, kind: 'embedded' };
}

start().catch((error: unknown) => {
  const message = error instanceof StartError ? error.message : `start-up failed: ${(error as Error)?.stack ?? error}`;
  void lifecycle.stop(1, message);
});
