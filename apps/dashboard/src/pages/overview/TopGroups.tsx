import { useQuery } from '../../api/use-query';
import { DataTable } from '../../components/DataTable';
import { Money } from '../../components/Money';
import { Section } from '../../components/Section';
import { Loaded } from '../../components/States';
import { compareDecimal } from '../../decimal';
import { usePageWindow } from '../../page-window';
import { Link } from '../../router';

const BREAKDOWN = `query Breakdown($from: DateTime!, $to: DateTime!, $by: CostDimension!) {
  costBreakdown(from: $from, to: $to, by: $by) { key totalCost llmCalls toolCalls inputTokensTotal outputTokensTotal }
}`;

export interface CostGroup {
  readonly key: string;
  readonly totalCost: string;
  readonly llmCalls: number;
  readonly toolCalls: number | null;
  readonly inputTokensTotal: string;
  readonly outputTokensTotal: string;
}

const TOP = 5;

/** The five biggest spenders of one dimension in the window. */
export function TopGroups({ by, title }: { by: 'AGENT' | 'TEAM' | 'MODEL'; title: string }) {
  const { window } = usePageWindow();
  const result = useQuery<{ costBreakdown: CostGroup[] }>(BREAKDOWN, { ...window, by });
  return (
    <Section title={title} testId={`top-${by.toLowerCase()}`}>
      <Loaded result={result} what={title.toLowerCase()} isEmpty={(data) => data.costBreakdown.length === 0}>
        {(data) => (
          <DataTable
            caption={`${title} by spend in the window`}
            rows={[...data.costBreakdown].sort((a, b) => compareDecimal(b.totalCost, a.totalCost)).slice(0, TOP)}
            rowKey={(group) => group.key}
            columns={[
              { header: by.toLowerCase(), cell: (group) => (by === 'AGENT' ? <Link to={`/agents/${encodeURIComponent(group.key)}`}>{group.key}</Link> : group.key || '(none)') },
              { header: 'Spend', numeric: true, cell: (group) => <Money value={group.totalCost} />, compare: (a, b) => compareDecimal(a.totalCost, b.totalCost) },
              { header: 'Calls', numeric: true, cell: (group) => group.llmCalls + (group.toolCalls ?? 0), compare: (a, b) => a.llmCalls + (a.toolCalls ?? 0) - b.llmCalls - (b.toolCalls ?? 0) },
            ]}
          />
        )}
      </Loaded>
    </Section>
  );
}
