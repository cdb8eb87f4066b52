import { fileURLToPath } from 'node:url';
import { agentsQuery } from '@agentledger/contracts';
import { CONSUMERS } from '@agentledger/jetstream';
import { projectionOf, type ServiceDefinition } from '@agentledger/service-kit';
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
    const agents = projectionOf(context, agentsProjection);
    context.queries.handle(agentsQuery, (request) => listAgents(context.db, request.tenant));
    return { workers: [agents] };
  },
};
