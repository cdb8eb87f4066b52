import { headers as natsHeaders } from '@nats-io/transport-node';
import { typeToken, type EventType } from '@agentledger/contracts';
import { PermanentError, subjects, type DeadLetterPublisher, type JetStreamPublisher, type Namespace } from '@agentledger/jetstream';
import { factFromCloudEvent, type Arrival } from '../intake/cloud-event.js';
import { ledgerKeyOf } from '../intake/dedupe-ledger.js';
import { Violation } from '../intake/field-checks.js';
import { MAX_BATCH_EVENTS } from '../intake/raw-message.js';
import { CHANNEL_HEADER } from '../intake/raw-intake.js';

export interface EventResult {
  readonly index: number;
  readonly id?: string;
  readonly status: 'accepted' | 'rejected';
  readonly reason?: string;
}

export interface IntakeAnswer {
  readonly accepted: number;
  readonly rejected: number;
  readonly results: EventResult[];
}

export interface EventIntakeDeps {
  readonly ns: Namespace;
  readonly publisher: JetStreamPublisher;
  readonly deadLetters: DeadLetterPublisher;
  readonly service: string;
  readonly clock?: () => Date;
  readonly onDeadLetter?: (category: string) => void;
}

/**
 * The HTTP ports' way in (CloudEvents, OTLP, SaaS imports): validate each event exactly as the
 * NATS intake does, answer per event, and hand the accepted ones to `finops.in.<tenant>.<type>`
 * (JetStream-acked before the answer), where the one intake applies them through the one
 * dedupe ledger. Rejections go to the dead-letter stream with their reason and bytes.
 */
export class EventIntake {
  constructor(private readonly deps: EventIntakeDeps) {}

  async submit(tenant: string, channel: Arrival['channel'], events: readonly unknown[], origin: string): Promise<IntakeAnswer> {
    if (events.length > MAX_BATCH_EVENTS) throw new PermanentError(`body: a batch must hold at most ${MAX_BATCH_EVENTS} events (got ${events.length})`, 'oversize');
    const receivedAt = (this.deps.clock ?? (() => new Date()))();
    const results: EventResult[] = [];
    const accepted: Array<{ subject: string; payload: Uint8Array; options: { msgID: string; headers: ReturnType<typeof natsHeaders> } }> = [];
    const rejected: Array<{ reason: string; original: Uint8Array }> = [];
    events.forEach((event, index) => {
      const id = typeof (event as { id?: unknown })?.id === 'string' ? ((event as { id: string }).id as string) : undefined;
      const original = new TextEncoder().encode(JSON.stringify(event) ?? 'null');
      try {
        const fact = factFromCloudEvent(event, { tenant, receivedAt, channel });
        const headers = natsHeaders();
        headers.set('Content-Type', 'application/cloudevents+json');
        headers.set(CHANNEL_HEADER, channel);
        accepted.push({ subject: subjects.rawEvent(this.deps.ns, tenant, typeToken(fact.type as EventType)), payload: original, options: { msgID: ledgerKeyOf(fact), headers } });
        results.push({ index, id, status: 'accepted' });
      } catch (error) {
        if (!(error instanceof Violation)) throw error;
        const reason = events.length > 1 ? `events[${index}].${error.message}` : error.message;
        rejected.push({ reason, original });
        results.push({ index, id, status: 'rejected', reason });
      }
    });
    await this.deps.publisher.publishAll(accepted);
    for (const { reason, original } of rejected) await this.deadLetter(tenant, reason, original, origin);
    return { accepted: accepted.length, rejected: rejected.length, results };
  }

  /** A whole request refused (bad JSON, oversize): dead-lettered with its bytes, like a raw message. */
  async deadLetter(tenant: string | undefined, reason: string, original: Uint8Array, origin: string): Promise<void> {
    await this.deps.deadLetters.publish({ service: this.deps.service, reason, tenant, subject: origin, original, receivedAt: new Date() });
    this.deps.onDeadLetter?.('invalid');
  }
}
