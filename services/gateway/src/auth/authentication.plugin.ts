import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { unauthenticated, type GatewayContext } from './gateway-context.js';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type', '__typename']);

/** An operation asking only about the schema, which is public (it is the contract). */
export function isIntrospectionOnly(operation: OperationDefinitionNode | undefined): boolean {
  return (
    operation?.operation === 'query' &&
    operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && INTROSPECTION_FIELDS.has(selection.name.value))
  );
}

/**
 * Turns away every operation without a valid API key before it runs: HTTP 401 and
 * `extensions.code = "UNAUTHENTICATED"`. Only introspection may be asked without a key.
 */
export function authenticationPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          const { authentication } = contextValue;
          if ('caller' in authentication) return;
          if (authentication.failure === 'missing' && isIntrospectionOnly(operation)) return;
          throw unauthenticated(authentication.failure, {
            http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) },
          });
        },
      };
    },
  };
}
