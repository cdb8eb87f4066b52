import { useQuery } from '../api/use-query';
import { BarChartView } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Figure } from '../components/Figure';
import { Money } from '../components/Money';
import { Ratio } from '../components/Ratio';
import { Section } from '../components/Section';
import { Loaded } from '../components/States';
import { compareDecimal } from '../decimal';
import { usePageWindow } from '../page-window';
import { Link } from '../router';

const OPERATIONS = `query Operations($from: DateTime!, $to: DateTime!) {
  operationalSummary(from: $from, to: $to) { calls retries retryRate retryCost escalations escalationRate escalationCost errors errorRate
    latencyByModel { model calls p50Ms p95Ms } }
  routingDecisions(from: $from, to: $to) { router decision count totalCost }
  waste(from: $from, to: $to, by: AGENT) { key runs unsuccessfulRuns wastedCost totalCost }
  agentEfficiency(from: $from, to: $to) { agentId totalCost successes shareOfCost shareOfSuccesses costPerOutcome roi }
}`;

interface Operations {
  readonly operationalSummary: {
    readonly calls: number;
    readonly retries: number;
    readonly retryRate: string;
    readonly retryCost: string;
    readonly escalations: number;
    readonly escalationRate: string;
    readonly escalationCost: string;
    readonly errors: number;
    readonly errorRate: string;
    readonly latencyByModel: Array<{ model: string; calls: number; p50Ms: number | null; p95Ms: number | null }>;
  };
  readonly routingDecisions: Array<{ router: string; decision: string; count: number; totalCost: string }>;
  readonly waste: Array<{ key: string; runs: number; unsuccessfulRuns: number; wastedCost: string; totalCost: string }>;
  readonly agentEfficiency: Array<{ agentId: string; totalCost: string; successes: number; shareOfCost: string; shareOfSuccesses: string; costPerOutcome: string | null; roi: string | null }>;
}

/** Retries, escalations, errors, routing, latency per model, and the money spent on runs that produced nothing. */
export function OperationsPage() {
  const { window } = usePageWindow();
  const result = useQuery<Operations>(OPERATIONS, window);
  return (
    <>
      <h1>Operations and waste</h1>
      <Loaded result={result} what="operations">
        {(data) => (
          <>
            <Section title="Calls" question="Where do retries, escalations and errors happen, and what do they cost?" testId="operations-summary">
              <div className="cards">
                <Figure label="Calls" value={String(data.operationalSummary.calls)} testId="ops-calls" />
                <Figure label="Retries" value={<>{data.operationalSummary.retries} (<Ratio value={data.operationalSummary.retryRate} as="percent" />) · <Money value={data.operationalSummary.retryCost} testId="ops-retry-cost" /></>} testId="ops-retries" />
                <Figure label="Escalations" value={<>{data.operationalSummary.escalations} (<Ratio value={data.operationalSummary.escalationRate} as="percent" />) · <Money value={data.operationalSummary.escalationCost} testId="ops-escalation-cost" /></>} testId="ops-escalations" />
                <Figure label="Errors" value={<>{data.operationalSummary.errors} (<Ratio value={data.operationalSummary.errorRate} as="percent" />)</>} testId="ops-errors" />
              </div>
            </Section>
            <Section title="Latency per model" testId="latency">
              {data.operationalSummary.latencyByModel.length === 0 ? (
                <p className="state empty">No call reported its latency in this window.</p>
              ) : (
                <>
                  <BarChartView
                    title="Latency per model (ms, p50 and p95)"
                    xLabel="Model"
                    yLabel="Latency (ms)"
                    categories={data.operationalSummary.latencyByModel.map((row) => row.model)}
                    series={[
                      { name: 'p50', values: data.operationalSummary.latencyByModel.map((row) => (row.p50Ms === null ? null : String(row.p50Ms))) },
                      { name: 'p95', values: data.operationalSummary.latencyByModel.map((row) => (row.p95Ms === null ? null : String(row.p95Ms))) },
                    ]}
                    unit="ms"
                  />
                  <DataTable
                    caption="Latency per model"
                    rows={data.operationalSummary.latencyByModel}
                    rowKey={(row) => row.model}
                    columns={[
                      { header: 'Model', cell: (row) => row.model },
                      { header: 'Calls', numeric: true, cell: (row) => row.calls, compare: (a, b) => a.calls - b.calls },
                      { header: 'p50 (ms)', numeric: true, cell: (row) => formatMs(row.p50Ms), compare: (a, b) => (a.p50Ms ?? -1) - (b.p50Ms ?? -1) },
                      { header: 'p95 (ms)', numeric: true, cell: (row) => formatMs(row.p95Ms), compare: (a, b) => (a.p95Ms ?? -1) - (b.p95Ms ?? -1) },
                    ]}
                  />
                </>
              )}
            </Section>
            <Section title="Routing decisions" question="What did routers decide, and what did those calls cost?" testId="routing">
              <DataTable
                empty="No routed call in this window."
                caption="Routing decisions"
                rows={data.routingDecisions}
                rowKey={(row) => `${row.router}|${row.decision}`}
                columns={[
                  { header: 'Router', cell: (row) => row.router },
                  { header: 'Decision', cell: (row) => row.decision },
                  { header: 'Calls', numeric: true, cell: (row) => row.count, compare: (a, b) => a.count - b.count },
                  { header: 'Cost', numeric: true, cell: (row) => <Money value={row.totalCost} />, compare: (a, b) => compareDecimal(a.totalCost, b.totalCost) },
                ]}
              />
            </Section>
            <Section title="Waste per agent" question="Where is money spent on runs that produced nothing?" testId="waste">
              <DataTable
                empty="No run in this window."
                caption="Cost of runs without a successful outcome, per agent"
                testId="waste-table"
                rows={data.waste}
                rowKey={(row) => row.key}
                columns={[
                  { header: 'Agent', cell: (row) => <Link to={`/agents/${encodeURIComponent(row.key)}`}>{row.key}</Link> },
                  { header: 'Runs', numeric: true, cell: (row) => row.runs },
                  { header: 'Unsuccessful', numeric: true, cell: (row) => row.unsuccessfulRuns, compare: (a, b) => a.unsuccessfulRuns - b.unsuccessfulRuns },
                  { header: 'Wasted', numeric: true, cell: (row) => <Money value={row.wastedCost} />, compare: (a, b) => compareDecimal(a.wastedCost, b.wastedCost) },
                  { header: 'Total', numeric: true, cell: (row) => <Money value={row.totalCost} />, compare: (a, b) => compareDecimal(a.totalCost, b.totalCost) },
                ]}
              />
            </Section>
            <Section title="Cost against outcomes" question="Which agents consume disproportionate resources relative to their outcomes?" testId="efficiency">
              <DataTable
                empty="No agent spent in this window."
                caption="Share of cost against share of successful outcomes, the most disproportionate first"
                rows={data.agentEfficiency}
                rowKey={(row) => row.agentId}
                columns={[
                  { header: 'Agent', cell: (row) => <Link to={`/agents/${encodeURIComponent(row.agentId)}`}>{row.agentId}</Link> },
                  { header: 'Cost', numeric: true, cell: (row) => <Money value={row.totalCost} />, compare: (a, b) => compareDecimal(a.totalCost, b.totalCost) },
                  { header: 'Share of cost', numeric: true, cell: (row) => <Ratio value={row.shareOfCost} as="percent" />, compare: (a, b) => compareDecimal(a.shareOfCost, b.shareOfCost) },
                  { header: 'Successes', numeric: true, cell: (row) => row.successes },
                  { header: 'Share of successes', numeric: true, cell: (row) => <Ratio value={row.shareOfSuccesses} as="percent" /> },
                  { header: 'Cost per outcome', numeric: true, cell: (row) => <Money value={row.costPerOutcome} /> },
                  { header: 'ROI (value / cost)', numeric: true, cell: (row) => <Ratio value={row.roi} as="multiple" /> },
                ]}
              />
            </Section>
          </>
        )}
      </Loaded>
    </>
  );
}

/** Latency is a float of milliseconds (interpolated percentiles): one decimal is plenty. */
const formatMs = (ms: number | null) => (ms === null ? '—' : ms.toFixed(1).replace(/\.0$/, ''));
