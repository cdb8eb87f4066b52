import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { cloudEvent, type CloudEvent, type CommonFields, type EventDataByType, type EventOptions, type EventType } from './events.js';
import { type CheckReply, type CheckRequest, type CheckScope } from './check.js';
import { ControlClient, type OnUnavailable } from './control-client.js';
import { guardedCall, type GuardedCall, type GuardedOutcome } from './guard.js';
import { watchPauseBucket, type Pause, type PauseListener, type PauseWatch } from './pauses.js';
import { DEFAULT_QUEUE_LIMITS, EventQueue, type DropReason, type QueueFullPolicy } from './event-queue.js';

export interface AgentLedgerOptions extends CommonFields {
  /** Your tenant, the `<tenant>` of `finops.in.<tenant>.batch`. */
  tenant: string;
  /** Who emits, e.g. `agent://support-bot`. Default: `agent://<agentId>`. */
  source?: string;
  /** An open connection, or servers to connect to (default nats://127.0.0.1:4222). */
  nc?: NatsConnection;
  servers?: string | string[];
  /**
   * The tenant's agent credential on a NATS server with authorization (`npm run nats-auth` writes
   * one per tenant). Without one the server must admit anonymous clients (`npm start`'s does).
   */
  user?: string;
  password?: string;
  /** A NATS token instead of `user`/`password`. */
  token?: string;
  /** PEM CA file that signs the server's certificate (TLS). */
  tlsCaFile?: string;
  /**
   * Where replies arrive. Default `_INBOX_agent_<tenant>` with a `user` (the only inbox an agent
   * credential may read, so no tenant hears another's replies), else NATS's `_INBOX`.
   */
  inboxPrefix?: string;
  /** Flush when this many events are waiting (default 100, at most 1000). */
  maxBatch?: number;
  /** Flush at least this often, in ms (default 1000; 0 disables the timer). */
  flushIntervalMs?: number;
  /** Publish attempts before `flush()` rejects (default 5), with exponential backoff. */
  attempts?: number;
  /** Events waiting to be published at most (default 10,000); see `onQueueFull`. */
  maxQueuedEvents?: number;
  /** Bytes of events waiting at most (default 16 MiB); see `onQueueFull`. */
  maxQueuedBytes?: number;
  /**
   * When the queue is full (NATS unreachable for long): 'drop-oldest' (default) drops the oldest
   * waiting event, counted in `stats().dropped.queue_full` and told to `onDrop`; 'throw' makes
   * `record` (and `llmCall`, …) throw `QueueFull` without queueing the new event.
   */
  onQueueFull?: QueueFullPolicy;
  /** Told of every event dropped unpublished: `queue_full`, or `oversize` (larger than the server's max payload). */
  onDrop?: (reason: DropReason, event: CloudEvent) => void;
  /** Prefix of every subject (tests run in a namespace, e.g. "t3f9a."). */
  subjectPrefix?: string;
  /** The control plane's KV bucket of pauses (default `finops_control`; a test namespace's is e.g. `T3F9A_finops_control`). */
  controlBucket?: string;
  /** How long a check or release waits for its answer, in ms (default 2000). */
  checkTimeoutMs?: number;
  /**
   * What `check` does when no control plane answers (no responder, a timeout): 'throw' a
   * ControlPlaneUnavailable (default), 'allow' the call (fail open) or 'block' it (fail closed).
   */
  onUnavailable?: OnUnavailable;
}

const COMMON_FIELDS = ['agentId', 'traceId', 'spanId', 'parentSpanId', 'team', 'workflow', 'environment', 'agentVersion', 'attributes'] as const;
const commonFieldsOf = (options: AgentLedgerOptions): CommonFields =>
  Object.fromEntries(COMMON_FIELDS.filter((field) => options[field] !== undefined).map((field) => [field, options[field]])) as CommonFields;

/** NATS's default max payload, when the server did not say. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** Ingestion reads a raw message of at most 1 MiB: a batch is cut to fit it whatever the server allows. */
const INTAKE_MAX_BODY = 1024 * 1024;

/** The client options of a connection the SDK opens itself: servers, credentials, inbox. */
export function connectionOptions(options: AgentLedgerOptions): NodeConnectionOptions {
  const inboxPrefix = options.inboxPrefix ?? (options.user ? `_INBOX_agent_${options.tenant}` : undefined);
  return {
    servers: options.servers ?? 'nats://127.0.0.1:4222',
    ...(options.user ? { user: options.user, pass: options.password ?? '' } : {}),
    ...(options.token ? { token: options.token } : {}),
    ...(options.tlsCaFile ? { tls: { caFile: options.tlsCaFile } } : {}),
    ...(inboxPrefix ? { inboxPrefix } : {}),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Records an agent's events and publishes them in batches to JetStream (`finops.in.<tenant>.batch`),
 * waiting for the stream's ack and retrying with backoff. Each batch carries a msgID made of its
 * event ids, so a retried publish is not stored twice; AgentLedger deduplicates every event by
 * (tenant, source, id) forever anyway.
 */
export class AgentLedger {
  private readonly queue: EventQueue;
  private published = 0;
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private js?: JetStreamClient;
  private ownConnection = false;
  private readonly common: CommonFields;
  private readonly control: ControlClient;
  private pauseWatch?: PauseWatch;
  private pauseWatchStarting = false;

  private constructor(
    private readonly options: AgentLedgerOptions,
    private nc: NatsConnection,
  ) {
    this.common = commonFieldsOf(options);
    this.queue = new EventQueue(
      {
        maxEvents: options.maxQueuedEvents ?? DEFAULT_QUEUE_LIMITS.maxEvents,
        maxBytes: options.maxQueuedBytes ?? DEFAULT_QUEUE_LIMITS.maxBytes,
        onFull: options.onQueueFull ?? DEFAULT_QUEUE_LIMITS.onFull,
      },
      options.onDrop,
    );
    const { agentId, team, workflow, environment } = this.common;
    this.control = new ControlClient({
      nc,
      tenant: options.tenant,
      subjectPrefix: options.subjectPrefix ?? '',
      defaults: { agentId, team, workflow, environment },
      timeoutMs: options.checkTimeoutMs ?? 2_000,
      onUnavailable: options.onUnavailable ?? 'throw',
    });
    const interval = options.flushIntervalMs ?? 1_000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.flush().catch(() => undefined), interval);
      this.timer.unref();
    }
  }

  static async connect(options: AgentLedgerOptions): Promise<AgentLedger> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(options.tenant)) throw new Error('tenant must match [A-Za-z0-9_-]{1,64}');
    if (options.onUnavailable !== undefined && !['allow', 'block', 'throw'].includes(options.onUnavailable)) throw new Error("onUnavailable must be 'allow', 'block' or 'throw'");
    if (options.onQueueFull !== undefined && !['drop-oldest', 'throw'].includes(options.onQueueFull)) throw new Error("onQueueFull must be 'drop-oldest' or 'throw'");
    const nc = options.nc ?? (await connect(connectionOptions(options)));
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

  /** Queues one event (flushing when the batch is full) and returns it; a full queue drops its oldest or throws `QueueFull` (`onQueueFull`). */
  record<T extends EventType>(type: T, data: EventDataByType[T], options?: EventOptions): CloudEvent<T> {
    const event = cloudEvent(type, data, { source: this.options.source ?? `agent://${this.common.agentId ?? 'unknown'}`, ...this.common }, options);
    this.queue.push(event);
    if (this.queue.length >= this.maxBatch()) void this.flush().catch(() => undefined);
    return event;
  }

  /** Events waiting, published and dropped unpublished (by reason) since `connect`. */
  stats(): { queued: number; queuedBytes: number; published: number; dropped: Record<DropReason, number> } {
    return { queued: this.queue.length, queuedBytes: this.queue.queuedBytes, published: this.published, dropped: { ...this.queue.dropped } };
  }

  /** Publishes what is queued; resolves once JetStream acked it (or rejects after the last attempt, keeping the events queued). */
  flush(): Promise<void> {
    this.flushing = this.flushing.catch(() => undefined).then(() => this.publishPending());
    return this.flushing;
  }

  /**
   * CONTRACT part D's pre-call check on `finops.control.check.<tenant>`: ALLOW (holding a
   * reservation of the estimate until the call's own event with the reply's `spanId` is priced) or
   * BLOCK. `agentId`, `team`, `workflow` and `environment` default from `connect`'s options.
   * Throws CheckRejected for an error reply, ControlPlaneUnavailable when no one answers (see `onUnavailable`).
   */
  check(request: CheckRequest): Promise<CheckReply> {
    return this.control.check(request);
  }

  /** Lets a reservation go (`finops.control.release.<tenant>`); `released` is false when it was settled or expired already. */
  release(reservationId: string): Promise<{ released: boolean }> {
    return this.control.release(reservationId);
  }

  /**
   * Watches the tenant's pauses in the control bucket: `listener` hears each pause already in
   * place (`initial: true`) before this resolves, then every pause and resume. Needed by `isPaused`.
   */
  async watchPauses(listener: PauseListener = () => undefined): Promise<PauseWatch> {
    if (this.pauseWatch || this.pauseWatchStarting) throw new Error('watchPauses: already watching; stop() the running watch first');
    this.pauseWatchStarting = true;
    let watch: PauseWatch;
    try {
      watch = await watchPauseBucket(this.js!, this.options.controlBucket ?? 'finops_control', this.options.tenant, listener);
    } finally {
      this.pauseWatchStarting = false;
    }
    const handle: PauseWatch = {
      pauses: () => watch.pauses(),
      covering: (agent) => watch.covering(agent),
      stop: async () => {
        if (this.pauseWatch === handle) this.pauseWatch = undefined;
        await watch.stop();
      },
    };
    this.pauseWatch = handle;
    return handle;
  }

  /** The watched pause covering the agent (scope fields default from `connect`), at once and without a round trip. */
  pauseCovering(agent: CheckScope = {}): Pause | undefined {
    if (!this.pauseWatch) throw new Error('isPaused: call watchPauses() first; it answers from the watched pauses');
    const { agentId, team, workflow, environment } = this.common;
    return this.pauseWatch.covering({ agentId, team, workflow, environment, ...definedScope(agent) });
  }

  /** Whether a watched pause covers the agent: its tenant, team, itself, its workflow or its environment. */
  isPaused(agent: CheckScope = {}): boolean {
    return this.pauseCovering(agent) !== undefined;
  }

  /**
   * A model call under the budget: stops at once when a watched pause covers the agent, checks
   * (throwing Blocked on BLOCK), makes the call, and records its `llm.call` with the check's spanId
   * so the priced event settles the reservation; releases the reservation when the call throws.
   */
  guard<T>(request: GuardedCall, call: (reply: CheckReply) => Promise<GuardedOutcome<T>>): Promise<T> {
    return guardedCall(
      {
        pausedBy: (scope) => (this.pauseWatch ? this.pauseCovering(scope) : undefined),
        check: (checked) => this.check(checked),
        release: (reservationId) => this.release(reservationId),
        recordCall: (data) => this.llmCall(data),
      },
      request,
      call,
    );
  }

  /** Flushes, stops the timer and the pause watch, and closes the connection if the SDK opened it. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.pauseWatch?.stop();
    await this.flush();
    if (this.ownConnection) await this.nc.drain();
  }

  private maxBatch(): number {
    return Math.min(this.options.maxBatch ?? 100, 1_000);
  }

  /** Publishes the queue batch by batch, each cut to fit `maxBatch` and the server's max payload. */
  private async publishPending(): Promise<void> {
    for (;;) {
      const batch = this.queue.peekBatch(this.maxBatch(), Math.min(this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD, INTAKE_MAX_BODY));
      if (!batch) return;
      try {
        await this.publishBatch(batch.events, batch.payload);
      } catch (error) {
        this.queue.release();
        throw error;
      }
      this.queue.remove(batch.events.length);
      this.published += batch.events.length;
    }
  }

  private async publishBatch(batch: CloudEvent[], payload: Uint8Array): Promise<void> {
    const subject = `${this.options.subjectPrefix ?? ''}finops.in.${this.options.tenant}.batch`;
    const headers = natsHeaders();
    headers.set('Content-Type', 'application/cloudevents-batch+json');
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

const definedScope = (agent: CheckScope): CheckScope => Object.fromEntries(Object.entries(agent).filter(([, value]) => value !== undefined));

async function batchId(batch: CloudEvent[]): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(batch.map((event) => `${event.source}\u0000${event.id}`).join('\n')));
  return `sdk:${Buffer.from(digest).toString('base64url')}`;
}
