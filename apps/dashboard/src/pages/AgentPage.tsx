import { useQuery } from '../api/use-query';
import { Money } from '../components/Money';
import { Section } from '../components/Section';
import { SpendChart, type SpendPoint } from '../components/SpendChart';
import { Loaded } from '../components/States';
import { usePageWindow } from '../page-window';
import { Link } from '../router';
import { bucketOf, formatInstant } from '../time-window';
import { type InventoryAgent } from './AgentsPage';
import { flagsOf } from './agents/governance-flags';
import { OutcomeEconomicsTable } from './overview/OutcomeEconomicsTable';
import { RunsTable } from './runs/RunsTable';

const AGENT = `query Agent($id: String!, $from: DateTime!, $to: DateTime!, $bucket: TimeBucket!, $filter: CostFilter!) {
  agent(id: $id) { id name team owner platform vendor lifecycle status registered activeAfterRetirement description workflows models tools firstSeen lastSeen
    cost(from: $from, to: $to) calls(from: $from, to: $to) successfulOutcomes(from: $from, to: $to) }
  spendOverTime(from: $from, to: $to, bucket: $bucket, by: MODEL, filter: $filter) { bucketStart key totalCost }
}`;

interface AgentDetail extends InventoryAgent {
  readonly description: string | null;
  readonly workflows: string[];
  readonly models: string[];
  readonly tools: string[];
  readonly firstSeen: string | null;
}

/** One agent: who owns it, its spend over time by model, its runs and outcomes, its models and tools. */
export function AgentPage({ agentId }: { agentId: string }) {
  const { window, zone, params } = usePageWindow();
  const bucket = bucketOf(params, window);
  const result = useQuery<{ agent: AgentDetail | null; spendOverTime: SpendPoint[] }>(AGENT, { id: agentId, ...window, bucket, filter: { agentId } });
  return (
    <>
      <p>
        <Link to="/agents">← All agents</Link>
      </p>
      <h1>Agent {agentId}</h1>
      <Loaded result={result} what={`agent ${agentId}`} isEmpty={(data) => data.agent === null} empty={`The inventory has no agent ${agentId}.`}>
        {({ agent, spendOverTime }) => (
          <>
            <Section title="Profile" testId="agent-profile">
              <dl className="facts">
                <dt>Name</dt>
                <dd>{agent!.name ?? '—'}</dd>
                <dt>Status</dt>
                <dd>{agent!.status}</dd>
                <dt>Owner</dt>
                <dd>{agent!.owner ?? '—'}</dd>
                <dt>Team</dt>
                <dd>{agent!.team ?? '—'}</dd>
                <dt>Platform</dt>
                <dd>{agent!.platform ?? '—'}{agent!.vendor ? ` (${agent!.vendor})` : ''}</dd>
                <dt>Lifecycle</dt>
                <dd>{agent!.lifecycle ?? '—'}</dd>
                <dt>Cost in the window</dt>
                <dd data-testid="agent-cost"><Money value={agent!.cost} /></dd>
                <dt>Calls in the window</dt>
                <dd>{agent!.calls}</dd>
                <dt>Successful outcomes</dt>
                <dd>{agent!.successfulOutcomes}</dd>
                <dt>Seen</dt>
                <dd>{formatInstant(agent!.firstSeen, zone)} – {formatInstant(agent!.lastSeen, zone)}</dd>
                <dt>Workflows</dt>
                <dd>{agent!.workflows.join(', ') || '—'}</dd>
                <dt>Models</dt>
                <dd data-testid="agent-models">{agent!.models.join(', ') || '—'}</dd>
                <dt>Tools</dt>
                <dd data-testid="agent-tools">{agent!.tools.join(', ') || '—'}</dd>
                <dt>Governance</dt>
                <dd>{flagsOf(agent!).join(', ') || 'nothing to flag'}</dd>
              </dl>
              {agent!.description && <p>{agent!.description}</p>}
            </Section>
            <Section title="Spend over time, by model" testId="agent-spend">
              {spendOverTime.length === 0 ? <p className="state empty">No spend in this window.</p> : <SpendChart points={spendOverTime} title={`Spend of ${agentId} per ${bucket.toLowerCase()} by model (USD)`} zone={zone} window={window} bucket={bucket} />}
            </Section>
          </>
        )}
      </Loaded>
      <Section title="Runs" testId="agent-runs">
        <RunsTable filter={{ agentId }} />
      </Section>
      <OutcomeEconomicsTable by="AGENT" agentId={agentId} />
    </>
  );
}
