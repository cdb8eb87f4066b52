import { QueryError, type QueryClient } from '@agentledger/service-kit';
import type { Logger } from '@agentledger/observability';
import type { Caller } from './auth/api-keys.js';
import { fromQueryError } from './graphql/errors.js';

/** The services the gateway asks, by their query-bus names. */
export type ServiceName = 'attribution' | 'pricing' | 'inventory' | 'budgeting' | 'ingestion';

/**
 * The resolvers' one port to the services: asks over the NATS query bus in the caller's tenant
 * (never one the client names) and turns a service's failure into the GraphQL error to show.
 */
export class ServiceQueries {
  constructor(
    private readonly client: Pick<QueryClient, 'ask'>,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  async ask<T>(caller: Caller, service: ServiceName, query: string, args: object = {}): Promise<T> {
    try {
      return await this.client.ask<T>(service, query, { tenant: caller.tenant, args, actor: caller.keyId });
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      if (error.code === 'UNAVAILABLE' || error.code === 'INTERNAL') {
        this.logger.warn('service query failed', { query: `${service}.${query}`, code: error.code, reason: error.message });
      }
      throw fromQueryError(service, query, error);
    }
  }
}
