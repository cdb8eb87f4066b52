import type { JsMsg } from '@nats-io/jetstream';
import { factCodec, type CanonicalFact } from '@agentledger/contracts';
import {
  BatchConsumer,
  bundleMessages,
  CONSUMERS,
  headersOf,
  rejectionOf,
  subjects,
  tenantFromSubject,
  type ConsumerHooks,
  type ConsumerLogger,
  type DeadLetterPublisher,
  type Delivery,
  type JetStreamPublisher,
  type Namespace,
} from '@agentledger/jetstream';
import { applyOnce, type SqlExecutor, type TransactionalDb } from '@agentledger/projections';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Worker } from '@agentledger/service-kit';
import { factFromCloudEvent, type Arrival } from './cloud-event.js';
import { DEDUPE_LEDGER, ledgerKeyOf, RecentKeys } from './dedupe-ledger.js';
import { Violation } from './field-checks.js';
import { addressOf, arrayElementBytes, checkRoute, eventsOf } from './raw-message.js';

/** An event of a raw message that failed validation: why, and its own bytes. */
export interface RejectedEvent {
  readonly reason: string;
  /** The event's exact bytes: the whole message, or its element of a batch. */
  readonly original: Uint8Array;
}

/** One raw message, validated: the facts it holds and the events it had to reject. */
export interface IntakeMessage {
  readonly facts: CanonicalFact[];
  readonly rejections: RejectedEvent[];
}

/** Set by ingestion's own HTTP ports when they hand an event to `finops.in.>`. */
export const CHANNEL_HEADER = 'AgentLedger-Channel';
const CHANNELS = new Set<Arrival['channel']>(['nats', 'http', 'otlp', 'saas-import']);

function channelOf(value: string | undefined): Arrival['channel'] {
  return value && CHANNELS.has(value as Arrival['channel']) ? (value as Arrival['channel']) : 'nats';
}

/** Validates every event of a raw message; whole-message problems throw a PermanentError. */
export function readRawMessage(
  ns: Namespace,
  msg: { subject: string; data: Uint8Array; contentType?: string; channel?: string },
  receivedAt: Date,
): IntakeMessage {
  const address = addressOf(ns, msg.subject);
  const events = eventsOf(msg.data, address.route, msg.contentType);
  const facts: CanonicalFact[] = [];
  const rejections: RejectedEvent[] = [];
  const batch = address.route === 'batch';
  let elements: Uint8Array[] | undefined;
  events.forEach((event, index) => {
    try {
      const fact = factFromCloudEvent(event, { tenant: address.tenant, receivedAt, channel: channelOf(msg.channel) });
      checkRoute(address.route, fact.type);
      facts.push(fact);
    } catch (error) {
      if (!(error instanceof Violation)) throw error;
      if (!batch) {
        rejections.push({ reason: error.message, original: msg.data });
        return;
      }
      // Split only when the batch has a rejection: the valid path never pays for it.
      elements ??= arrayElementBytes(msg.data);
      rejections.push({ reason: `events[${index}].${error.message}`, original: elements[index] ?? msg.data });
    }
  });
  return { facts, rejections };
}

export interface RawIntakeDeps {
  readonly js: JetStreamClient;
  readonly ns: Namespace;
  readonly db: TransactionalDb<SqlExecutor>;
  readonly publisher: JetStreamPublisher;
  readonly deadLetters: DeadLetterPublisher;
  readonly service: string;
  readonly hooks?: ConsumerHooks;
  readonly logger?: ConsumerLogger;
  readonly clock?: () => Date;
  /** Bounded memory of recently committed ledger keys (a fast path, never the truth). */
  readonly recentKeys?: RecentKeys;
  /** Duplicates dropped, by where they were recognised. */
  readonly onDuplicates?: (where: 'memory' | 'ledger', count: number) => void;
}

/**
 * Raw agent events (`finops.in.>`) → canonical facts (`finops.facts.>`). Per batch, in one
 * transaction: record the dedupe keys, publish the facts seen for the first time (msgID =
 * key), dead-letter the rejected events; commit, then ack. Valid events of a message count
 * even when others in it are rejected.
 */
export class RawIntake implements Worker {
  readonly name = 'ingestion-intake';
  private readonly consumer: BatchConsumer<IntakeMessage>;
  private readonly recentKeys: RecentKeys;

  constructor(private readonly deps: RawIntakeDeps) {
    const clock = deps.clock ?? (() => new Date());
    this.recentKeys = deps.recentKeys ?? new RecentKeys();
    this.consumer = new BatchConsumer<IntakeMessage>({
      js: deps.js,
      ns: deps.ns,
      spec: CONSUMERS.ingestion,
      service: deps.service,
      deadLetters: deps.deadLetters,
      decode: (msg) =>
        readRawMessage(
          deps.ns,
          { subject: msg.subject, data: msg.data, contentType: msg.headers?.get('Content-Type') || undefined, channel: msg.headers?.get(CHANNEL_HEADER) },
          clock(),
        ),
      apply: (batch) => this.apply(batch),
      // While the ledger's database is unreachable, fetching stops until this answers.
      probe: () => deps.db.$transaction((tx) => tx.$queryRawUnsafe('SELECT 1')),
      hooks: deps.hooks,
      logger: deps.logger,
    });
  }

  get isBound(): boolean {
    return this.consumer.isBound;
  }

  start(): void {
    this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async apply(batch: ReadonlyArray<Delivery<IntakeMessage>>): Promise<void> {
    const keyed = batch.flatMap((delivery) => delivery.value.facts.map((fact) => ({ key: ledgerKeyOf(fact), event: fact })));
    const unseen = keyed.filter((item) => !this.recentKeys.has(item.key));
    if (unseen.length < keyed.length) this.deps.onDuplicates?.('memory', keyed.length - unseen.length);
    // Each fact's ledger key is hashed once: for the ledger and for its bundle's msgID.
    const keys = new Map(unseen.map((item) => [item.event, item.key]));
    const result = await applyOnce(this.deps.db, DEDUPE_LEDGER, unseen, async (_tx, facts) => {
      await this.deps.publisher.publishAll(factMessages(this.deps.ns, facts, (fact) => keys.get(fact)!));
    });
    this.recentKeys.remember(unseen.map((item) => item.key));
    if (result.skipped > 0) this.deps.onDuplicates?.('ledger', result.skipped);
    // After the commit, before the ack: a failure here redelivers the batch, whose facts the
    // ledger then skips, and whose dead letters JetStream deduplicates by msgID.
    await this.deadLetterRejections(batch);
  }

  private async deadLetterRejections(batch: ReadonlyArray<Delivery<IntakeMessage>>): Promise<void> {
    for (const { msg, value } of batch) {
      for (const [part, rejected] of value.rejections.entries()) await this.deadLetter(msg, rejected, part);
    }
  }

  /** One dead letter per rejected event, with that event's own bytes. */
  private async deadLetter(msg: JsMsg, rejected: RejectedEvent, part: number): Promise<void> {
    const rejection = rejectionOf(msg, this.deps.service, rejected.reason, tenantFromSubject(this.deps.ns, msg.subject));
    await this.deps.deadLetters.publish({ ...rejection, original: rejected.original, part });
    this.deps.hooks?.onDeadLetter?.('invalid');
  }
}

/**
 * Facts as they leave ingestion: bundled (`bundle.ts`), a bundle per tenant (and per 64 KiB)
 * on `finops.facts.<tenant>.bundle`, each fact keyed by its ledger key. One JetStream message
 * per bundle instead of one per fact, for ingestion and for each of the facts' consumers.
 */
export function factMessages(ns: Namespace, facts: readonly CanonicalFact[], keyOf: (fact: CanonicalFact) => string = ledgerKeyOf) {
  const byTenant = new Map<string, CanonicalFact[]>();
  for (const fact of facts) (byTenant.get(fact.tenant) ?? byTenant.set(fact.tenant, []).get(fact.tenant)!).push(fact);
  return [...byTenant].flatMap(([tenant, group]) =>
    bundleMessages(
      subjects.factBundle(ns, tenant),
      factCodec.contentType,
      group.map((fact) => ({ key: keyOf(fact), payload: factCodec.encode(fact) })),
    ).map((bundle) => ({ subject: bundle.subject, payload: bundle.payload, options: { msgID: bundle.msgId, headers: headersOf(bundle.headers) } })),
  );
}
