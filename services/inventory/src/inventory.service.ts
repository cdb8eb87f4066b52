import { fileURLToPath } from 'node:url';
import { CONSUMERS } from '@agentledger/jetstream';
import { ProjectionRunner, type ServiceDefinition } from '@agentledger/service-kit';
import { PrismaClient } from './generated/prisma/client.js';
import { agentsProjection } from './agents/agents.projection.js';
import { listAgents } from './agents/agents.query.js';

/** The composition root of the inventory service. */
export const inventoryService: ServiceDefinition<PrismaClient> = {
  name: 'inventory',
  portVariable: 'INVENTORY_PORT',
  defaultPort: 4104,
  consumers: [CONSUMERS.inventoryFacts],
  database: {
    migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
    createClient: (adapter) => new PrismaClient({ adapter }),
  },
  compose(context) {
    const agents = new ProjectionRunner(
      {
        js: context.js,
        jsm: context.jsm,
        ns: context.ns,
        db: context.db,
        service: context.service,
        deadLetters: context.deadLetters,
        logger: context.logger,
        hooks: context.metrics.consumerHooks(CONSUMERS.inventoryFacts.durable),
      },
      agentsProjection,
    );
    context.queries.handle('agents', (request) => listAgents(context.db, request));
    return { workers: [agents] };
  },
};
