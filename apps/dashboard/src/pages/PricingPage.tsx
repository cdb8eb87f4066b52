import { useQuery } from '../api/use-query';
import { DataTable } from '../components/DataTable';
import { Money } from '../components/Money';
import { Section } from '../components/Section';
import { Loaded } from '../components/States';
import { usePageWindow } from '../page-window';
import { setParams } from '../router';
import { formatInstant } from '../time-window';
import { useIsAdmin } from '../session';
import { PriceForm } from './pricing/PriceForm';
import { PriceHistory } from './pricing/PriceHistory';

const PRICING = `query Pricing($from: DateTime!, $to: DateTime!) {
  catalogVersion { version packageVersion models importedAt previousVersion }
  prices { provider model inputPer1M outputPer1M cacheReadPer1M cacheWritePer1M reasoningPer1M requestFee effectiveFrom effectiveTo }
  unitPrices { kind name vendor unit pricePerUnit effectiveFrom effectiveTo }
  unpricedModels(from: $from, to: $to) { provider model calls inputTokens outputTokens reportedCost }
}`;

interface Pricing {
  readonly catalogVersion: { version: string; packageVersion: string; models: number; importedAt: string | null; previousVersion: string | null };
  readonly prices: Array<{ provider: string; model: string; inputPer1M: string; outputPer1M: string; cacheReadPer1M: string | null; cacheWritePer1M: string | null; reasoningPer1M: string | null; requestFee: string | null; effectiveFrom: string; effectiveTo: string | null }>;
  readonly unitPrices: Array<{ kind: string; name: string; vendor: string | null; unit: string; pricePerUnit: string; effectiveFrom: string; effectiveTo: string | null }>;
  readonly unpricedModels: Array<{ provider: string; model: string; calls: number; inputTokens: number; outputTokens: number; reportedCost: string }>;
}

/** The tenant's own prices and their history, unit prices, the models no price covers, the catalog in use. */
export function PricingPage() {
  const { window, zone, params } = usePageWindow();
  const result = useQuery<Pricing>(PRICING, window);
  const isAdmin = useIsAdmin();
  const chosen = params.get('model') && params.get('provider') ? { provider: params.get('provider')!, model: params.get('model')! } : undefined;
  return (
    <>
      <h1>Pricing</h1>
      <Loaded result={result} what="prices">
        {(data) => (
          <>
            <Section title="Default catalog" testId="catalog">
              <p data-testid="catalog-version">
                Catalog <strong>{data.catalogVersion.version}</strong> ({data.catalogVersion.models} models), imported {formatInstant(data.catalogVersion.importedAt, zone)}
                {data.catalogVersion.previousVersion ? `, replacing ${data.catalogVersion.previousVersion}` : ''}.
              </p>
            </Section>
            <Section title="Tenant prices (USD per 1M tokens)" question="Which negotiated prices override the catalog? Enter shows a price's history." testId="tenant-prices">
              <DataTable
                empty="No tenant prices: every call is priced from the default catalog."
                caption="Tenant prices, newest first per model"
                testId="prices-table"
                rows={data.prices}
                rowKey={(price) => `${price.provider}|${price.model}|${price.effectiveFrom}`}
                onOpen={(price) => setParams({ provider: price.provider, model: price.model })}
                columns={[
                  { header: 'Provider', cell: (price) => price.provider },
                  { header: 'Model', cell: (price) => price.model },
                  { header: 'Input', numeric: true, cell: (price) => <Money value={price.inputPer1M} /> },
                  { header: 'Output', numeric: true, cell: (price) => <Money value={price.outputPer1M} /> },
                  { header: 'Cache read', numeric: true, cell: (price) => <Money value={price.cacheReadPer1M} /> },
                  { header: 'Cache write', numeric: true, cell: (price) => <Money value={price.cacheWritePer1M} /> },
                  { header: 'Reasoning', numeric: true, cell: (price) => <Money value={price.reasoningPer1M} /> },
                  { header: 'Per request', numeric: true, cell: (price) => <Money value={price.requestFee} /> },
                  { header: 'From', cell: (price) => formatInstant(price.effectiveFrom, zone) },
                  { header: 'To', cell: (price) => (price.effectiveTo ? formatInstant(price.effectiveTo, zone) : 'current') },
                ]}
              />
            </Section>
            {isAdmin && (
              <Section title="Set a tenant price" question="A negotiated price overrides the catalog for this tenant from its date on; events already received are re-priced." testId="price-form">
                <PriceForm onSaved={result.reload} />
              </Section>
            )}
            {chosen && <PriceHistory provider={chosen.provider} model={chosen.model} />}
            <Section title="Unpriced models" question="Which calls does no price cover? Their tokens count, their cost is not invented." testId="unpriced-models">
              <DataTable
                empty="Every call in this window is priced."
                caption="Unpriced models in the window"
                rows={data.unpricedModels}
                rowKey={(row) => `${row.provider}|${row.model}`}
                columns={[
                  { header: 'Provider', cell: (row) => row.provider },
                  { header: 'Model', cell: (row) => row.model },
                  { header: 'Calls', numeric: true, cell: (row) => row.calls },
                  { header: 'Input tokens', numeric: true, cell: (row) => row.inputTokens },
                  { header: 'Output tokens', numeric: true, cell: (row) => row.outputTokens },
                  { header: 'Reported cost', numeric: true, cell: (row) => <Money value={row.reportedCost} /> },
                ]}
              />
            </Section>
            <Section title="Tool and SaaS unit prices" testId="unit-prices">
              <DataTable
                empty="No unit prices set."
                caption="Unit prices"
                rows={data.unitPrices}
                rowKey={(row) => `${row.kind}|${row.name}|${row.vendor ?? ''}|${row.unit}|${row.effectiveFrom}`}
                columns={[
                  { header: 'Kind', cell: (row) => row.kind },
                  { header: 'Tool or product', cell: (row) => `${row.name}${row.vendor ? ` (${row.vendor})` : ''}` },
                  { header: 'Unit', cell: (row) => row.unit },
                  { header: 'Price per unit', numeric: true, cell: (row) => <Money value={row.pricePerUnit} /> },
                  { header: 'From', cell: (row) => formatInstant(row.effectiveFrom, zone) },
                  { header: 'To', cell: (row) => (row.effectiveTo ? formatInstant(row.effectiveTo, zone) : 'current') },
                ]}
              />
            </Section>
          </>
        )}
      </Loaded>
    </>
  );
}
