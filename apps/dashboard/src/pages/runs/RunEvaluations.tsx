import { useQuery } from '../../api/use-query';
import { DataTable } from '../../components/DataTable';
import { Money } from '../../components/Money';
import { Section } from '../../components/Section';
import { Loaded } from '../../components/States';

const EVALUATIONS = `query Evaluations($from: DateTime!, $to: DateTime!) {
  evaluationSummary(from: $from, to: $to, by: AGENT) { key evaluator metric count passed averageScore totalCost costPerPassing }
}`;

interface EvaluationRow {
  readonly key: string;
  readonly evaluator: string;
  readonly metric: string;
  readonly count: number;
  readonly passed: number;
  readonly averageScore: number;
  readonly totalCost: string;
  readonly costPerPassing: string | null;
}

/**
 * The agent's evaluations scored while the run was going (a run does not list its own
 * evaluations in the API, so they are read by agent over the run's time span, end included).
 */
export function RunEvaluations({ agentId, from, to }: { agentId: string; from: string; to: string }) {
  const end = new Date(Date.parse(to) + 1).toISOString();
  const result = useQuery<{ evaluationSummary: EvaluationRow[] }>(EVALUATIONS, { from, to: end });
  const rowsOf = (rows: EvaluationRow[]) => rows.filter((row) => row.key === agentId);
  return (
    <Section title="Evaluations" question={`Scores given to ${agentId} while this run went on`} testId="run-evaluations">
      <Loaded result={result} what="evaluations" isEmpty={(data) => rowsOf(data.evaluationSummary).length === 0} empty="No evaluation was scored during this run.">
        {(data) => (
          <DataTable
            caption="Evaluations during the run"
            rows={rowsOf(data.evaluationSummary)}
            rowKey={(row) => `${row.evaluator}|${row.metric}`}
            columns={[
              { header: 'Evaluator', cell: (row) => row.evaluator },
              { header: 'Metric', cell: (row) => row.metric },
              { header: 'Scored', numeric: true, cell: (row) => row.count },
              { header: 'Passed', numeric: true, cell: (row) => row.passed },
              { header: 'Average score', numeric: true, cell: (row) => row.averageScore },
              { header: 'Cost per passing', numeric: true, cell: (row) => <Money value={row.costPerPassing} /> },
            ]}
          />
        )}
      </Loaded>
    </Section>
  );
}
