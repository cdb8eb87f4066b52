import { z } from 'zod';
import { windowArgs } from './args.js';
import type { AlertView } from './budgeting.api.js';
import { defineCommand, defineQuery, returns } from './contract.js';

/** An agent as CONTRACT part D shows it: what was registered, what its traffic shows, and its status now. */
export interface AgentView {
  id: string;
  name: string | null;
  team: string | null;
  owner: string | null;
  /** `internal` or `saas`: as registered, else `saas` when it reported `saas.usage`, else `internal`. */
  platform: string | null;
  vendor: string | null;
  /** experiment, staging, production or retired (as registered). */
  lifecycle: string | null;
  description: string | null;
  /** From registrations and events, distinct and sorted. */
  workflows: string[];
  /** False for an agent seen only in traffic. */
  registered: boolean;
  /** RETIRED, ACTIVE (seen within the idle threshold of now) or IDLE; evaluated when asked. */
  status: 'ACTIVE' | 'IDLE' | 'RETIRED';
  /** Earliest and latest event time of its activity (registrations are not activity). */
  firstSeen: string | null;
  lastSeen: string | null;
  models: string[];
  tools: string[];
  /** Event time of the registration that retired it; null unless retired. */
  retiredAt: string | null;
  /** Activity after `retiredAt`: a retired agent still sending events. */
  activeAfterRetirement: boolean;
}

const service = 'inventory';

const text = z.string().max(500).nullish();

export const agentFilterSchema = z
  .object({
    status: z.enum(['ACTIVE', 'IDLE', 'RETIRED']).nullish(),
    platform: text,
    team: text,
    lifecycle: text,
    registered: z.boolean().nullish(),
  })
  .nullish();

/** The tenant's agents matching the filter (all of them without one), most recently active first. */
export const agentsQuery = defineQuery({ service, name: 'agents', args: z.object({ filter: agentFilterSchema }), result: returns<AgentView[]>() });

export const agentQuery = defineQuery({ service, name: 'agent', args: z.object({ id: z.string().min(1).max(200) }), result: returns<AgentView | null>() });

/** A workflow that more than one agent serves (in events or registrations), with those agents and their teams, sorted. */
export interface AgentOverlapView {
  workflow: string;
  agents: string[];
  teams: string[];
}

export const agentOverlapsQuery = defineQuery({ service, name: 'agentOverlaps', args: z.object({}), result: returns<AgentOverlapView[]>() });

/** Shapes only: the agent's decider names every rule a value breaks (platform, lifecycle). */
export const agentInputSchema = z.object({
  id: z.string().min(1).max(200),
  name: text,
  team: text,
  owner: text,
  platform: text,
  vendor: text,
  workflows: z.array(z.string().min(1).max(200)).max(100).nullish(),
  description: z.string().max(2000).nullish(),
  lifecycle: text,
});

/** Same effect as an `agent.registered` event: the fields given override, the others stay. */
export const registerAgentCommand = defineCommand({ service, name: 'registerAgent', args: agentInputSchema, result: returns<AgentView>() });

/** The inventory's alerts (`AGENT_DISCOVERED`) raised in [from, to), by `at`; the gateway lists them with budgeting's. */
export const inventoryAlertsQuery = defineQuery({ service, name: 'alerts', args: z.object(windowArgs), result: returns<AlertView[]>() });

/** What a registration gives (the fields it overrides); the others are absent. */
export interface AgentRegistrationFields {
  name?: string;
  team?: string;
  owner?: string;
  platform?: 'internal' | 'saas';
  vendor?: string;
  workflows?: string[];
  description?: string;
  lifecycle?: 'experiment' | 'staging' | 'production' | 'retired';
}

/**
 * The inventory's lifecycle events, CloudEvents in structured JSON on FINOPS_AGENTS,
 * subject `finops.agents.<tenant>.lifecycle.<kind>`, each published once.
 */
export const AGENT_LIFECYCLE_TYPES = { discovered: 'agent.discovered', registered: 'agent.registered', retired: 'agent.retired' } as const;

/** An agent's first activity while nobody had registered it (shadow AI). */
export interface AgentDiscoveredData {
  agentId: string;
  team: string | null;
  /** Event time of its first activity. */
  firstSeen: string;
}

/** A registration applied (`registerAgent` or an `agent.registered` event): the fields it gave. */
export interface AgentRegisteredData {
  agentId: string;
  /** Its event time. */
  registeredAt: string;
  /** `command` (registerAgent, `actor` set) or `event` (agent.registered through ingestion). */
  origin: 'command' | 'event';
  actor: string | null;
  fields: AgentRegistrationFields;
}

/** A registration that set lifecycle `retired` and is the agent's latest word on it. */
export interface AgentRetiredData {
  agentId: string;
  retiredAt: string;
}
