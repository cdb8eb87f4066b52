import type { AgentRegistrationFields, ArgsOf, registerAgentCommand } from '@agentledger/contracts';
import { CommandRejected, type Decider } from '@agentledger/event-sourcing';
import { evolve, initialAgentState, LIFECYCLES, PLATFORMS, type AgentEvent, type AgentState } from './agent.js';

/** `registerAgent`'s input as the contract checked it (shapes, not rules). */
export type AgentInputArgs = ArgsOf<typeof registerAgentCommand>;

export interface RegisterAgent {
  readonly type: 'RegisterAgent';
  readonly data: { readonly tenant: string; readonly agentId: string; readonly input: Omit<AgentInputArgs, 'id'> };
  readonly metadata: { readonly actor: string; readonly now: Date };
}

export type AgentCommand = RegisterAgent;

const invalid = (message: string) => new CommandRejected(message, 'invalid');

const oneOf = <T extends string>(field: string, value: string, allowed: readonly T[]): T => {
  const normalised = value.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(normalised)) throw invalid(`${field}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  return normalised as T;
};

/** A text field given: trimmed; empty or absent means "not given" (as in an `agent.registered` event). */
const given = (value: string | null | undefined): string | undefined => value?.trim() || undefined;

/** The fields an input gives, checked: platform and lifecycle from their lists, workflows distinct and sorted; throws naming the field. */
export function registrationFieldsOf(input: Omit<AgentInputArgs, 'id'>): AgentRegistrationFields {
  const fields: AgentRegistrationFields = {};
  const name = given(input.name);
  const team = given(input.team);
  const owner = given(input.owner);
  const vendor = given(input.vendor);
  const description = given(input.description);
  if (name !== undefined) fields.name = name;
  if (team !== undefined) fields.team = team;
  if (owner !== undefined) fields.owner = owner;
  if (given(input.platform) !== undefined) fields.platform = oneOf('platform', input.platform!, PLATFORMS);
  if (vendor !== undefined) fields.vendor = vendor;
  if (input.workflows !== undefined && input.workflows !== null && input.workflows.length > 0) {
    const workflows = input.workflows.map((workflow) => workflow.trim());
    if (workflows.some((workflow) => workflow === '')) throw invalid('workflows: a workflow name cannot be blank');
    fields.workflows = [...new Set(workflows)].sort();
  }
  if (description !== undefined) fields.description = description;
  if (given(input.lifecycle) !== undefined) fields.lifecycle = oneOf('lifecycle', input.lifecycle!, LIFECYCLES);
  return fields;
}

/**
 * Every valid registration is recorded (what an `agent.registered` event said since may be
 * overridden by it), at the command's time — or just after the aggregate's latest registration,
 * so on one agent's subject event time follows the stream even across replicas' clocks.
 */
export function decide(command: AgentCommand, state: AgentState): AgentEvent[] {
  switch (command.type) {
    case 'RegisterAgent': {
      const fields = registrationFieldsOf(command.data.input);
      const { now } = command.metadata;
      const at = state.latestAt !== null && state.latestAt >= now ? new Date(state.latestAt.getTime() + 1) : now;
      return [{ type: 'AgentRegistered', data: { tenant: command.data.tenant, agentId: command.data.agentId, fields }, metadata: { by: command.metadata.actor, at } }];
    }
    default: {
      const unexpected: never = command.type;
      throw new Error(`unknown agent command ${JSON.stringify(unexpected)}`);
    }
  }
}

export const agentDecider: Decider<AgentCommand, AgentEvent, AgentState> = { initialState: initialAgentState, evolve, decide };
