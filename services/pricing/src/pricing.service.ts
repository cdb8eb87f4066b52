import { fileURLToPath } from 'node:url';
import { CONSUMERS } from '@agentledger/jetstream';
import { ProjectionRunner, type ServiceDefinition } from '@agentledger/service-kit';
import { PrismaClient } from './generated/prisma/client.js';
import { catalogProjection } from './catalog/catalog.projection.js';
import { usagePricingProjection } from './costing/usage-pricing.projection.js';
import { handleSetPrice } from './prices/set-price.handler.js';
import { listPrices } from './catalog/prices.query.js';

/** Version of the default catalog; tenant prices are versioned by their own events. */
export const CATALOG_VERSION = 'tenant-only@1';

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
  compose(context) {
    const projectionDeps = {
      js: context.js,
      jsm: context.jsm,
      ns: context.ns,
      db: context.db,
      service: context.service,
      deadLetters: context.deadLetters,
      logger: context.logger,
    };
    const catalog = new ProjectionRunner(
      { ...projectionDeps, hooks: context.metrics.consumerHooks(CONSUMERS.pricingCatalog.durable) },
      catalogProjection,
    );
    const usagePricing = new ProjectionRunner(
      { ...projectionDeps, hooks: context.metrics.consumerHooks(CONSUMERS.pricingFacts.durable) },
      usagePricingProjection({ ns: context.ns, publisher: context.publisher, catalogVersion: CATALOG_VERSION }),
    );
    context.queries
      .handle('setPrice', (request) =>
        handleSetPrice({ db: context.db, jsm: context.jsm, publisher: context.publisher, ns: context.ns, clock: () => new Date() }, request),
      )
      .handle('prices', (request) => listPrices(context.db, request.tenant));
    return { workers: [catalog, usagePricing] };
  },
};
