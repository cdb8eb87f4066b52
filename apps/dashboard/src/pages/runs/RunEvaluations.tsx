import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { formatInstant } from '../../time-window';

/** An `evaluation.scored` of the run, as `run { evaluations }` gives it. */
export interface RunEvaluation {
  readonly evaluator: string;
  readonly metric: string;
  readonly score: number;
  readonly passed: boolean | null;
  readonly spanId: string | null;
  readonly time: string;
}

/** The run's own evaluations, each with the step it judged. */
export function RunEvaluations({ evaluations, stepName, zone }: { evaluations: readonly RunEvaluation[]; stepName: (spanId: string) => string; zone: string }) {
  return (
    <Section title="Evaluations" question="How was this run judged, and which step?" testId="run-evaluations">
      {evaluations.length === 0 ? (
        <p className="state empty">No evaluation was scored for this run.</p>
      ) : (
        <DataTable
          caption="Evaluations of the run, in time order"
          testId="run-evaluations-table"
          rows={[...evaluations]}
          rowKey={(row) => `${row.time}|${row.evaluator}|${row.metric}|${row.spanId ?? ''}`}
          columns={[
            { header: 'Evaluator', cell: (row) => row.evaluator },
            { header: 'Metric', cell: (row) => row.metric },
            { header: 'Score', numeric: true, cell: (row) => row.score },
            { header: 'Passed', cell: (row) => (row.passed === null ? '—' : row.passed ? 'yes' : 'no') },
            { header: 'Step judged', cell: (row) => (row.spanId ? stepName(row.spanId) : 'the whole run') },
            { header: 'Scored at', cell: (row) => formatInstant(row.time, zone) },
          ]}
        />
      )}
    </Section>
  );
}
