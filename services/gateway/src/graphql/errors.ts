import { unwrapResolverError } from '@apollo/server/errors';
import type { QueryError } from '@agentledger/service-kit';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The `extensions.code` values a client of the gateway can see. */
export type GatewayErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SERVICE_UNAVAILABLE'
  /** A value the field's type cannot carry (an `Int` past 2^31 − 1); `extensions.use` names the field that can. */
  | 'OUT_OF_RANGE'
  | 'INTERNAL_SERVER_ERROR';

export function gatewayError(code: GatewayErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const badUserInput = (message: string): GraphQLError => gatewayError('BAD_USER_INPUT', message);

/**
 * A service's failure as the client sees it: its own words for input, missing and conflicting
 * things (services phrase those for users); a fixed, safe sentence for outages and bugs.
 */
export function fromQueryError(service: string, query: string, error: QueryError): GraphQLError {
  switch (error.code) {
    case 'BAD_USER_INPUT':
    case 'NOT_FOUND':
    case 'CONFLICT':
      return gatewayError(error.code, error.message);
    case 'UNAVAILABLE':
      return gatewayError('SERVICE_UNAVAILABLE', `The ${service} service is not available right now; try again shortly`);
    case 'INTERNAL':
      return gatewayError('INTERNAL_SERVER_ERROR', `The ${service} service failed to answer ${query}`);
    default: {
      const unknownCode: never = error.code;
      return gatewayError('INTERNAL_SERVER_ERROR', `The ${service} service failed with ${String(unknownCode)}`);
    }
  }
}

export interface ErrorLogger {
  error(msg: string, fields?: Record<string, unknown>): void;
}

const INTERNAL_MESSAGE = 'Internal server error';

/**
 * Apollo's `formatError`: errors we raised on purpose (any `GraphQLError`) go out as they are;
 * anything else is a bug whose message may hold internals, so it is logged and replaced. A scalar
 * that rejects a literal raises BAD_USER_INPUT, which Apollo reports as a validation failure:
 * the scalar's code is restored.
 */
export function createFormatError(logger: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (!(original instanceof GraphQLError)) {
      logger.error('unexpected error in a resolver', { path: formatted.path, error: (original as Error)?.stack ?? String(original) });
      return { message: INTERNAL_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    const cause = error instanceof GraphQLError ? error.originalError : undefined;
    if (cause instanceof GraphQLError && cause.extensions.code === 'BAD_USER_INPUT') {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    }
    return formatted;
  };
}
