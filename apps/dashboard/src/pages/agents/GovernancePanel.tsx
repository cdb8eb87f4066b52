import { useQuery } from '../../api/use-query';
import { Money } from '../../components/Money';
import { Section } from '../../components/Section';
import { Loaded } from '../../components/States';
import { usePageWindow } from '../../page-window';
import { Link } from '../../router';

const GROUP = 'count totalCost agents { id }';
const GOVERNANCE = `query Governance($from: DateTime!, $to: DateTime!) {
  governance(from: $from, to: $to) { unregistered { ${GROUP} } unowned { ${GROUP} } idleWithCost { ${GROUP} } retiredStillSending { ${GROUP} } }
  agentOverlaps { workflow agents teams }
}`;

interface AgentGroup {
  readonly count: number;
  readonly totalCost: string;
  readonly agents: ReadonlyArray<{ readonly id: string }>;
}

const CONCERNS = [
  ['unregistered', 'Unregistered (seen only in traffic)'],
  ['unowned', 'Without an owner'],
  ['idleWithCost', 'Idle, yet costing'],
  ['retiredStillSending', 'Retired, still sending'],
] as const;

type Governance = Record<(typeof CONCERNS)[number][0], AgentGroup>;

/** The governance flags of the inventory: counts and cost in the window, and overlapping workflows. */
export function GovernancePanel() {
  const { window } = usePageWindow();
  const result = useQuery<{ governance: Governance; agentOverlaps: Array<{ workflow: string; agents: string[]; teams: string[] }> }>(GOVERNANCE, window);
  return (
    <Section title="Governance" question="Which agents are unregistered, unowned, idle yet costly, or retired yet running?" testId="governance">
      <Loaded result={result} what="governance flags">
        {(data) => (
          <>
            <div className="cards">
              {CONCERNS.map(([name, label]) => (
                <div className="card" key={name} data-testid={`governance-${name}`}>
                  <div className="card-label">{label}</div>
                  <div className="card-value">
                    {data.governance[name].count} · <Money value={data.governance[name].totalCost} />
                  </div>
                  <div className="card-change">
                    {data.governance[name].agents.map((agent) => (
                      <Link key={agent.id} to={`/agents/${encodeURIComponent(agent.id)}`} className="chip">
                        {agent.id}
                      </Link>
                    ))}
                  </div>
                </div>
              ))}
            </div>
            {data.agentOverlaps.length > 0 && (
              <ul className="overlaps">
                {data.agentOverlaps.map((overlap) => (
                  <li key={overlap.workflow}>
                    Workflow <strong>{overlap.workflow}</strong> is served by {overlap.agents.join(', ')} (teams {overlap.teams.join(', ') || '—'})
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </Loaded>
    </Section>
  );
}
