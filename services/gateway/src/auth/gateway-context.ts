import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { gatewayError } from '../graphql/errors.js';
import { authenticate, type Authentication, type Caller, type KeyAuthenticator } from './api-keys.js';

/** What every resolver sees of the request: who is calling, decided once from the API key. */
export interface GatewayContext {
  readonly authentication: Authentication;
}

/** Apollo's context function: authenticates the `Authorization` header of the HTTP request. */
export function createGatewayContext(ring: KeyAuthenticator) {
  return async ({ req }: { req: { headers: Record<string, string | string[] | undefined> } }): Promise<GatewayContext> => {
    const header = req.headers.authorization;
    return { authentication: authenticate(ring, Array.isArray(header) ? header[0] : header) };
  };
}

const FAILURE_MESSAGES = {
  missing: 'An API key is required: send "Authorization: Bearer <key>"',
  malformed: 'The Authorization header must read "Bearer <key>"',
  unknown: 'The API key is not valid',
} as const;

export function unauthenticated(failure: keyof typeof FAILURE_MESSAGES, extensions: Record<string, unknown> = {}) {
  return gatewayError('UNAUTHENTICATED', FAILURE_MESSAGES[failure], extensions);
}

/** The caller; the authentication plugin has already turned anonymous requests away. */
export function callerOf(context: GatewayContext): Caller {
  const { authentication } = context;
  if ('failure' in authentication) throw unauthenticated(authentication.failure);
  return authentication.caller;
}

/** Resolver parameter: `@CurrentCaller() caller: Caller`. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller =>
  callerOf(GqlExecutionContext.create(context).getContext<GatewayContext>()),
);
