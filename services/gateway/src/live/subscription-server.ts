import { parse, specifiedRules, validate, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { KeyAuthenticator } from '../auth/api-keys.js';
import { authenticate } from '../auth/api-keys.js';
import { authorizationOf } from '../auth/gateway-context.js';
import { queryLimitsRule, type QueryLimits } from '../graphql/query-limits.js';

interface ConnectionContext {
  readonly connectionParams?: Readonly<Record<string, unknown>>;
}

/**
 * graphql-ws on the gateway's HTTP server at /graphql: a connection without a valid key is
 * closed at `connection_init` (4403), and every operation meets the depth and field limits of
 * HTTP before it runs.
 */
export function subscriptionOptions(ring: KeyAuthenticator, limits: QueryLimits, schemaOf: () => GraphQLSchema | undefined) {
  return {
    'graphql-ws': {
      path: '/graphql',
      connectionInitWaitTimeout: 10_000,
      onConnect: (context: ConnectionContext) => 'caller' in authenticate(ring, authorizationOf(context)),
      onSubscribe: (_context: ConnectionContext, _id: string, payload: { query: string }): readonly GraphQLError[] | void => {
        const schema = schemaOf();
        if (!schema) return;
        let errors: readonly GraphQLError[];
        try {
          errors = validate(schema, parse(payload.query), [...specifiedRules, queryLimitsRule(limits)]);
        } catch (error) {
          return [error as GraphQLError];
        }
        return errors.length > 0 ? errors : undefined;
      },
    },
  };
}
