import { useQuery } from '../../api/use-query';
import { Figure } from '../../components/Figure';
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
          <Figure label="Total spend" testId="total-cost" value={<Money value={current.totalCost} testId="total-cost-value" />} change={changeOf(current.totalCost, before.totalCost)} money />
          <Figure label="Calls (LLM + tool)" testId="calls" value={String(current.llmCalls + current.toolCalls)} change={changeOf(String(current.llmCalls + current.toolCalls), String(before.llmCalls + before.toolCalls))} />
          <Figure label="Input tokens" testId="input-tokens" value={current.inputTokensTotal} change={changeOf(current.inputTokensTotal, before.inputTokensTotal)} />
          <Figure label="Output tokens" testId="output-tokens" value={current.outputTokensTotal} change={changeOf(current.outputTokensTotal, before.outputTokensTotal)} />
          <Figure label="Retries" testId="retries" value={<>{current.retries} · <Money value={current.retryCost} /></>} />
          <Figure label="Escalations" testId="escalations" value={<>{current.escalations} · <Money value={current.escalationCost} /></>} />
          <Figure label="Unpriced calls" testId="unpriced" value={String(current.unpricedCalls)} />
        </div>
      )}
    </Loaded>
  );
}
