import { useQuery } from '../../api/use-query';
import { DataTable } from '../../components/DataTable';
import { Money } from '../../components/Money';
import { Ratio } from '../../components/Ratio';
import { Section } from '../../components/Section';
import { Loaded } from '../../components/States';
import { compareDecimal } from '../../decimal';
import { usePageWindow } from '../../page-window';

const OUTCOMES = `query Outcomes($from: DateTime!, $to: DateTime!, $by: CostDimension!) {
  outcomeEconomics(from: $from, to: $to, by: $by) { key outcome successes totalCost costPerOutcome value roi timeSavedMinutes }
}`;

export interface OutcomeRow {
  readonly key: string;
  readonly outcome: string;
  readonly successes: number;
  readonly totalCost: string;
  readonly costPerOutcome: string | null;
  readonly value: string;
  readonly roi: string | null;
  readonly timeSavedMinutes: number;
}

/** Cost per successful outcome and ROI, per workflow (or agent) and kind of outcome. */
export function OutcomeEconomicsTable({ by = 'WORKFLOW', agentId }: { by?: 'WORKFLOW' | 'AGENT'; agentId?: string }) {
  const { window } = usePageWindow();
  const result = useQuery<{ outcomeEconomics: OutcomeRow[] }>(OUTCOMES, { ...window, by });
  const rowsOf = (rows: OutcomeRow[]) => (agentId === undefined ? rows : rows.filter((row) => row.key === agentId));
  return (
    <Section title={by === 'WORKFLOW' ? 'Cost per outcome and ROI per workflow' : 'Outcomes'} question="Which work delivers value: cost per outcome, value, time saved, ROI?" testId="outcome-economics">
      <Loaded result={result} what="outcomes" isEmpty={(data) => rowsOf(data.outcomeEconomics).length === 0}>
        {(data) => (
          <DataTable
            caption={`Outcome economics per ${by.toLowerCase()}`}
            rows={rowsOf(data.outcomeEconomics)}
            rowKey={(row) => `${row.key}|${row.outcome}`}
            columns={[
              { header: by.toLowerCase(), cell: (row) => row.key || '(none)' },
              { header: 'Outcome', cell: (row) => row.outcome },
              { header: 'Successes', numeric: true, cell: (row) => row.successes, compare: (a, b) => a.successes - b.successes },
              { header: 'Cost', numeric: true, cell: (row) => <Money value={row.totalCost} />, compare: (a, b) => compareDecimal(a.totalCost, b.totalCost) },
              { header: 'Cost per outcome', numeric: true, cell: (row) => <Money value={row.costPerOutcome} />, compare: (a, b) => compareDecimal(a.costPerOutcome, b.costPerOutcome) },
              { header: 'Value', numeric: true, cell: (row) => <Money value={row.value} />, compare: (a, b) => compareDecimal(a.value, b.value) },
              { header: 'ROI (value / cost)', numeric: true, cell: (row) => <Ratio value={row.roi} as="multiple" />, compare: (a, b) => compareDecimal(a.roi, b.roi) },
              { header: 'Time saved (min)', numeric: true, cell: (row) => row.timeSavedMinutes },
            ]}
          />
        )}
      </Loaded>
    </Section>
  );
}
