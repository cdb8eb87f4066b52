import { Section } from '../components/Section';
import { setParams, useRoute } from '../router';
import { RunsTable } from './runs/RunsTable';

const FILTERS = [
  ['agentId', 'Agent'],
  ['team', 'Team'],
  ['workflow', 'Workflow'],
  ['model', 'Model'],
  ['environment', 'Environment'],
] as const;

export function RunsPage() {
  const { params } = useRoute();
  const filter = Object.fromEntries(FILTERS.map(([name]) => [name, params.get(name) ?? '']).filter(([, value]) => value !== ''));
  return (
    <>
      <h1>Runs</h1>
      <Section title="Runs" question="What did each run cost, and how did it end?" testId="runs">
        <div className="controls">
          {FILTERS.map(([name, label]) => (
            <label key={name}>
              {label} <input value={params.get(name) ?? ''} onChange={(event) => setParams({ [name]: event.target.value }, true)} placeholder="any" />
            </label>
          ))}
        </div>
        <RunsTable filter={filter} />
      </Section>
    </>
  );
}
