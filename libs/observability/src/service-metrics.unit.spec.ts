import { Counter } from 'prom-client';
import { ServiceMetrics } from './service-metrics.js';

/** The sample lines of one metric, without HELP/TYPE. */
function samples(text: string, metric: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `));
}

describe('ServiceMetrics', () => {
  it('reports what a consumer tells its hooks, labelled with service and consumer', async () => {
    const metrics = new ServiceMetrics({ service: 'pricing', defaultMetrics: false });
    const hooks = metrics.consumerHooks('pricing-costs');

    hooks.onApplied(100);
    hooks.onApplied(25);
    hooks.onBatchLatency(0.004);
    hooks.onBatchLatency(0.3);
    hooks.onPending(42);
    hooks.onDeadLetter('decode');
    hooks.onDeadLetter('decode');
    hooks.onDeadLetter('max_deliveries');
    hooks.onRedelivery();

    const text = await metrics.metricsText();
    expect(samples(text, 'agentledger_events_applied_total')).toEqual([
      'agentledger_events_applied_total{consumer="pricing-costs",service="pricing"} 125',
    ]);
    expect(samples(text, 'agentledger_consumer_pending')).toEqual([
      'agentledger_consumer_pending{consumer="pricing-costs",service="pricing"} 42',
    ]);
    expect(samples(text, 'agentledger_dead_letters_total')).toEqual([
      'agentledger_dead_letters_total{consumer="pricing-costs",reason="decode",service="pricing"} 2',
      'agentledger_dead_letters_total{consumer="pricing-costs",reason="max_deliveries",service="pricing"} 1',
    ]);
    expect(samples(text, 'agentledger_redeliveries_total')).toEqual([
      'agentledger_redeliveries_total{consumer="pricing-costs",service="pricing"} 1',
    ]);
    expect(samples(text, 'agentledger_batch_apply_seconds_bucket')).toEqual([
      'agentledger_batch_apply_seconds_bucket{le="0.001",service="pricing",consumer="pricing-costs"} 0',
      'agentledger_batch_apply_seconds_bucket{le="0.0025",service="pricing",consumer="pricing-costs"} 0',
      'agentledger_batch_apply_seconds_bucket{le="0.005",service="pricing",consumer="pricing-costs"} 1',
      'agentledger_batch_apply_seconds_bucket{le="0.01",service="pricing",consumer="pricing-costs"} 1',
      'agentledger_batch_apply_seconds_bucket{le="0.025",service="pricing",consumer="pricing-costs"} 1',
      'agentledger_batch_apply_seconds_bucket{le="0.05",service="pricing",consumer="pricing-costs"} 1',
      'agentledger_batch_apply_seconds_bucket{le="0.1",service="pricing",consumer="pricing-costs"} 1',
      'agentledger_batch_apply_seconds_bucket{le="0.25",service="pricing",consumer="pricing-costs"} 1',
      'agentledger_batch_apply_seconds_bucket{le="0.5",service="pricing",consumer="pricing-costs"} 2',
      'agentledger_batch_apply_seconds_bucket{le="1",service="pricing",consumer="pricing-costs"} 2',
      'agentledger_batch_apply_seconds_bucket{le="2.5",service="pricing",consumer="pricing-costs"} 2',
      'agentledger_batch_apply_seconds_bucket{le="5",service="pricing",consumer="pricing-costs"} 2',
      'agentledger_batch_apply_seconds_bucket{le="10",service="pricing",consumer="pricing-costs"} 2',
      'agentledger_batch_apply_seconds_bucket{le="+Inf",service="pricing",consumer="pricing-costs"} 2',
    ]);
    expect(samples(text, 'agentledger_batch_apply_seconds_sum')).toEqual([
      'agentledger_batch_apply_seconds_sum{service="pricing",consumer="pricing-costs"} 0.304',
    ]);
    expect(samples(text, 'agentledger_batch_apply_seconds_count')).toEqual([
      'agentledger_batch_apply_seconds_count{service="pricing",consumer="pricing-costs"} 2',
    ]);
    expect(text).toContain('# TYPE agentledger_events_applied_total counter');
    expect(text).toContain('# TYPE agentledger_batch_apply_seconds histogram');
    expect(text).toContain('# TYPE agentledger_consumer_pending gauge');
  });

  it('exposes counters at 0 as soon as a consumer asks for its hooks', async () => {
    const metrics = new ServiceMetrics({ service: 'budgeting', defaultMetrics: false });

    metrics.consumerHooks('budget-spend');

    const text = await metrics.metricsText();
    expect(samples(text, 'agentledger_events_applied_total')).toEqual([
      'agentledger_events_applied_total{consumer="budget-spend",service="budgeting"} 0',
    ]);
    expect(samples(text, 'agentledger_redeliveries_total')).toEqual([
      'agentledger_redeliveries_total{consumer="budget-spend",service="budgeting"} 0',
    ]);
  });

  it('counts dead-letter reasons that are not categories as "other"', async () => {
    const metrics = new ServiceMetrics({ service: 'pricing', defaultMetrics: false });
    const hooks = metrics.consumerHooks('pricing-costs');

    hooks.onDeadLetter('Error: unknown model "gpt-9" at line 3');
    hooks.onDeadLetter('');
    for (let i = 0; i < 25; i++) hooks.onDeadLetter(`category_${i}`);

    const lines = samples(await metrics.metricsText(), 'agentledger_dead_letters_total');
    expect(lines).toHaveLength(21);
    expect(lines).toContain('agentledger_dead_letters_total{consumer="pricing-costs",reason="category_19",service="pricing"} 1');
    // 2 malformed + the 5 categories past the first 20
    expect(lines).toContain('agentledger_dead_letters_total{consumer="pricing-costs",reason="other",service="pricing"} 7');
  });

  it('ignores values a counter or histogram cannot take instead of throwing into the consumer', async () => {
    const metrics = new ServiceMetrics({ service: 'pricing', defaultMetrics: false });
    const hooks = metrics.consumerHooks('pricing-costs');

    hooks.onApplied(-1);
    hooks.onApplied(Number.NaN);
    hooks.onBatchLatency(-0.5);
    hooks.onApplied(3);

    const text = await metrics.metricsText();
    expect(samples(text, 'agentledger_events_applied_total')).toEqual([
      'agentledger_events_applied_total{consumer="pricing-costs",service="pricing"} 3',
    ]);
    expect(samples(text, 'agentledger_batch_apply_seconds_count')).toEqual([]);
  });

  it('includes process metrics and instruments a service registers on its registry', async () => {
    const metrics = new ServiceMetrics({ service: 'gateway' });
    const queries = new Counter({ name: 'gateway_queries_total', help: 'GraphQL queries.', registers: [metrics.registry] });

    queries.inc(2);

    const text = await metrics.metricsText();
    expect(samples(text, 'gateway_queries_total')).toEqual(['gateway_queries_total{service="gateway"} 2']);
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('keeps each service registry apart from the others and from the global one', async () => {
    const pricing = new ServiceMetrics({ service: 'pricing', defaultMetrics: false });
    const budgeting = new ServiceMetrics({ service: 'budgeting', defaultMetrics: false });

    pricing.consumerHooks('pricing-costs').onApplied(5);

    expect(samples(await budgeting.metricsText(), 'agentledger_events_applied_total')).toEqual([]);
  });

  it("reports each stream's storage from the server on every scrape, asking at most once a second", async () => {
    const metrics = new ServiceMetrics({ service: 'ingestion', defaultMetrics: false });
    let asked = 0;
    metrics.watchStreams(async () => {
      asked += 1;
      return [
        { stream: 'FINOPS_FACTS', bytes: 268_435_456, messages: 300_000, maxBytes: 1_073_741_824 },
        { stream: 'FINOPS_DLQ', bytes: 1_000, messages: 2, maxBytes: -1 },
      ];
    });
    const text = await metrics.metricsText();
    expect(samples(text, 'agentledger_stream_bytes')).toEqual([
      'agentledger_stream_bytes{stream="FINOPS_FACTS",service="ingestion"} 268435456',
      'agentledger_stream_bytes{stream="FINOPS_DLQ",service="ingestion"} 1000',
    ]);
    expect(samples(text, 'agentledger_stream_messages')).toEqual([
      'agentledger_stream_messages{stream="FINOPS_FACTS",service="ingestion"} 300000',
      'agentledger_stream_messages{stream="FINOPS_DLQ",service="ingestion"} 2',
    ]);
    // A stream without a limit has neither a limit nor a ratio.
    expect(samples(text, 'agentledger_stream_max_bytes')).toEqual(['agentledger_stream_max_bytes{stream="FINOPS_FACTS",service="ingestion"} 1073741824']);
    expect(samples(text, 'agentledger_stream_used_ratio')).toEqual(['agentledger_stream_used_ratio{stream="FINOPS_FACTS",service="ingestion"} 0.25']);
    expect(asked).toBe(1);
  });

  it('counts publish retries and failures by stream and reason, an odd label as other', async () => {
    const metrics = new ServiceMetrics({ service: 'pricing', defaultMetrics: false });
    const hooks = metrics.publishHooks();
    hooks.onRetry('costs', 'storage_full');
    hooks.onRetry('costs', 'storage_full');
    hooks.onFailure('costs', 'Storage Full!');
    const text = await metrics.metricsText();
    expect(samples(text, 'agentledger_publish_retries_total')).toEqual(['agentledger_publish_retries_total{stream="costs",reason="storage_full",service="pricing"} 2']);
    expect(samples(text, 'agentledger_publish_failures_total')).toEqual(['agentledger_publish_failures_total{stream="costs",reason="other",service="pricing"} 1']);
  });
});
