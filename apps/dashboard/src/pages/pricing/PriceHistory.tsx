import { useQuery } from '../../api/use-query';
import { DataTable } from '../../components/DataTable';
import { Money } from '../../components/Money';
import { Section } from '../../components/Section';
import { Loaded } from '../../components/States';
import { usePageWindow } from '../../page-window';
import { formatInstant } from '../../time-window';

const HISTORY = `query PriceHistory($provider: String!, $model: String!) {
  priceHistory(provider: $provider, model: $model) { inputPer1M outputPer1M effectiveFrom effectiveTo setAt setBy previousPriceRef repricedFacts repricingDelta repricingDone }
}`;

interface HistoryEntry {
  readonly inputPer1M: string;
  readonly outputPer1M: string;
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
  readonly setAt: string;
  readonly setBy: string;
  readonly previousPriceRef: string | null;
  readonly repricedFacts: number;
  readonly repricingDelta: string;
  readonly repricingDone: boolean;
}

/** Who set which price of a model when, what it replaced, and what it re-priced. */
export function PriceHistory({ provider, model }: { provider: string; model: string }) {
  const { zone } = usePageWindow();
  const result = useQuery<{ priceHistory: HistoryEntry[] }>(HISTORY, { provider, model });
  return (
    <Section title={`Price history of ${provider}/${model}`} testId="price-history">
      <Loaded result={result} what="the price history" isEmpty={(data) => data.priceHistory.length === 0} empty="This tenant never set a price for this model.">
        {(data) => (
          <DataTable
            caption={`Every price set for ${provider}/${model}, oldest first`}
            rows={data.priceHistory}
            rowKey={(entry) => `${entry.setAt}|${entry.effectiveFrom}`}
            columns={[
              { header: 'Set at', cell: (entry) => formatInstant(entry.setAt, zone) },
              { header: 'By key', cell: (entry) => entry.setBy },
              { header: 'Input', numeric: true, cell: (entry) => <Money value={entry.inputPer1M} /> },
              { header: 'Output', numeric: true, cell: (entry) => <Money value={entry.outputPer1M} /> },
              { header: 'From', cell: (entry) => formatInstant(entry.effectiveFrom, zone) },
              { header: 'Replaced', cell: (entry) => entry.previousPriceRef ?? 'nothing' },
              { header: 'Re-priced events', numeric: true, cell: (entry) => `${entry.repricedFacts}${entry.repricingDone ? '' : ' (under way)'}` },
              { header: 'Re-pricing delta', numeric: true, cell: (entry) => <Money value={entry.repricingDelta} /> },
            ]}
          />
        )}
      </Loaded>
    </Section>
  );
}
