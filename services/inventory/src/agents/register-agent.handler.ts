import type { AgentView, ArgsOf, registerAgentCommand } from '@agentledger/contracts';
import { handleCommand, type AggregateStore } from '@agentledger/event-sourcing';
import type { Namespace } from '@agentledger/jetstream';
import { applyOnce, type TransactionalDb } from '@agentledger/projections';
import { answeringRejections, type OutboxFlush, type QueryRequest } from '@agentledger/service-kit';
import type { Tx } from '../db.js';
import type { AgentEvent } from './agent.js';
import { agentSubject } from './agent-wire.js';
import { findAgent, type InventoryQueryDeps } from './agents.query.js';
import { agentDecider } from './decider.js';
import { applyAgentEvents, REGISTRATIONS_PROJECTION, registrationKeyOf } from './registrations.projection.js';

export interface RegisterAgentDeps extends InventoryQueryDeps {
  /** The agent aggregates (FINOPS_AGENTS, one subject per tenant and agent). */
  readonly store: AggregateStore<AgentEvent>;
  readonly ns: Namespace;
  readonly newId?: () => string;
  /** Publishes the lifecycle events the registration staged; without it they wait for the relay's poll. */
  readonly outbox?: OutboxFlush;
}

/**
 * `registerAgent`: the registration appended to the agent's subject (optimistic concurrency,
 * one command path), then applied to the read model at once under the key its consumer uses, so
 * the answer and the next `agent(id)` show it and the consumer skips it.
 */
export async function handleRegisterAgent(deps: RegisterAgentDeps, request: QueryRequest<ArgsOf<typeof registerAgentCommand>>): Promise<AgentView> {
  const { id: agentId, ...input } = request.args;
  return answeringRejections(async () => {
    const { events } = await handleCommand(
      deps.store,
      agentDecider,
      agentSubject(deps.ns, request.tenant, agentId),
      { type: 'RegisterAgent', data: { tenant: request.tenant, agentId, input }, metadata: { actor: request.actor ?? 'unknown', now: deps.clock() } },
      deps.newId ? { newId: deps.newId } : {},
    );
    const keyed = events.map((recorded) => ({ key: registrationKeyOf(recorded.id), event: { id: recorded.id, event: recorded.event } }));
    const applied = await applyOnce(deps.db as unknown as TransactionalDb<Tx>, REGISTRATIONS_PROJECTION, keyed, (tx, fresh) => applyAgentEvents(tx, deps.ns, fresh));
    if (applied.applied > 0) await deps.outbox?.flush();
    const agent = await findAgent(deps, request.tenant, agentId);
    if (agent === null) throw new Error(`agent ${agentId} is missing after registerAgent`);
    return agent;
  });
}
