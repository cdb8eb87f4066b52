import DataLoader from 'dataloader';
import { agentActivityQuery, MAX_AGENT_ACTIVITY_IDS, type AgentActivityView } from '@agentledger/contracts';
import type { Caller } from '../auth/api-keys.js';
import type { ServiceQueries } from '../service-queries.js';
import type { TimeWindow } from '../time-window.js';

type ActivityLoader = DataLoader<string, AgentActivityView>;

// One loader per request and window (keyed by the request's context object): a list of agents
// asking cost, calls and successes in the same window asks attribution once.
const loaders = new WeakMap<object, Map<string, ActivityLoader>>();

/** What an agent with nothing in the window answers. */
export const noActivity = (agentId: string): AgentActivityView => ({
  agentId,
  totalCost: '0',
  llmCalls: 0,
  toolCalls: 0,
  successfulOutcomes: '0',
  evaluations: 0,
  passedEvaluations: 0,
  byEnvironment: [],
});

/** Each agent's activity in the window (attribution's `agentActivity`), batched per request and window. */
export function agentActivityLoader(requestContext: object, caller: Caller, services: ServiceQueries, window: TimeWindow): ActivityLoader {
  let byWindow = loaders.get(requestContext);
  if (!byWindow) {
    byWindow = new Map();
    loaders.set(requestContext, byWindow);
  }
  const key = `${window.from}/${window.to}`;
  let loader = byWindow.get(key);
  if (!loader) {
    loader = new DataLoader(
      async (agentIds: readonly string[]) => {
        const activity = await services.ask(caller, agentActivityQuery, { ...window, agentIds: [...agentIds] });
        const byId = new Map(activity.map((agent) => [agent.agentId, agent]));
        return agentIds.map((id) => byId.get(id) ?? noActivity(id));
      },
      { maxBatchSize: MAX_AGENT_ACTIVITY_IDS },
    );
    byWindow.set(key, loader);
  }
  return loader;
}
