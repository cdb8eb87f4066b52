import { fileURLToPath } from 'node:url';
import { alertsQuery, budgetQuery, budgetsQuery, deleteBudgetCommand, pauseCommand, pausedScopesQuery, resumeCommand, setBudgetCommand } from '@agentledger/contracts';
import { JetStreamAggregateStore } from '@agentledger/event-sourcing';
import { CONSUMERS, openControlBucket, STREAMS, streamIn } from '@agentledger/jetstream';
import { Decimal, parseDecimal } from '@agentledger/money';
import { PollingWorker, projectionOf, sqlPool, type ServiceDefinition } from '@agentledger/service-kit';
import { PrismaClient } from './generated/prisma/client.js';
import { listAlerts } from './alerts/alerts.query.js';
import { budgetEventCodec } from './budgets/budget-wire.js';
import { budgetsProjection } from './budgets/budgets.projection.js';
import { findBudget, listBudgets } from './budgets/budgets.query.js';
import { handleDeleteBudget, handleSetBudget } from './budgets/set-budget.handler.js';
import { ControlServer } from './checks/control-server.js';
import { PreCallChecks } from './checks/check.js';
import { spendProjection } from './spend/spend.projection.js';
import { handlePause, handleResume, listPausedScopes } from './pauses/pause.handler.js';
import { PauseMirror } from './pauses/pause-mirror.js';
import { sweepBudgetPauses } from './pauses/pause-sweeper.js';
import { purgeExpiredReservations } from './checks/reservations.js';
import { pruneHistory } from './retention/prune-history.js';
import { loadDefaultCatalog } from '@agentledger/model-pricing';
import { PriceBook } from './prices/price-book.js';
import { tenantPricesProjection } from './prices/tenant-prices.projection.js';
import { webhookDeliveriesProjection } from './webhooks/webhook-deliveries.projection.js';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker.js';
import { ruleWith } from './anomalies/baseline.js';
import { budgetingConfig, checkBudgetingConfig } from './budgeting.config.js';

/** The composition root of the budgeting service. */
export const budgetingService: ServiceDefinition<PrismaClient, typeof budgetingConfig> = {
  name: 'budgeting',
  portVariable: 'BUDGETING_PORT',
  defaultPort: 4103,
  config: budgetingConfig,
  checkConfig: checkBudgetingConfig,
  consumers: [CONSUMERS.budgetingSpend, CONSUMERS.budgetingBudgets, CONSUMERS.budgetingWebhooks, CONSUMERS.budgetingPrices],
  database: {
    migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
    createClient: (adapter) => new PrismaClient({ adapter }),
  },
  async compose(context) {
    const clock = () => new Date();
    const kv = await openControlBucket(context.js, context.ns, { replicas: context.config.STREAM_REPLICAS });
    const mirror = new PauseMirror({ db: context.db, kv, js: context.js, ns: context.ns, logger: context.logger });
    const sweepers = [
      // What only the clock changes: a period that ends lifts its budget's pause, a TTL that runs out ends a reservation.
      new PollingWorker({ name: 'pause sweep', pollMs: 5_000, pass: () => sweepBudgetPauses(context.db, clock(), mirror), logger: context.logger }),
      new PollingWorker({ name: 'reservation expiry', pollMs: 30_000, pass: async () => void (await purgeExpiredReservations(context.db, clock())), logger: context.logger }),
      new PollingWorker({ name: 'history retention', pollMs: 3_600_000, pass: async () => void (await pruneHistory(context.db, clock(), context.config.BUDGETING_RETENTION_DAYS)), logger: context.logger }),
    ];
    const reactions = { ns: context.ns, clock, afterCommit: () => void mirror.flush() };
    const anomalies = { spend: ruleWith(parseDecimal(context.config.BUDGETING_ANOMALY_MIN_SPEND)), retries: ruleWith(new Decimal(context.config.BUDGETING_RETRY_STORM_MIN)) };
    // The raw-SQL read models run their transactions on the bare pool; budgets reads through Prisma's models.
    const spend = projectionOf(context, spendProjection({ ...reactions, anomalies }), { db: context.sql! });
    const budgets = projectionOf(context, budgetsProjection(reactions));
    const priceBook = new PriceBook({ db: context.db, catalog: await loadDefaultCatalog() });
    const prices = projectionOf(context, tenantPricesProjection({ pricesChanged: (tenants) => priceBook.pricesChanged(tenants) }), { db: context.sql! });
    const webhookQueue = projectionOf(context, webhookDeliveriesProjection({ ns: context.ns, clock, logger: context.logger }), { db: context.sql! });
    const webhookDeliveries = new WebhookDeliveryWorker({
      db: context.db,
      logger: context.logger,
      metrics: context.metrics,
      clock,
      secret: context.config.BUDGETING_WEBHOOK_SECRET || undefined,
      allowPrivateNetworks: context.config.BUDGETING_WEBHOOK_PRIVATE_NETWORKS,
    });
    const store = new JetStreamAggregateStore({
      js: context.js,
      jsm: context.jsm,
      publisher: context.publisher,
      stream: streamIn(context.ns, STREAMS.budgets.name),
      codec: budgetEventCodec,
    });
    const commands = { store, db: context.db, ns: context.ns, clock, pauses: mirror };
    const pauses = { db: context.db, clock, mirror };
    context.queries
      .handle(setBudgetCommand, (request) => handleSetBudget(commands, request))
      .handle(deleteBudgetCommand, (request) => handleDeleteBudget(commands, request))
      .handle(budgetsQuery, (request) => listBudgets(context.queryDb, request.tenant, clock()))
      .handle(budgetQuery, (request) => findBudget(context.queryDb, request, clock()))
      .handle(alertsQuery, (request) => listAlerts(context.queryDb, request))
      .handle(pauseCommand, (request) => handlePause(pauses, request))
      .handle(resumeCommand, (request) => handleResume(pauses, request))
      .handle(pausedScopesQuery, (request) => listPausedScopes(context.queryDb, request.tenant));
    const pool = sqlPool(context.database!);
    const checks = new PreCallChecks({ pool });
    const control = new ControlServer({ nc: context.nc, ns: context.ns, db: context.db, checks, prices: priceBook, clock, logger: context.logger, metrics: context.metrics });
    control.start();
    return { workers: [spend, budgets, prices, webhookQueue, webhookDeliveries, mirror, ...sweepers], stops: [
        { name: 'control: finish the checks in hand', stop: () => control.stop() },
        { name: 'checks: close their pool', stop: () => pool.end() },
      ] };
  },
};
