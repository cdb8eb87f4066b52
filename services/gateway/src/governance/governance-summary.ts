import { formatDecimal, parseDecimal, sum } from '@agentledger/money';
import type { AgentActivityView, AgentView } from '@agentledger/contracts';

/** Agents that share one governance concern, the most expensive in the window first. */
export interface AgentGroupView {
  count: number;
  /** Their cost in the window, together. */
  totalCost: string;
  agents: AgentView[];
}

export interface GovernanceView {
  from: string;
  to: string;
  /** Seen only in traffic: nobody registered them (shadow AI). */
  unregistered: AgentGroupView;
  /** No owner registered, whether registered or not. */
  unowned: AgentGroupView;
  /** IDLE now (nothing within the idle threshold) yet with cost in the window: seats paid while nothing runs. */
  idleWithCost: AgentGroupView;
  /** Retired, yet sending events after their retirement. */
  retiredStillSending: AgentGroupView;
}

const isBlank = (value: string | null) => value === null || value.trim() === '';

/**
 * The governance summary of an inventory over a window, from each agent's activity in it
 * (an agent missing from `activity` did nothing in the window).
 */
export function governanceSummary(window: { from: string; to: string }, agents: readonly AgentView[], activity: ReadonlyMap<string, AgentActivityView>): GovernanceView {
  const costOf = (agent: AgentView) => parseDecimal(activity.get(agent.id)?.totalCost ?? '0');
  const group = (member: (agent: AgentView) => boolean): AgentGroupView => {
    const members = agents
      .filter(member)
      .map((agent) => ({ agent, cost: costOf(agent) }))
      .sort((a, b) => b.cost.comparedTo(a.cost) || (a.agent.id < b.agent.id ? -1 : a.agent.id > b.agent.id ? 1 : 0));
    return { count: members.length, totalCost: formatDecimal(sum(members.map((m) => m.cost))), agents: members.map((m) => m.agent) };
  };
  return {
    from: window.from,
    to: window.to,
    unregistered: group((agent) => !agent.registered),
    unowned: group((agent) => isBlank(agent.owner)),
    idleWithCost: group((agent) => agent.status === 'IDLE' && costOf(agent).gt(0)),
    retiredStillSending: group((agent) => agent.status === 'RETIRED' && agent.activeAfterRetirement),
  };
}
