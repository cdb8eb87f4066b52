import { fileURLToPath } from 'node:url';
import { budgetsQuery } from '@agentledger/contracts';
import { CONSUMERS } from '@agentledger/jetstream';
import { projectionOf, type ServiceDefinition } from '@agentledger/service-kit';
import { PrismaClient } from './generated/prisma/client.js';
import { spendProjection } from './spend/spend.projection.js';

/** The composition root of the budgeting service. Budgets themselves (setBudget) come next. */
export const budgetingService: ServiceDefinition<PrismaClient> = {
  name: 'budgeting',
  portVariable: 'BUDGETING_PORT',
  defaultPort: 4103,
  consumers: [CONSUMERS.budgetingCosts],
  database: {
    migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
    createClient: (adapter) => new PrismaClient({ adapter }),
  },
  compose(context) {
    const spend = projectionOf(context, spendProjection);
    // No budget can be set yet, so there is none to list: an honest empty answer.
    context.queries.handle(budgetsQuery, async () => []);
    return { workers: [spend] };
  },
};
