import { useQuery } from '../../api/use-query';
import { Section } from '../../components/Section';
import { SelectField } from '../../components/SelectField';
import { SpendChart, type SpendPoint } from '../../components/SpendChart';
import { Loaded } from '../../components/States';
import { usePageWindow } from '../../page-window';
import { setParams } from '../../router';
import { bucketOf } from '../../time-window';

const SPEND = `query Spend($from: DateTime!, $to: DateTime!, $bucket: TimeBucket!, $by: CostDimension) {
  spendOverTime(from: $from, to: $to, bucket: $bucket, by: $by) { bucketStart key totalCost }
}`;

const GROUPINGS = { TEAM: 'team', AGENT: 'agent', MODEL: 'model', WORKFLOW: 'workflow', PROVIDER: 'provider' } as const;
type Grouping = keyof typeof GROUPINGS;
const BUCKETS = [
  { value: 'HOUR', label: 'hour' },
  { value: 'DAY', label: 'day' },
];

/** Spend per hour or day, stacked by team, agent or model (bucket and grouping kept in the URL). */
export function SpendOverTime() {
  const { window, zone, params } = usePageWindow();
  const bucket = bucketOf(params, window);
  const by = (params.get('by') ?? 'TEAM') in GROUPINGS ? ((params.get('by') ?? 'TEAM') as Grouping) : 'TEAM';
  const result = useQuery<{ spendOverTime: SpendPoint[] }>(SPEND, { ...window, bucket, by });
  return (
    <Section title="Spend over time" question="How does spend move, and who drives it?" testId="spend-over-time">
      <div className="controls">
        <SelectField label="Per" name="bucket" value={bucket} choices={BUCKETS} onChange={(value) => setParams({ bucket: value })} />
        <SelectField label="Stacked by" name="by" value={by} choices={Object.entries(GROUPINGS).map(([value, label]) => ({ value, label }))} onChange={(value) => setParams({ by: value })} />
      </div>
      <Loaded result={result} what="spend over time" isEmpty={(data) => data.spendOverTime.length === 0}>
        {(data) => <SpendChart points={data.spendOverTime} title={`Spend per ${bucket.toLowerCase()} by ${GROUPINGS[by]} (USD)`} zone={zone} window={window} bucket={bucket} />}
      </Loaded>
    </Section>
  );
}
