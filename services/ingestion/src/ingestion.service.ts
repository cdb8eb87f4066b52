import { fileURLToPath } from 'node:url';
import { CONSUMERS } from '@agentledger/jetstream';
import { ProjectionRunner, type ServiceDefinition } from '@agentledger/service-kit';
import { PrismaClient } from './generated/prisma/client.js';
import { RawIntake } from './intake/raw-intake.js';
import { deadLettersProjection } from './dead-letters/dead-letters.projection.js';
import { listDeadLetters } from './dead-letters/dead-letters.query.js';

/** The composition root of the ingestion service. */
export const ingestionService: ServiceDefinition<PrismaClient> = {
  name: 'ingestion',
  portVariable: 'INGESTION_PORT',
  defaultPort: 4318,
  consumers: [CONSUMERS.ingestion, CONSUMERS.ingestionDeadLetters],
  database: {
    migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
    createClient: (adapter) => new PrismaClient({ adapter }),
  },
  compose(context) {
    const intake = new RawIntake({
      js: context.js,
      ns: context.ns,
      db: context.db,
      publisher: context.publisher,
      deadLetters: context.deadLetters,
      service: context.service,
      hooks: context.metrics.consumerHooks(CONSUMERS.ingestion.durable),
      logger: context.logger,
    });
    const deadLetters = new ProjectionRunner(
      {
        js: context.js,
        jsm: context.jsm,
        ns: context.ns,
        db: context.db,
        service: context.service,
        deadLetters: context.deadLetters,
        logger: context.logger,
        hooks: context.metrics.consumerHooks(CONSUMERS.ingestionDeadLetters.durable),
      },
      deadLettersProjection,
    );
    context.queries.handle('deadLetters', (request) => listDeadLetters(context.db, request));
    return { workers: [intake, deadLetters] };
  },
};
