import { QueryClient, type ServiceDefinition } from '@agentledger/service-kit';
import { AlertFeed } from './alerts/alert-feed.js';
import { ApiKeyStore } from './auth/api-key-store.js';
import { checkGatewayConfig, gatewayConfig, gatewaySettings } from './gateway.config.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { FocusExportModule } from './export/focus-export.module.js';
import { GraphQLApiModule } from './graphql/graphql-api.module.js';
import { graphiqlLandingPage } from './graphiql/graphiql-landing-page.js';
import { GraphiQLModule } from './graphiql/graphiql.module.js';
import { LiveSpend } from './live/live-spend.js';
import { ServiceQueries } from './service-queries.js';

/** The composition root of the gateway: GraphQL in front of the services' query bus. */
export const gatewayService: ServiceDefinition<undefined, typeof gatewayConfig> = {
  name: 'gateway',
  portVariable: 'GATEWAY_PORT',
  defaultPort: 4000,
  config: gatewayConfig,
  checkConfig: checkGatewayConfig,
  consumers: [],
  async compose(context) {
    const config = gatewaySettings(context.config);
    const apiKeys = await ApiKeyStore.open(config.apiKeys, config.apiKeysFile, context.logger);
    if (config.usingDevelopmentKeys) {
      context.logger.warn('AGENTLEDGER_API_KEYS is not set: the development keys of the contract are accepted');
    }
    const services = new ServiceQueries(new QueryClient(context.nc, context.ns, config.queryTimeoutMs), context.logger);
    // service-kit's "nats" check sees a closed connection; this one also catches a stalled one.
    context.readiness.register('nats-round-trip', async () => void (await context.nc.rtt()));
    context.logger.info('api keys loaded', { keys: apiKeys.size, limits: config.limits });
    const live = new LiveSpend(context.nc, context.ns, context.logger);
    live.start();
    // A worker: service-kit starts it once the server listens, stops it first, and counts it in readiness.
    const alerts = new AlertFeed(context.js, context.jsm, context.ns, context.logger);
    return {
      workers: [alerts],
      modules: [
        GraphQLApiModule.forRoot({ apiKeys, limits: config.limits, services, live, alerts, logger: context.logger, landingPage: graphiqlLandingPage({ endpoint: '/graphql', apiKey: config.graphiqlApiKey }) }),
        await GraphiQLModule.forRoot(),
        FocusExportModule.forRoot({ apiKeys, services, logger: context.logger }),
        DashboardModule.forRoot(),
      ],
      stops: [
        { name: 'api key file watch', stop: async () => apiKeys.stop() },
        { name: 'live spend', stop: async () => live.stop() },
      ],
    };
  },
};
