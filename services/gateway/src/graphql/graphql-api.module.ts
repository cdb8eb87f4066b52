import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '@agentledger/observability';
import { AlertFeed } from '../alerts/alert-feed.js';
import { AdminOnly } from '../auth/admin-only.guard.js';
import type { KeyAuthenticator } from '../auth/api-keys.js';
import { authenticationPlugin } from '../auth/authentication.plugin.js';
import { createGatewayContext } from '../auth/gateway-context.js';
import { LiveSpend } from '../live/live-spend.js';
import { subscriptionOptions } from '../live/subscription-server.js';
import { ServiceQueries } from '../service-queries.js';
import { createFormatError } from './errors.js';
import { queryLimitsRule, type QueryLimits } from './query-limits.js';
import { RESOLVERS } from './schema.js';

export interface GraphQLApiOptions {
  readonly apiKeys: KeyAuthenticator;
  readonly limits: QueryLimits;
  readonly services: ServiceQueries;
  readonly live: LiveSpend;
  readonly alerts: AlertFeed;
  readonly logger: Logger;
  /** What a browser opening `/graphql` sees (GraphiQL); without it, Apollo shows none. */
  readonly landingPage?: ApolloServerPlugin;
}

/** `POST /graphql`: the public API, code first, over the services' query bus. */
@Module({})
export class GraphQLApiModule {
  static forRoot(options: GraphQLApiOptions): DynamicModule {
    let schema: GraphQLSchema | undefined;
    return {
      module: GraphQLApiModule,
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          introspection: true,
          graphiql: false,
          includeStacktraceInErrorResponses: false,
          context: createGatewayContext(options.apiKeys),
          plugins: [authenticationPlugin(), ...(options.landingPage ? [options.landingPage] : [])],
          validationRules: [queryLimitsRule(options.limits)],
          formatError: createFormatError(options.logger),
          subscriptions: subscriptionOptions(options.apiKeys, options.limits, () => schema),
          transformSchema: (built: GraphQLSchema) => (schema = built),
        }),
      ],
      providers: [{ provide: ServiceQueries, useValue: options.services }, { provide: LiveSpend, useValue: options.live }, { provide: AlertFeed, useValue: options.alerts }, AdminOnly, ...RESOLVERS],
    };
  }
}
