import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * What a JetStream consumer reports, as plain callbacks so that libs which must not depend on
 * prom-client (or on this lib's classes) can take them as a port.
 */
export interface ConsumerHooks {
  /** `count` events were applied (a batch, or 1). */
  onApplied(count: number): void;
  /** Time to apply one batch, fetch excluded. */
  onBatchLatency(seconds: number): void;
  /** A low-cardinality category such as `decode`, `validation`, `max_deliveries`, never an error message. */
  onDeadLetter(reasonCategory: string): void;
  onRedelivery(): void;
  /** Messages the consumer has not yet been delivered (`ConsumerInfo.num_pending`). */
  onPending(count: number): void;
}

/** One stream's JetStream storage as the server reports it (`StreamInfo.state`, `config.max_bytes`). */
export interface StreamUsage {
  readonly stream: string;
  readonly bytes: number;
  readonly messages: number;
  /** The stream's byte limit; -1 (or 0) when it has none. */
  readonly maxBytes: number;
}

/** What a publisher reports: a publish retried, and one that failed for good (never silent). */
export interface PublishHooks {
  /** `stream` is low-cardinality (`facts`, `costs`, `dlq`…), `reason` a category (`storage_full`, `timeout`, `other`). */
  onRetry(stream: string, reason: string): void;
  onFailure(stream: string, reason: string): void;
}

export interface ServiceMetricsOptions {
  /** Set as the `service` label on every series of this registry. */
  service: string;
  /** Process metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
}

/** Apply latency from 1 ms to 10 s: a batch is one Postgres transaction. */
export const BATCH_LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Dead-letter reasons outside this shape, or beyond this many, are counted as `other`. */
const REASON_CATEGORY = /^[a-z][a-z0-9_]{0,39}$/;
const MAX_REASON_CATEGORIES = 20;
export const OTHER_REASON = 'other';

/**
 * The service's own Prometheus registry (not prom-client's global one, so that tests and
 * several services in one process don't collide) with the instruments every consumer reports.
 * Services add their own instruments with `registers: [metrics.registry]`.
 */
export class ServiceMetrics {
  readonly eventsApplied: Counter<'consumer'>;
  readonly batchLatency: Histogram<'consumer'>;
  readonly consumerPending: Gauge<'consumer'>;
  readonly deadLetters: Counter<'consumer' | 'reason'>;
  readonly redeliveries: Counter<'consumer'>;
  /** Projections that found their stream recreated or gone backwards under them and refused it (alert on any increase). */
  readonly streamMismatches: Counter<'consumer'>;

  readonly publishRetries: Counter<'stream' | 'reason'>;
  readonly publishFailures: Counter<'stream' | 'reason'>;

  private readonly ownRegistry = new Registry();
  private readonly reasonCategories = new Set<string>();
  private streamSource?: () => Promise<readonly StreamUsage[]>;

  constructor(opts: ServiceMetricsOptions) {
    const registers = [this.ownRegistry];
    this.ownRegistry.setDefaultLabels({ service: opts.service });
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.ownRegistry });

    this.eventsApplied = new Counter({
      name: 'agentledger_events_applied_total',
      help: 'Events applied to a read model or handled by a consumer.',
      labelNames: ['consumer'],
      registers,
    });
    this.batchLatency = new Histogram({
      name: 'agentledger_batch_apply_seconds',
      help: 'Time to apply one batch of events, fetch excluded.',
      labelNames: ['consumer'],
      buckets: [...BATCH_LATENCY_BUCKETS],
      registers,
    });
    this.consumerPending = new Gauge({
      name: 'agentledger_consumer_pending',
      help: 'Messages on the stream not yet delivered to the consumer (consumer lag).',
      labelNames: ['consumer'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'agentledger_dead_letters_total',
      help: 'Messages sent to the dead-letter subject, by reason category.',
      labelNames: ['consumer', 'reason'],
      registers,
    });
    this.redeliveries = new Counter({
      name: 'agentledger_redeliveries_total',
      help: 'Messages received again after a nak or an ack timeout.',
      labelNames: ['consumer'],
      registers,
    });
    this.streamMismatches = new Counter({
      name: 'agentledger_stream_mismatches_total',
      help: 'A projection found its stream recreated or gone backwards under it and refused it (rebuild, or point it at its NATS store).',
      labelNames: ['consumer'],
      registers,
    });
    this.publishRetries = new Counter({
      name: 'agentledger_publish_retries_total',
      help: 'JetStream publishes retried after a failure (no ack in time, no responders, stream full), by stream and reason.',
      labelNames: ['stream', 'reason'],
      registers,
    });
    this.publishFailures = new Counter({
      name: 'agentledger_publish_failures_total',
      help: 'JetStream publishes that failed after their last retry and were reported to the caller (who naks, rolls back or keeps the message), by stream and reason.',
      labelNames: ['stream', 'reason'],
      registers,
    });
    this.registerStreamGauges(registers);
  }

  /**
   * Reports JetStream storage per stream on every scrape, from `source` (the server's stream
   * info), asked at most once a second however many gauges read it.
   */
  watchStreams(source: () => Promise<readonly StreamUsage[]>): void {
    let cached: { at: number; usage: Promise<readonly StreamUsage[]> } | undefined;
    this.streamSource = () => {
      const now = Date.now();
      if (!cached || now - cached.at > 1_000) cached = { at: now, usage: source().catch(() => []) };
      return cached.usage;
    };
  }

  publishHooks(): PublishHooks {
    return {
      onRetry: (stream, reason) => this.publishRetries.inc({ stream: this.boundedLabel(stream), reason: this.boundedLabel(reason) }),
      onFailure: (stream, reason) => this.publishFailures.inc({ stream: this.boundedLabel(stream), reason: this.boundedLabel(reason) }),
    };
  }

  private registerStreamGauges(registers: Registry[]): void {
    const usage = async (): Promise<readonly StreamUsage[]> => (this.streamSource ? this.streamSource() : []);
    const gauge = (name: string, help: string, value: (stream: StreamUsage) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['stream'],
        registers,
        async collect() {
          this.reset();
          for (const stream of await usage()) {
            const figure = value(stream);
            if (figure !== undefined && Number.isFinite(figure)) this.set({ stream: stream.stream }, figure);
          }
        },
      });
    gauge('agentledger_stream_bytes', 'JetStream storage used by the stream, in bytes.', (stream) => stream.bytes);
    gauge('agentledger_stream_messages', 'Messages stored in the stream.', (stream) => stream.messages);
    gauge('agentledger_stream_max_bytes', "The stream's byte limit (absent when it has none).", (stream) => (stream.maxBytes > 0 ? stream.maxBytes : undefined));
    gauge('agentledger_stream_used_ratio', "Bytes used over the stream's byte limit (1 = full: a discard-new stream refuses publishes).", (stream) =>
      stream.maxBytes > 0 ? stream.bytes / stream.maxBytes : undefined,
    );
  }

  private boundedLabel(value: string): string {
    return REASON_CATEGORY.test(value) ? value : OTHER_REASON;
  }

  get registry(): Registry {
    return this.ownRegistry;
  }

  /** The `Content-Type` of `metricsText()`. */
  get contentType(): string {
    return this.ownRegistry.contentType;
  }

  metricsText(): Promise<string> {
    return this.ownRegistry.metrics();
  }

  consumerHooks(consumer: string): ConsumerHooks {
    const labels = { consumer };
    // Series exist at 0 from the start, so rate() and absent() work before the first event.
    this.eventsApplied.inc(labels, 0);
    this.redeliveries.inc(labels, 0);
    return {
      onApplied: (count) => {
        // A metrics hook must never throw into the consumer loop (prom-client throws on < 0).
        if (Number.isFinite(count) && count > 0) this.eventsApplied.inc(labels, count);
      },
      onBatchLatency: (seconds) => {
        if (Number.isFinite(seconds) && seconds >= 0) this.batchLatency.observe(labels, seconds);
      },
      onDeadLetter: (reasonCategory) => {
        this.deadLetters.inc({ consumer, reason: this.boundedReason(reasonCategory) });
      },
      onRedelivery: () => {
        this.redeliveries.inc(labels);
      },
      onPending: (count) => {
        if (Number.isFinite(count)) this.consumerPending.set(labels, count);
      },
    };
  }

  /** Keeps `reason` low-cardinality even if a caller passes an error message by mistake. */
  private boundedReason(reason: string): string {
    if (!REASON_CATEGORY.test(reason)) return OTHER_REASON;
    if (this.reasonCategories.has(reason)) return reason;
    if (this.reasonCategories.size >= MAX_REASON_CATEGORIES) return OTHER_REASON;
    this.reasonCategories.add(reason);
    return reason;
  }
}
