import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  allStreams,
  connectToNats,
  DeadLetterPublisher,
  JetStreamPublisher,
  namespaceFor,
  provisionConsumers,
  provisionStreams,
  streamIn,
  serviceInboxPrefix,
  type ConsumerSpec,
  type Namespace,
} from '@agentledger/jetstream';
import {
  createLogger,
  installGracefulShutdown,
  NestJsonLogger,
  ObservabilityModule,
  ReadinessChecks,
  ServiceMetrics,
  ConfigError,
  type ConfigCheck,
  type ConfigSpec,
  type ConfigValues,
  type Logger,
  type ShutdownStep,
  type StreamUsage,
} from '@agentledger/observability';
import { migrateSchema } from '@agentledger/projections';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { prismaAdapter, sqlPool, type DatabaseOptions } from './database.js';
import { sqlDb, type SqlDb } from './sql-db.js';
import { QueryServer } from './query-bus.js';
import { DEFAULT_QUERY_LIMITS } from './query-limiter.js';
import { ProjectionRunner, type ProjectionDefinition } from './projection-runner.js';
import { OutboxRelay } from './outbox-relay.js';
import type { SqlExecutor, TransactionalDb } from '@agentledger/projections';
import { readServiceConfig, type BaseConfig } from './service-config.js';
import { boundHeapGrowth } from './heap-growth.js';

export interface ManagedDb {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $disconnect(): Promise<void>;
}

/** Something the service starts after wiring and stops first on shutdown (a projection, a processor). */
export interface Worker {
  readonly name: string;
  readonly isBound: boolean;
  start(): void;
  stop(): Promise<void>;
  rebuild?(): Promise<void>;
}

export interface ServiceContext<Db, Config = BaseConfig> {
  readonly service: string;
  /** The validated values of every variable the service declared (and the base ones). */
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly readiness: ReadinessChecks;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly ns: Namespace;
  readonly publisher: JetStreamPublisher;
  readonly deadLetters: DeadLetterPublisher;
  readonly queries: QueryServer;
  /** The projections', reactors' and commands' client: its own pool, no statement timeout. */
  readonly db: Db;
  /**
   * The same pool as `db` (one set of connections), without the ORM: raw SQL in transactions for
   * the hot read models, which apply every event of the pipeline (services with a database).
   */
  readonly sql?: SqlDb;
  /**
   * The queries' client: a pool of its own (`DATABASE_QUERY_POOL_SIZE`) whose statements are
   * cancelled after `DATABASE_STATEMENT_TIMEOUT_MS`, so a heavy read neither holds the
   * projections' connections nor runs for ever. Query handlers read through this one.
   */
  readonly queryDb: Db;
  readonly schema: string;
  /** Where `db` connects (services with a database): for a plain `sqlPool` on a hot path. */
  readonly database?: DatabaseOptions;
  /** Where `queryDb` connects, statement timeout included: for a plain `sqlPool` serving queries. */
  readonly queryDatabase?: DatabaseOptions;
  /** Publishes what the service's reactors staged, after commit (services with a database). */
  readonly outbox?: OutboxRelay;
}

export interface ServiceParts {
  readonly workers?: readonly Worker[];
  /** Extra Nest modules (GraphQL, HTTP intake) beside the ops endpoints. */
  readonly modules?: readonly DynamicModule[];
  /** Extra stops, run after the workers stopped and before connections close. */
  readonly stops?: readonly ShutdownStep[];
}

/** A service that reads nothing beyond the base variables. */
type NoOwnConfig = Record<never, never>;

export interface ServiceDefinition<Db extends ManagedDb | undefined, S extends ConfigSpec = NoOwnConfig> {
  readonly name: string;
  readonly portVariable: string;
  readonly defaultPort: number;
  /** The service's own variables, validated at start with the base ones; typed in `context.config`. */
  readonly config?: S;
  /** Rules across the service's own variables, reported in the same `ConfigError`. */
  readonly checkConfig?: ConfigCheck<S>;
  /** Consumers this service reads from (provisioned at start-up, idempotently). */
  readonly consumers: readonly ConsumerSpec[];
  /** A service with a database: its SQL migrations and its Prisma client. */
  readonly database?: { readonly migrationsDir: string; readonly createClient: (adapter: PrismaPg) => Db };
  /**
   * `false`: Express parses no request body, the service's controllers read the raw bytes (and
   * answer bad JSON, bad gzip or an oversize body themselves). Default `true`.
   */
  readonly bodyParser?: boolean;
  compose(context: ServiceContext<Db, BaseConfig & ConfigValues<S>>): Promise<ServiceParts> | ServiceParts;
}

export interface RunningService<Db, Config = BaseConfig> {
  readonly context: ServiceContext<Db, Config>;
  readonly app: INestApplication;
  readonly port: number;
  readonly workers: readonly Worker[];
  /** The shutdown steps in order: stop fetching and finish the batch in hand, then close. */
  readonly stops: readonly ShutdownStep[];
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Port 0 picks a free one (tests). */
  readonly port?: number;
  readonly logWrite?: (line: string) => void;
}

/** Wires a service: config, logs, metrics, NATS and its streams, its schema, its workers, its HTTP surface. */
export async function startService<Db extends ManagedDb | undefined, S extends ConfigSpec = NoOwnConfig>(
  definition: ServiceDefinition<Db, S>,
  options: StartOptions = {},
): Promise<RunningService<Db, BaseConfig & ConfigValues<S>>> {
  const config = readServiceConfig(definition, options.env ?? process.env);

  const logger = createLogger(definition.name, { level: config.LOG_LEVEL, write: options.logWrite });
  const metrics = new ServiceMetrics({ service: definition.name });
  const readiness = new ReadinessChecks();
  const ns = namespaceFor(config.FINOPS_NAMESPACE);

  const nc = await connectToNats({
    url: config.NATS_URL,
    name: definition.name,
    inboxPrefix: serviceInboxPrefix(definition.name),
    user: config.NATS_USER,
    password: config.NATS_PASSWORD,
    token: config.NATS_TOKEN,
    credsFile: config.NATS_CREDS,
    tlsCaFile: config.NATS_TLS_CA,
  });
  const jsm = await jetstreamManager(nc);
  const streamWarnings = await provisionStreams(jsm, ns, allStreams(), { replicas: config.STREAM_REPLICAS, maxBytes: config.STREAM_MAX_BYTES });
  for (const warning of streamWarnings) logger.warn('stream limit', { warning });
  await provisionConsumers(jsm, ns, definition.consumers);
  const js = jetstream(nc);
  const publishHooks = metrics.publishHooks();
  const publisher = new JetStreamPublisher(js, undefined, { onRetry: publishHooks.onRetry, onFailure: publishHooks.onFailure, logger });
  metrics.watchStreams(() => streamUsage(jsm, ns));

  let db = undefined as Db;
  let queryDb = undefined as Db;
  let database: DatabaseOptions | undefined;
  let pool: pg.Pool | undefined;
  let sql: SqlDb | undefined;
  let queryDatabase: DatabaseOptions | undefined;
  const schema = String(config.DATABASE_SCHEMA ?? '');
  if (definition.database) {
    const connectionString = String(config.DATABASE_URL);
    const applied = await migrateSchema({ connectionString, schema, migrationsDir: definition.database.migrationsDir });
    if (applied.length > 0) logger.info('schema migrated', { schema, applied });
    database = { connectionString, schema, poolSize: Number(config.DATABASE_POOL_SIZE) };
    // One pool for both ports: Prisma's adapter borrows it, the hot read models use it bare.
    pool = sqlPool(database);
    db = definition.database.createClient(new PrismaPg(pool, { schema }));
    sql = sqlDb(pool);
    queryDatabase = { connectionString, schema, poolSize: Number(config.DATABASE_QUERY_POOL_SIZE), statementTimeoutMs: Number(config.DATABASE_STATEMENT_TIMEOUT_MS) };
    queryDb = definition.database.createClient(prismaAdapter(queryDatabase));
    await queryDb!.$queryRawUnsafe('SELECT 1');
    // One transaction now: the client loads its engine before any worker or relay needs it, and a
    // database that cannot run one fails the start instead of every batch after it.
    await (db as unknown as TransactionalDb<SqlExecutor>).$transaction((tx) => tx.$queryRawUnsafe('SELECT 1'));
    readiness.register('database', async () => {
      await db!.$queryRawUnsafe('SELECT 1');
    });
  }
  readiness.register('nats', async () => (nc.isClosed() ? 'connection closed' : undefined));

  const context: ServiceContext<Db, BaseConfig & ConfigValues<S>> = {
    service: definition.name,
    config,
    logger,
    metrics,
    readiness,
    nc,
    js,
    jsm,
    ns,
    publisher,
    deadLetters: new DeadLetterPublisher(publisher, ns),
    queries: new QueryServer(nc, ns, definition.name, {
      logger,
      metrics,
      limits: { maxConcurrent: Number(config.QUERY_CONCURRENCY ?? DEFAULT_QUERY_LIMITS.maxConcurrent), maxWaitMs: Number(config.QUERY_QUEUE_WAIT_MS ?? DEFAULT_QUERY_LIMITS.maxWaitMs) },
    }),
    db,
    sql,
    queryDb,
    schema,
    database,
    queryDatabase,
    outbox: definition.database
      ? new OutboxRelay({ db: sql!, publisher, logger })
      : undefined,
  };
  const parts = await definition.compose(context);
  const workers = [...(parts.workers ?? []), ...(context.outbox ? [context.outbox] : [])];
  readiness.register('consumers', async () => {
    const unbound = workers.filter((worker) => !worker.isBound).map((worker) => worker.name);
    return unbound.length > 0 ? `not bound: ${unbound.join(', ')}` : undefined;
  });

  @Module({ imports: [ObservabilityModule.forRoot({ service: definition.name, logger, metrics, readiness }), ...(parts.modules ?? [])] })
  class ServiceModule {}

  const app = await NestFactory.create(ServiceModule, { logger: new NestJsonLogger(logger), bodyParser: definition.bodyParser ?? true });
  keepConnectionsAlive(app.getHttpServer());
  await app.listen(options.port ?? Number(config[definition.portVariable]), '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number };
  for (const worker of workers) worker.start();
  logger.info('service started', { port: address.port, namespace: config.FINOPS_NAMESPACE || '(root)', schema: schema || undefined });

  const stops: ShutdownStep[] = [
    { name: 'workers: stop fetching, finish and ack the batch in hand', stop: async () => void (await Promise.all(workers.map((worker) => worker.stop()))) },
    { name: 'queries', stop: () => context.queries.stop() },
    ...(parts.stops ?? []),
    { name: 'http', stop: () => app.close() },
    { name: 'nats', stop: () => nc.drain() },
    ...(definition.database
      ? [
          {
            name: 'database',
            stop: async () => {
              await Promise.all([db!.$disconnect(), queryDb!.$disconnect()]);
              await pool!.end();
            },
          },
        ]
      : []),
  ];
  return {
    context,
    app,
    port: address.port,
    workers,
    stops,
    async stop() {
      for (const step of stops) await step.stop();
    },
  };
}

/**
 * The composition root's entry: start, install graceful shutdown; `rebuild` as the first
 * argument drops every read model, replays the streams, and exits.
 */
export async function runServiceMain<Db extends ManagedDb | undefined, S extends ConfigSpec = NoOwnConfig>(
  definition: ServiceDefinition<Db, S>,
  argv = process.argv.slice(2),
): Promise<void> {
  let running: RunningService<Db, BaseConfig & ConfigValues<S>>;
  try {
    running = await startService(definition);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${definition.name} failed to start: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  }
  // A setting of the whole process: here, not in startService, which tests call inside the test runner's process.
  boundHeapGrowth(running.context.config.HEAP_GROWTH_PERCENT);
  if (argv[0] === 'rebuild') {
    for (const worker of running.workers) {
      if (!worker.rebuild) continue;
      running.context.logger.info('rebuilding', { projection: worker.name });
      await worker.rebuild();
      running.context.logger.info('rebuilt', { projection: worker.name });
    }
    await running.stop();
    process.exit(0);
  }
  installGracefulShutdown({ logger: running.context.logger, stops: [...running.stops] });
}

/** JetStream storage of every stream of the topology in this namespace, as the server reports it. */
async function streamUsage(jsm: JetStreamManager, ns: Namespace): Promise<StreamUsage[]> {
  const usage: StreamUsage[] = [];
  for (const spec of allStreams()) {
    const name = streamIn(ns, spec.name);
    const info = await jsm.streams.info(name).catch(() => undefined);
    if (info) usage.push({ stream: spec.name, bytes: info.state.bytes, messages: info.state.messages, maxBytes: info.config.max_bytes });
  }
  return usage;
}

/** A projection of this service, wired to its NATS, database, dead letters, logs and metrics. */
export function projectionOf<E, Tx extends SqlExecutor>(
  context: ServiceContext<TransactionalDb<Tx>, unknown>,
  definition: ProjectionDefinition<E, Tx>,
  overrides: { readonly db?: TransactionalDb<Tx> } = {},
): ProjectionRunner<E, Tx> {
  return new ProjectionRunner(
    {
      js: context.js,
      jsm: context.jsm,
      ns: context.ns,
      db: overrides.db ?? context.db,
      service: context.service,
      deadLetters: context.deadLetters,
      logger: context.logger,
      hooks: context.metrics.consumerHooks(definition.consumer.durable),
      outbox: context.outbox,
      onStreamMismatch: () => context.metrics.streamMismatches.inc({ consumer: definition.consumer.durable }),
    },
    definition,
  );
}

/**
 * Idle keep-alive connections live 65 s (Node's default is 5 s): a client that reuses one just
 * as the server closes it gets "other side closed" on a request never sent (undici does not retry
 * it), and a loaded box makes that race likely at 5 s. Longer than the usual 60 s of load
 * balancers, so they close first; headers must arrive within a second more.
 */
export function keepConnectionsAlive(server: { keepAliveTimeout: number; headersTimeout: number }): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
}

const KEEP_ALIVE_MS = 65_000;
