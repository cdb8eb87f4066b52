import type { CloudEvent } from './events.js';

/** What `record` does when the queue is full: drop the oldest queued event (default), or throw `QueueFull`. */
export type QueueFullPolicy = 'drop-oldest' | 'throw';

export interface QueueLimits {
  /** Events waiting at most (default 10,000). */
  readonly maxEvents: number;
  /** Bytes of JSON waiting at most (default 16 MiB). */
  readonly maxBytes: number;
  readonly onFull: QueueFullPolicy;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = { maxEvents: 10_000, maxBytes: 16 * 1024 * 1024, onFull: 'drop-oldest' };

/** Why events left the queue without being published. */
export type DropReason = 'queue_full' | 'oversize';

/** Thrown by `record` under `onFull: 'throw'`: the event was not queued. */
export class QueueFull extends Error {
  constructor(readonly limits: QueueLimits) {
    super(`AgentLedger queue full (${limits.maxEvents} events or ${limits.maxBytes} bytes waiting): the events are not reaching NATS; see flush()`);
    this.name = 'QueueFull';
  }
}

interface Queued {
  readonly event: CloudEvent;
  readonly json: string;
  readonly bytes: number;
}

const encoder = new TextEncoder();
/** Room left in a message for its headers (Content-Type, Nats-Msg-Id) and the server's own. */
const HEADER_ROOM = 4 * 1024;

/**
 * The events waiting to be published, bounded in count and bytes. Batches are cut to fit both
 * `maxBatch` events and the server's max payload; an event that could never fit one message is
 * dropped (counted as `oversize`), never retried for ever.
 */
export class EventQueue {
  private readonly queued: Queued[] = [];
  private bytes = 0;
  /** Events at the head being published now: never dropped from under the publish. */
  private inFlight = 0;
  readonly dropped: Record<DropReason, number> = { queue_full: 0, oversize: 0 };

  constructor(
    private readonly limits: QueueLimits = DEFAULT_QUEUE_LIMITS,
    private readonly onDrop: (reason: DropReason, event: CloudEvent) => void = () => undefined,
  ) {}

  get length(): number {
    return this.queued.length;
  }

  get queuedBytes(): number {
    return this.bytes;
  }

  push(event: CloudEvent): void {
    const json = JSON.stringify(event);
    const item = { event, json, bytes: encoder.encode(json).length };
    while (this.queued.length > this.inFlight && (this.queued.length + 1 > this.limits.maxEvents || this.bytes + item.bytes > this.limits.maxBytes)) {
      if (this.limits.onFull === 'throw') throw new QueueFull(this.limits);
      this.drop(this.queued.splice(this.inFlight, 1)[0]!, 'queue_full');
    }
    this.queued.push(item);
    this.bytes += item.bytes;
  }

  /**
   * The next batch from the head, without removing it: at most `maxEvents`, and its JSON array
   * within `maxPayload` less room for headers. Events too large for any message are dropped first.
   */
  peekBatch(maxEvents: number, maxPayload: number): { events: CloudEvent[]; payload: Uint8Array } | undefined {
    const room = maxPayload - HEADER_ROOM;
    while (this.queued.length > 0 && this.queued[0]!.bytes + 2 > room) this.drop(this.queued.shift()!, 'oversize');
    if (this.queued.length === 0) return undefined;
    const batch: Queued[] = [];
    let size = 2; // [ ]
    for (const item of this.queued) {
      const added = item.bytes + (batch.length > 0 ? 1 : 0);
      if (batch.length >= maxEvents || size + added > room) break;
      batch.push(item);
      size += added;
    }
    this.inFlight = batch.length;
    return { events: batch.map((item) => item.event), payload: encoder.encode(`[${batch.map((item) => item.json).join(',')}]`) };
  }

  /** Removes the batch last peeked, once it is published. */
  remove(count: number): void {
    for (const item of this.queued.splice(0, count)) this.bytes -= item.bytes;
    this.inFlight = 0;
  }

  /** The batch last peeked was not published: it stays at the head, and may be dropped again. */
  release(): void {
    this.inFlight = 0;
  }

  private drop(item: Queued, reason: DropReason): void {
    this.bytes -= item.bytes;
    this.dropped[reason] += 1;
    this.onDrop(reason, item.event);
  }
}
