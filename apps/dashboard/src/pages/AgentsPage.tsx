import { useQuery } from '../api/use-query';
import { DataTable } from '../components/DataTable';
import { Money } from '../components/Money';
import { Section } from '../components/Section';
import { SelectField } from '../components/SelectField';
import { Loaded } from '../components/States';
import { compareDecimal } from '../decimal';
import { usePageWindow } from '../page-window';
import { keepWindow, Link, navigate, setParams } from '../router';
import { useIsAdmin } from '../session';
import { formatInstant } from '../time-window';
import { flagsOf } from './agents/governance-flags';
import { GovernancePanel } from './agents/GovernancePanel';
import { RegisterAgentForm } from './agents/RegisterAgentForm';

const AGENTS = `query Agents($from: DateTime!, $to: DateTime!, $filter: AgentFilter) {
  agents(filter: $filter) { id name team owner platform vendor lifecycle status registered activeAfterRetirement lastSeen
    cost(from: $from, to: $to) calls(from: $from, to: $to) successfulOutcomes(from: $from, to: $to) }
}`;

export interface InventoryAgent {
  readonly id: string;
  readonly name: string | null;
  readonly team: string | null;
  readonly owner: string | null;
  readonly platform: string | null;
  readonly vendor: string | null;
  readonly lifecycle: string | null;
  readonly status: string;
  readonly registered: boolean;
  readonly activeAfterRetirement: boolean;
  readonly lastSeen: string | null;
  readonly cost: string;
  readonly calls: number;
  readonly successfulOutcomes: string;
}

/** Filters of the inventory, each a URL parameter. */
const FILTERS = [
  { name: 'status', label: 'Status', options: ['ACTIVE', 'IDLE', 'RETIRED'] },
  { name: 'platform', label: 'Platform', options: ['internal', 'saas'] },
  { name: 'lifecycle', label: 'Lifecycle', options: ['experiment', 'staging', 'production', 'retired'] },
  { name: 'registered', label: 'Registered', options: ['true', 'false'] },
] as const;

function filterOf(params: URLSearchParams): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const { name } of FILTERS) {
    const value = params.get(name);
    if (value) filter[name] = name === 'registered' ? value === 'true' : value;
  }
  const team = params.get('team');
  if (team) filter.team = team;
  return filter;
}

export function AgentsPage() {
  const { window, zone, params } = usePageWindow();
  const result = useQuery<{ agents: InventoryAgent[] }>(AGENTS, { ...window, filter: filterOf(params) });
  const isAdmin = useIsAdmin();
  return (
    <>
      <h1>Agents</h1>
      <GovernancePanel />
      <Section title="Inventory" question="Which agents are there, who owns them, what do they cost and deliver?" testId="inventory">
        <div className="controls">
          {FILTERS.map((filter) => (
            <SelectField key={filter.name} label={filter.label} name={filter.name} value={params.get(filter.name) ?? ''} choices={[{ value: '', label: 'any' }, ...filter.options]} onChange={(value) => setParams({ [filter.name]: value }, true)} />
          ))}
          <label>
            Team <input name="team" value={params.get('team') ?? ''} onChange={(event) => setParams({ team: event.target.value }, true)} placeholder="any" />
          </label>
        </div>
        <Loaded result={result} what="agents" isEmpty={(data) => data.agents.length === 0} empty="No agent matches these filters.">
          {(data) => (
            <DataTable
              caption="Agents (cost, calls and successful outcomes in the window); Enter opens one"
              testId="agents-table"
              rows={data.agents}
              rowKey={(agent) => agent.id}
              onOpen={(agent) => navigate(keepWindow(`/agents/${encodeURIComponent(agent.id)}`))}
              columns={[
                { header: 'Agent', cell: (agent) => <Link to={`/agents/${encodeURIComponent(agent.id)}`}>{agent.name ? `${agent.name} (${agent.id})` : agent.id}</Link>, compare: (a, b) => a.id.localeCompare(b.id) },
                { header: 'Status', cell: (agent) => agent.status, compare: (a, b) => a.status.localeCompare(b.status) },
                { header: 'Owner', cell: (agent) => agent.owner ?? '—' },
                { header: 'Team', cell: (agent) => agent.team ?? '—' },
                { header: 'Platform', cell: (agent) => `${agent.platform ?? '—'}${agent.vendor ? ` (${agent.vendor})` : ''}` },
                { header: 'Lifecycle', cell: (agent) => agent.lifecycle ?? '—' },
                { header: 'Cost', numeric: true, cell: (agent) => <Money value={agent.cost} />, compare: (a, b) => compareDecimal(a.cost, b.cost) },
                { header: 'Calls', numeric: true, cell: (agent) => agent.calls, compare: (a, b) => a.calls - b.calls },
                { header: 'Successful outcomes', numeric: true, cell: (agent) => agent.successfulOutcomes, compare: (a, b) => compareDecimal(a.successfulOutcomes, b.successfulOutcomes) },
                { header: 'Last seen', cell: (agent) => formatInstant(agent.lastSeen, zone) },
                { header: 'Governance', cell: (agent) => flagsOf(agent).map((flag) => <span key={flag} className="badge flag">{flag}</span>) },
              ]}
            />
          )}
        </Loaded>
      </Section>
      {isAdmin && (
        <Section title="Register an agent" question="Give an agent seen only in traffic its owner, team and lifecycle, or list one before it runs." testId="register-agent">
          <RegisterAgentForm onSaved={result.reload} />
        </Section>
      )}
    </>
  );
}
