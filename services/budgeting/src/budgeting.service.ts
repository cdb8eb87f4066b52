import { fileURLToPath } from 'node:url';
import { alertsQuery, budgetQuery, budgetsQuery, deleteBudgetCommand, setBudgetCommand } from '@agentledger/contracts';
import { JetStreamAggregateStore } from '@agentledger/event-sourcing';
import { CONSUMERS, STREAMS, streamIn } from '@agentledger/jetstream';
import { projectionOf, type ServiceDefinition } from '@agentledger/service-kit';
import { PrismaClient } from './generated/prisma/client.js';
import { listAlerts } from './alerts/alerts.query.js';
import { budgetEventCodec } from './budgets/budget-wire.js';
import { budgetsProjection } from './budgets/budgets.projection.js';
import { findBudget, listBudgets } from './budgets/budgets.query.js';
import { handleDeleteBudget, handleSetBudget } from './budgets/set-budget.handler.js';
import { ControlServer } from './checks/control-server.js';
import { spendProjection } from './spend/spend.projection.js';

/** The composition root of the budgeting service. */
export const budgetingService: ServiceDefinition<PrismaClient> = {
  name: 'budgeting',
  portVariable: 'BUDGETING_PORT',
  defaultPort: 4103,
  consumers: [CONSUMERS.budgetingSpend, CONSUMERS.budgetingBudgets],
  database: {
    migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
    createClient: (adapter) => new PrismaClient({ adapter }),
  },
  compose(context) {
    const clock = () => new Date();
    const reactions = { ns: context.ns, clock };
    const spend = projectionOf(context, spendProjection(reactions));
    const budgets = projectionOf(context, budgetsProjection(reactions));
    const store = new JetStreamAggregateStore({
      js: context.js,
      jsm: context.jsm,
      publisher: context.publisher,
      stream: streamIn(context.ns, STREAMS.budgets.name),
      codec: budgetEventCodec,
    });
    const commands = { store, db: context.db, ns: context.ns, clock };
    context.queries
      .handle(setBudgetCommand, (request) => handleSetBudget(commands, request))
      .handle(deleteBudgetCommand, (request) => handleDeleteBudget(commands, request))
      .handle(budgetsQuery, (request) => listBudgets(context.db, request.tenant, clock()))
      .handle(budgetQuery, (request) => findBudget(context.db, request, clock()))
      .handle(alertsQuery, (request) => listAlerts(context.db, request));
    const control = new ControlServer({ nc: context.nc, ns: context.ns, db: context.db, clock, logger: context.logger });
    control.start();
    return { workers: [spend, budgets], stops: [{ name: 'control: finish the checks in hand', stop: () => control.stop() }] };
  },
};
