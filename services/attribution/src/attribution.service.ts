import { fileURLToPath } from 'node:url';
import { CONSUMERS } from '@agentledger/jetstream';
import { ProjectionRunner, type ServiceDefinition } from '@agentledger/service-kit';
import { PrismaClient } from './generated/prisma/client.js';
import { costEntriesProjection } from './costs/cost-entries.projection.js';
import { costBreakdown, costSummary, spendOverTime } from './costs/cost-queries.js';

/** The composition root of the attribution service. */
export const attributionService: ServiceDefinition<PrismaClient> = {
  name: 'attribution',
  portVariable: 'ATTRIBUTION_PORT',
  defaultPort: 4102,
  consumers: [CONSUMERS.attributionCosts],
  database: {
    migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
    createClient: (adapter) => new PrismaClient({ adapter }),
  },
  compose(context) {
    const costs = new ProjectionRunner(
      {
        js: context.js,
        jsm: context.jsm,
        ns: context.ns,
        db: context.db,
        service: context.service,
        deadLetters: context.deadLetters,
        logger: context.logger,
        hooks: context.metrics.consumerHooks(CONSUMERS.attributionCosts.durable),
      },
      costEntriesProjection,
    );
    context.queries
      .handle('costSummary', (request) => costSummary(context.db, request))
      .handle('costBreakdown', (request) => costBreakdown(context.db, request))
      .handle('spendOverTime', (request) => spendOverTime(context.db, request));
    return { workers: [costs] };
  },
};
