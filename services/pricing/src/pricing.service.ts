import { fileURLToPath } from 'node:url';
import { Counter } from 'prom-client';
import {
  catalogVersionQuery,
  priceHistoryQuery,
  pricesQuery,
  reconciliationQuery,
  setPriceCommand,
  setUnitPriceCommand,
  unitPriceHistoryQuery,
  unitPricesQuery,
  unpricedModelsQuery,
} from '@agentledger/contracts';
import { JetStreamAggregateStore } from '@agentledger/event-sourcing';
import { CONSUMERS, STREAMS, streamIn } from '@agentledger/jetstream';
import { projectionOf, type ServiceDefinition } from '@agentledger/service-kit';
import { PrismaClient } from './generated/prisma/client.js';
import { catalogProjection } from './catalog/catalog.projection.js';
import { recordCatalogVersion } from './catalog/catalog-import.js';
import { lastCatalogImport, repriceForCatalogImport } from './repricing/catalog-repricing.js';
import { RepricingProcessor } from './repricing/repricing-processor.js';
import { priceEventCodec } from './prices/price-wire.js';
import { unitPriceEventCodec } from './unit-prices/unit-price-wire.js';
import { catalogVersion, priceHistory } from './catalog/catalog.queries.js';
import { loadDefaultCatalog } from '@agentledger/model-pricing';
import { listPrices } from './catalog/prices.query.js';
import { reconciliation, unpricedModels } from './costing/cost.queries.js';
import { usagePricingProjection } from './costing/usage-pricing.projection.js';
import { handleSetPrice } from './prices/set-price.handler.js';
import { handleSetUnitPrice } from './unit-prices/set-unit-price.handler.js';
import { unitPriceHistory } from './unit-prices/unit-price-history.query.js';
import { listUnitPrices } from './unit-prices/unit-prices.query.js';

/** The composition root of the pricing service. */
export const pricingService: ServiceDefinition<PrismaClient> = {
  name: 'pricing',
  portVariable: 'PRICING_PORT',
  defaultPort: 4101,
  consumers: [CONSUMERS.pricingCatalog, CONSUMERS.pricingFacts],
  database: {
    migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
    createClient: (adapter) => new PrismaClient({ adapter }),
  },
  async compose(context) {
    const clock = () => new Date();
    const defaultCatalog = await loadDefaultCatalog();
    const imported = await recordCatalogVersion({ jsm: context.jsm, publisher: context.publisher, ns: context.ns, clock }, defaultCatalog);
    context.logger.info(imported ? 'default catalog version imported' : 'default catalog version unchanged', {
      version: defaultCatalog.version,
      previousVersion: imported?.data.previousVersion ?? defaultCatalog.version,
      models: defaultCatalog.modelCount,
    });
    const unpriced = new Counter({
      name: 'agentledger_unpriced_costs_total',
      help: 'Usage facts priced as unpriced (no tenant or default price covered them), by fact type and provider.',
      labelNames: ['fact_type', 'provider'],
      registers: [context.metrics.registry],
    });
    const outbox = context.outbox!;
    const repricing = { ns: context.ns, catalog: defaultCatalog, catalogVersion: defaultCatalog.version };
    const catalog = projectionOf(context, catalogProjection(repricing));
    const usagePricing = projectionOf(
      context,
      usagePricingProjection({
        ...repricing,
        onUnpriced: (cost) => unpriced.inc({ fact_type: cost.factType, provider: cost.provider.toLowerCase().slice(0, 64) }),
      }),
      // Raw SQL only: its transactions run on the bare pool, not through Prisma.
      { db: context.sql! },
    );
    const repricer = new RepricingProcessor({ db: context.db, deps: repricing, outbox, logger: context.logger });
    const prices = { js: context.js, jsm: context.jsm, publisher: context.publisher, stream: streamIn(context.ns, STREAMS.prices.name) };
    const modelPrices = { store: new JetStreamAggregateStore({ ...prices, codec: priceEventCodec }), ns: context.ns, clock };
    const unitPrices = { store: new JetStreamAggregateStore({ ...prices, codec: unitPriceEventCodec }), ns: context.ns, clock };
    context.queries
      .handle(setPriceCommand, (request) => handleSetPrice(modelPrices, request))
      .handle(setUnitPriceCommand, (request) => handleSetUnitPrice(unitPrices, request))
      .handle(unitPricesQuery, (request) => listUnitPrices(context.queryDb, request.tenant))
      .handle(unitPriceHistoryQuery, (request) => unitPriceHistory(context.queryDb, request))
      .handle(pricesQuery, (request) => listPrices(context.queryDb, request.tenant))
      .handle(catalogVersionQuery, () => catalogVersion(context.queryDb, defaultCatalog))
      .handle(priceHistoryQuery, (request) => priceHistory(context.queryDb, request))
      .handle(unpricedModelsQuery, (request) => unpricedModels(context.queryDb, request))
      .handle(reconciliationQuery, (request) => reconciliation(context.queryDb, request));
    // Unpriced facts the recorded catalog version now prices: swept in the background, once per version.
    let stopping = false;
    const recorded = await lastCatalogImport(context.jsm, context.ns);
    const sweep = recorded
      ? repriceForCatalogImport(context.db, repricing, recorded, { shouldStop: () => stopping, afterPage: () => outbox.flush() }).then(
          (outcome) => context.logger.info('catalog re-pricing sweep', { status: outcome.status, facts: outcome.facts, delta: outcome.delta.toFixed() }),
          (error: unknown) => context.logger.error('catalog re-pricing sweep failed; it resumes at the next start', { error: (error as Error).message }),
        )
      : Promise.resolve();
    return {
      workers: [catalog, usagePricing, repricer],
      stops: [
        {
          name: 'catalog re-pricing sweep: finish the page in hand',
          stop: () => {
            stopping = true;
            return sweep;
          },
        },
      ],
    };
  },
};
