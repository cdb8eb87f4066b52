import type { ArgsInputOf, Contract, ResultOf } from '@agentledger/contracts';
import { QueryError, type QueryClient } from '@agentledger/service-kit';
import type { Logger } from '@agentledger/observability';
import type { Caller } from './auth/api-keys.js';
import { fromQueryError } from './graphql/errors.js';

/** A contract's arguments, optional when it takes none. */
type ArgsParameter<C extends Contract> = Record<string, never> extends ArgsInputOf<C> ? [args?: ArgsInputOf<C>] : [args: ArgsInputOf<C>];

/**
 * The resolvers' one port to the services: asks a query or a command by its contract over the
 * NATS bus, in the caller's tenant (never one the client names), and turns a service's failure
 * into the GraphQL error to show.
 */
export class ServiceQueries {
  constructor(
    private readonly client: Pick<QueryClient, 'ask'>,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  async ask<C extends Contract>(caller: Caller, contract: C, ...[args]: ArgsParameter<C>): Promise<ResultOf<C>> {
    try {
      return await this.client.ask(contract, { tenant: caller.tenant, args: (args ?? {}) as ArgsInputOf<C>, actor: caller.keyId });
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      if (error.code === 'UNAVAILABLE' || error.code === 'INTERNAL') {
        this.logger.warn('service query failed', { query: `${contract.service}.${contract.name}`, code: error.code, reason: error.message });
      }
      throw fromQueryError(contract.service, contract.name, error);
    }
  }
}
