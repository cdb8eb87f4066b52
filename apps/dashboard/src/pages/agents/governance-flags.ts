import { compareDecimal } from '../../decimal';

export interface FlaggedAgent {
  readonly registered: boolean;
  readonly owner: string | null;
  readonly activeAfterRetirement: boolean;
  readonly status: string;
  /** Its cost in the window shown. */
  readonly cost: string;
}

/** What governance asks about one agent, in words: the same concerns as the governance query's groups. */
export function flagsOf(agent: FlaggedAgent): string[] {
  return [
    ...(agent.registered ? [] : ['unregistered']),
    ...(agent.owner ? [] : ['no owner']),
    ...(agent.activeAfterRetirement ? ['retired, still sending'] : []),
    ...(agent.status === 'IDLE' && compareDecimal(agent.cost, '0') > 0 ? ['idle, still costs'] : []),
  ];
}
