import type { ReactNode } from 'react';
import { useQuery } from '../../api/use-query';
import { Loaded } from '../../components/States';
import { Money } from '../../components/Money';
import { changeOf } from '../../decimal';
import { usePageWindow } from '../../page-window';
import { previousWindow } from '../../time-window';

const SUMMARY_FIELDS = 'totalCost llmCalls toolCalls inputTokensTotal outputTokensTotal retries retryCost escalations escalationCost unpricedCalls';
const SUMMARY = `query Summary($from: DateTime!, $to: DateTime!, $previousFrom: DateTime!, $previousTo: DateTime!) {
  current: costSummary(from: $from, to: $to) { ${SUMMARY_FIELDS} }
  previous: costSummary(from: $previousFrom, to: $previousTo) { ${SUMMARY_FIELDS} }
}`;

interface Summary {
  readonly totalCost: string;
  readonly llmCalls: number;
  readonly toolCalls: number;
  readonly inputTokensTotal: string;
  readonly outputTokensTotal: string;
  readonly retries: number;
  readonly retryCost: string;
  readonly escalations: number;
  readonly escalationCost: string;
  readonly unpricedCalls: number;
}

/** Total spend, calls and tokens of the window, each with its change against the window before. */
export function SummaryCards() {
  const { window } = usePageWindow();
  const previous = previousWindow(window);
  const result = useQuery<{ current: Summary; previous: Summary }>(SUMMARY, { ...window, previousFrom: previous.from, previousTo: previous.to });
  return (
    <Loaded result={result} what="the cost summary">
      {({ current, previous: before }) => (
        <div className="cards" data-testid="summary">
          <Card label="Total spend" testId="total-cost" value={<Money value={current.totalCost} testId="total-cost-value" />} change={changeOf(current.totalCost, before.totalCost)} money />
          <Card label="Calls (LLM + tool)" testId="calls" value={String(current.llmCalls + current.toolCalls)} change={changeOf(String(current.llmCalls + current.toolCalls), String(before.llmCalls + before.toolCalls))} />
          <Card label="Input tokens" testId="input-tokens" value={current.inputTokensTotal} change={changeOf(current.inputTokensTotal, before.inputTokensTotal)} />
          <Card label="Output tokens" testId="output-tokens" value={current.outputTokensTotal} change={changeOf(current.outputTokensTotal, before.outputTokensTotal)} />
          <Card label="Retries" testId="retries" value={<>{current.retries} · <Money value={current.retryCost} /></>} />
          <Card label="Escalations" testId="escalations" value={<>{current.escalations} · <Money value={current.escalationCost} /></>} />
          <Card label="Unpriced calls" testId="unpriced" value={String(current.unpricedCalls)} />
        </div>
      )}
    </Loaded>
  );
}

function Card({ label, value, change, money = false, testId }: { label: string; value: ReactNode; change?: { delta: string; percent: string | null }; money?: boolean; testId: string }) {
  return (
    <div className="card" data-testid={testId}>
      <div className="card-label">{label}</div>
      <div className="card-value">{value}</div>
      {change && (
        <div className="card-change" data-testid={`${testId}-change`}>
          {change.delta.startsWith('-') ? '▼' : '▲'} {money ? `$${change.delta}` : change.delta}
          {change.percent === null ? ' (none before)' : ` (${change.percent}%)`} vs the window before
        </div>
      )}
    </div>
  );
}
