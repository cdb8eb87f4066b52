import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { cloudEvent, type CloudEvent, type CommonFields, type EventDataByType, type EventOptions, type EventType } from './events.js';

export interface AgentLedgerOptions extends CommonFields {
  /** Your tenant, the `<tenant>` of `finops.in.<tenant>.batch`. */
  tenant: string;
  /** Who emits, e.g. `agent://support-bot`. Default: `agent://<agentId>`. */
  source?: string;
  /** An open connection, or servers to connect to (default nats://127.0.0.1:4222). */
  nc?: NatsConnection;
  servers?: string | string[];
  /** Flush when this many events are waiting (default 100, at most 1000). */
  maxBatch?: number;
  /** Flush at least this often, in ms (default 1000; 0 disables the timer). */
  flushIntervalMs?: number;
  /** Publish attempts before `flush()` rejects (default 5), with exponential backoff. */
  attempts?: number;
  /** Prefix of every subject (tests run in a namespace, e.g. "t3f9a."). */
  subjectPrefix?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Records an agent's events and publishes them in batches to JetStream (`finops.in.<tenant>.batch`),
 * waiting for the stream's ack and retrying with backoff. Each batch carries a msgID made of its
 * event ids, so a retried publish is not stored twice; AgentLedger deduplicates every event by
 * (tenant, source, id) forever anyway.
 */
export class AgentLedger {
  private pending: CloudEvent[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private js?: JetStreamClient;
  private ownConnection = false;

  private constructor(
    private readonly options: AgentLedgerOptions,
    private nc: NatsConnection,
  ) {
    const interval = options.flushIntervalMs ?? 1_000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.flush().catch(() => undefined), interval);
      this.timer.unref();
    }
  }

  static async connect(options: AgentLedgerOptions): Promise<AgentLedger> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(options.tenant)) throw new Error('tenant must match [A-Za-z0-9_-]{1,64}');
    const nc = options.nc ?? (await connect({ servers: options.servers ?? 'nats://127.0.0.1:4222' }));
    const ledger = new AgentLedger(options, nc);
    ledger.ownConnection = !options.nc;
    ledger.js = jetstream(nc);
    return ledger;
  }

  llmCall(data: EventDataByType['llm.call'], options?: EventOptions) {
    return this.record('llm.call', data, options);
  }
  toolCall(data: EventDataByType['tool.call'], options?: EventOptions) {
    return this.record('tool.call', data, options);
  }
  runStarted(data: EventDataByType['run.started'], options?: EventOptions) {
    return this.record('run.started', data, options);
  }
  runFinished(data: EventDataByType['run.finished'], options?: EventOptions) {
    return this.record('run.finished', data, options);
  }
  outcome(data: EventDataByType['outcome.recorded'], options?: EventOptions) {
    return this.record('outcome.recorded', data, options);
  }
  evaluation(data: EventDataByType['evaluation.scored'], options?: EventOptions) {
    return this.record('evaluation.scored', data, options);
  }
  saasUsage(data: EventDataByType['saas.usage'], options?: EventOptions) {
    return this.record('saas.usage', data, options);
  }
  registerAgent(data: EventDataByType['agent.registered'], options?: EventOptions) {
    return this.record('agent.registered', data, options);
  }

  /** Queues one event (flushing when the batch is full) and returns it. */
  record<T extends EventType>(type: T, data: EventDataByType[T], options?: EventOptions): CloudEvent<T> {
    const { tenant: _tenant, source, nc: _nc, servers: _servers, maxBatch: _max, flushIntervalMs: _interval, attempts: _attempts, subjectPrefix: _prefix, ...common } = this.options;
    const event = cloudEvent(type, data, { source: source ?? `agent://${common.agentId ?? 'unknown'}`, ...common }, options);
    this.pending.push(event);
    if (this.pending.length >= Math.min(this.options.maxBatch ?? 100, 1_000)) void this.flush().catch(() => undefined);
    return event;
  }

  /** Publishes what is queued; resolves once JetStream acked it (or rejects after the last attempt, keeping the events queued). */
  flush(): Promise<void> {
    this.flushing = this.flushing.catch(() => undefined).then(() => this.publishPending());
    return this.flushing;
  }

  /** Flushes, stops the timer, and closes the connection if the SDK opened it. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    if (this.ownConnection) await this.nc.drain();
  }

  private async publishPending(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, Math.min(this.options.maxBatch ?? 100, 1_000));
      await this.publishBatch(batch);
      this.pending.splice(0, batch.length);
    }
  }

  private async publishBatch(batch: CloudEvent[]): Promise<void> {
    const subject = `${this.options.subjectPrefix ?? ''}finops.in.${this.options.tenant}.batch`;
    const headers = natsHeaders();
    headers.set('Content-Type', 'application/cloudevents-batch+json');
    const payload = new TextEncoder().encode(JSON.stringify(batch));
    const msgID = await batchId(batch);
    const attempts = this.options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.js!.publish(subject, payload, { msgID, headers });
        return;
      } catch (error) {
        if (attempt >= attempts) throw error;
        await sleep(Math.min(100 * 2 ** (attempt - 1), 5_000));
      }
    }
  }
}

async function batchId(batch: CloudEvent[]): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(batch.map((event) => `${event.source}\u0000${event.id}`).join('\n')));
  return `sdk:${Buffer.from(digest).toString('base64url')}`;
}
