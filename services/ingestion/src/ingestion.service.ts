import { fileURLToPath } from 'node:url';
import { deadLettersQuery, redriveDeadLettersCommand } from '@agentledger/contracts';
import { CONSUMERS } from '@agentledger/jetstream';
import { ApiKeyRing, projectionOf, type ServiceDefinition } from '@agentledger/service-kit';
import { PrismaClient } from './generated/prisma/client.js';
import { RawIntake } from './intake/raw-intake.js';
import { deadLettersProjection } from './dead-letters/dead-letters.projection.js';
import { listDeadLetters } from './dead-letters/dead-letters.query.js';
import { redriveDeadLetters } from './dead-letters/redrive.js';
import { Counter } from 'prom-client';
import { EventIntake } from './http/event-intake.js';
import { HttpIntakeModule } from './http/http-intake.module.js';
import { RecentKeys } from './intake/dedupe-ledger.js';
import { checkIngestionConfig, ingestionConfig } from './ingestion.config.js';

/** The composition root of the ingestion service. */
export const ingestionService: ServiceDefinition<PrismaClient, typeof ingestionConfig> = {
  name: 'ingestion',
  portVariable: 'INGESTION_PORT',
  defaultPort: 4318,
  config: ingestionConfig,
  checkConfig: checkIngestionConfig,
  // The intake reads every body itself: Express's JSON parser would answer bad JSON, bad gzip and
  // bodies over 100 kB with its own bare 400/413, never dead-lettered.
  bodyParser: false,
  consumers: [CONSUMERS.ingestion, CONSUMERS.ingestionDeadLetters],
  database: {
    migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
    createClient: (adapter) => new PrismaClient({ adapter }),
  },
  compose(context) {
    const keys = context.config.AGENTLEDGER_API_KEYS ?? ApiKeyRing.EMPTY;
    if (keys.size === 0) context.logger.warn('AGENTLEDGER_API_KEYS is empty: the HTTP intake (/v1/events, /v1/traces, /v1/saas-usage) answers 401');
    const recentKeys = new RecentKeys(context.config.INGESTION_RECENT_KEYS);
    const duplicates = new Counter({
      name: 'agentledger_ingestion_duplicates_total',
      help: 'Events dropped as already applied, by where the duplicate was recognised (memory hint or the durable ledger).',
      labelNames: ['where'],
      registers: [context.metrics.registry],
    });
    const skippedSpans = new Counter({
      name: 'agentledger_otlp_spans_skipped_total',
      help: 'OTLP spans that are not GenAI (no model call, tool call or evaluation), skipped rather than dead-lettered.',
      registers: [context.metrics.registry],
    });
    const intakeHooks = context.metrics.consumerHooks(CONSUMERS.ingestion.durable);
    const intake = new RawIntake({
      js: context.js,
      ns: context.ns,
      // Every event's dedupe key goes through this transaction: raw SQL on the bare pool.
      db: context.sql!,
      publisher: context.publisher,
      deadLetters: context.deadLetters,
      service: context.service,
      hooks: intakeHooks,
      logger: context.logger,
      recentKeys,
      onDuplicates: (where, count) => duplicates.inc({ where }, count),
    });
    const eventIntake = new EventIntake({
      ns: context.ns,
      publisher: context.publisher,
      deadLetters: context.deadLetters,
      service: context.service,
      onDeadLetter: (category) => intakeHooks.onDeadLetter(category),
    });
    const deadLetters = projectionOf(context, deadLettersProjection);
    context.queries.handle(deadLettersQuery, (request) => listDeadLetters(context.queryDb, request));
    context.queries.handle(redriveDeadLettersCommand, async (request) => {
      const report = await redriveDeadLetters({ db: context.db, ns: context.ns, publisher: context.publisher }, request.tenant, request.args);
      context.logger.info('dead letters redriven', { tenant: request.tenant, actor: request.actor, ...report, rejections: report.rejections.length });
      return report;
    });
    return { workers: [intake, deadLetters], modules: [HttpIntakeModule.forRoot({ keys, intake: eventIntake, skippedSpans: (count) => skippedSpans.inc(count) })] };
  },
};
