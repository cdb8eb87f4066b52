import { useQuery } from '../api/use-query';
import { DataTable } from '../components/DataTable';
import { Money } from '../components/Money';
import { Section } from '../components/Section';
import { Loaded } from '../components/States';
import { usePageWindow } from '../page-window';
import { Link } from '../router';
import { formatInstant } from '../time-window';
import { RunEvaluations, type RunEvaluation } from './runs/RunEvaluations';
import { spanTreeOrder, type SpanNode, type SpanView } from './runs/span-tree';

const RUN = `query Run($traceId: ID!) {
  run(traceId: $traceId) { traceId agentId team workflow status startedAt finishedAt totalCost
    spans { spanId parentSpanId kind name cost totalCost attempt status model tool latencyMs escalatedFrom }
    evaluations { evaluator metric score passed spanId time } }
}`;

interface RunDetail {
  readonly traceId: string;
  readonly agentId: string;
  readonly team: string | null;
  readonly workflow: string | null;
  readonly status: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly totalCost: string;
  readonly spans: SpanView[];
  readonly evaluations: RunEvaluation[];
}

const markers = (span: SpanView, evaluations: readonly RunEvaluation[]) => [
  ...(span.attempt > 1 ? [`retry (attempt ${span.attempt})`] : []),
  ...(span.escalatedFrom ? [`escalated from ${span.escalatedFrom}`] : []),
  ...(span.status && span.status !== 'ok' && span.kind !== 'run' ? [span.status] : []),
  ...evaluations
    .filter((evaluation) => evaluation.spanId === span.spanId)
    .map((evaluation) => `${evaluation.metric} ${evaluation.score}${evaluation.passed === null ? '' : evaluation.passed ? ' passed' : ' failed'}`),
];

/** One run's trace: each step with its own cost and its subtree's, retries and escalations marked. */
export function RunPage({ traceId }: { traceId: string }) {
  const { zone } = usePageWindow();
  const result = useQuery<{ run: RunDetail | null }>(RUN, { traceId });
  return (
    <>
      <p>
        <Link to="/runs">← All runs</Link>
      </p>
      <h1>Run {traceId}</h1>
      <Loaded result={result} what={`run ${traceId}`} isEmpty={(data) => data.run === null} empty={`No run ${traceId} is known.`}>
        {({ run }) => (
          <>
            <Section title="Run" testId="run-summary">
              <dl className="facts">
                <dt>Agent</dt>
                <dd>
                  <Link to={`/agents/${encodeURIComponent(run!.agentId)}`}>{run!.agentId}</Link>
                </dd>
                <dt>Team · workflow</dt>
                <dd>
                  {run!.team ?? '—'} · {run!.workflow ?? '—'}
                </dd>
                <dt>Status</dt>
                <dd>{run!.status ?? 'running'}</dd>
                <dt>Time</dt>
                <dd>
                  {formatInstant(run!.startedAt, zone)} – {formatInstant(run!.finishedAt, zone)}
                </dd>
                <dt>Total cost</dt>
                <dd data-testid="run-total-cost">
                  <Money value={run!.totalCost} />
                </dd>
              </dl>
            </Section>
            <Section title="Trace" question="What did each step cost? Retries, escalations and evaluations are marked." testId="run-trace">
              <DataTable<SpanNode>
                caption="Steps of the run in tree order"
                testId="span-tree"
                rows={spanTreeOrder(run!.spans)}
                rowKey={(node) => node.span.spanId}
                columns={[
                  { header: 'Step', cell: (node) => <span style={{ paddingLeft: `${node.depth * 1.25}rem` }}>{node.depth > 0 ? '└ ' : ''}{node.span.kind}: {node.span.name}</span> },
                  { header: 'Model or tool', cell: (node) => node.span.model ?? node.span.tool ?? '—' },
                  { header: 'Marks', cell: (node) => markers(node.span, run!.evaluations).map((mark) => <span key={mark} className="badge flag">{mark}</span>) },
                  { header: 'Latency (ms)', numeric: true, cell: (node) => node.span.latencyMs ?? '—' },
                  { header: 'Step cost', numeric: true, cell: (node) => <Money value={node.span.cost} /> },
                  { header: 'With children', numeric: true, cell: (node) => <Money value={node.span.totalCost} /> },
                ]}
              />
            </Section>
            <RunEvaluations
              evaluations={run!.evaluations}
              zone={zone}
              stepName={(spanId) => {
                const span = run!.spans.find((candidate) => candidate.spanId === spanId);
                return span ? `${span.kind}: ${span.name}` : spanId;
              }}
            />
          </>
        )}
      </Loaded>
    </>
  );
}
