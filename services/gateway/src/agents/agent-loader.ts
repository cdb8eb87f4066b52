import DataLoader from 'dataloader';
import { agentsQuery } from '@agentledger/contracts';
import type { Caller } from '../auth/api-keys.js';
import type { ServiceQueries } from '../service-queries.js';
import type { Agent } from './agent.types.js';

// One loader per request (keyed by its context object): a page of 50 runs asks the inventory once.
const loaders = new WeakMap<object, DataLoader<string, Agent | null>>();

/** Inventory agents by id, batched per request; an id the inventory does not know is null. */
export function agentLoader(requestContext: object, caller: Caller, services: ServiceQueries): DataLoader<string, Agent | null> {
  let loader = loaders.get(requestContext);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const agents = await services.ask(caller, agentsQuery, { filter: null });
      const byId = new Map(agents.map((agent) => [agent.id, agent]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    loaders.set(requestContext, loader);
  }
  return loader;
}
