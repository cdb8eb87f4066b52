import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { gatewayError } from '../graphql/errors.js';
import { authenticate, type Authentication, type Caller, type KeyAuthenticator } from './api-keys.js';

/** What every resolver sees of the request: who is calling, decided once from the API key. */
export interface GatewayContext {
  readonly authentication: Authentication;
}

/** What the context function is given: Apollo's HTTP request, or graphql-ws's connection. */
export type ContextSource =
  | { readonly req: { readonly headers: Record<string, string | string[] | undefined> } }
  | { readonly connectionParams?: Readonly<Record<string, unknown>> };

/** The `authorization` a client sent: the HTTP header, or graphql-ws's connection params `{ authorization: "Bearer <key>" }`. */
export function authorizationOf(source: ContextSource): string | undefined {
  if ('req' in source && source.req) {
    const header = source.req.headers.authorization;
    return Array.isArray(header) ? header[0] : header;
  }
  const params = 'connectionParams' in source ? source.connectionParams : undefined;
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/** The context function of both transports: authenticates the caller's API key once per operation. */
export function createGatewayContext(ring: KeyAuthenticator) {
  return async (source: ContextSource): Promise<GatewayContext> => ({ authentication: authenticate(ring, authorizationOf(source)) });
}

/** What an anonymous caller is told, per failure: GraphQL's UNAUTHENTICATED and the export's 401 alike. */
export const FAILURE_MESSAGES = {
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
