import { createHash } from 'node:crypto';
import type { JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';

/**
 * Many events in one JetStream message, on the internal streams (facts, costs) only: a stage
 * publishes one message per batch and tenant instead of one per event, and every consumer pays
 * its per-message costs (delivery, ack, stream storage) once per bundle. The public intake
 * (`finops.in.>`) is untouched.
 *
 * The wire format is protobuf's `repeated bytes items = 1`: each item is exactly the bytes a
 * single-event message would carry, so an item dead-lettered alone keeps its own bytes, and a
 * consumer decodes it with the codec it already has. `BatchConsumer` opens bundles itself: a
 * read model's `decode` sees one event per message either way.
 */
export const BUNDLE_CONTENT_TYPE = 'application/x-agentledger-bundle';
/** The content type of every item of a bundle (what a single-event message would announce). */
export const BUNDLE_ITEM_TYPE_HEADER = 'AgentLedger-Item-Type';
/** How many items a bundle holds, for `nats stream view` and metrics. */
export const BUNDLE_COUNT_HEADER = 'AgentLedger-Items';
/**
 * Small next to NATS's max payload (1 MiB by default), so a bundle always fits on any server,
 * and a consumer's pull-ahead (up to two batches of messages) holds a bounded number of bytes:
 * about 150 facts or costs a bundle, which already amortises the per-message costs.
 */
export const DEFAULT_BUNDLE_MAX_BYTES = 64 * 1024;

const ITEM_TAG = 0x0a; // field 1, wire type 2 (length-delimited)

/** The items' bytes as one bundle payload. */
export function encodeBundle(items: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const item of items) size += 1 + varintLength(item.length) + item.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const item of items) {
    out[at++] = ITEM_TAG;
    for (let length = item.length; ; ) {
      if (length < 0x80) {
        out[at++] = length;
        break;
      }
      out[at++] = (length & 0x7f) | 0x80;
      length >>>= 7;
    }
    out.set(item, at);
    at += item.length;
  }
  return out;
}

/** The items of a bundle payload (views into it, not copies); throws on bytes that are not one. */
export function decodeBundle(bytes: Uint8Array): Uint8Array[] {
  const items: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes[at++] !== ITEM_TAG) throw new Error(`not a bundle: unexpected field tag at byte ${at - 1}`);
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= bytes.length || shift > 28) throw new Error('not a bundle: truncated item length');
      const byte = bytes[at++]!;
      length += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    if (at + length > bytes.length) throw new Error(`not a bundle: item of ${length} bytes runs past the end`);
    items.push(bytes.subarray(at, at + length));
    at += length;
  }
  return items;
}

/** Items grouped so each group's bundle stays within `maxBytes` (an item larger than that travels alone). */
export function groupForBundles<T>(items: readonly T[], sizeOf: (item: T) => number, maxBytes = DEFAULT_BUNDLE_MAX_BYTES): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let size = 0;
  for (const item of items) {
    const itemSize = sizeOf(item) + 6;
    if (group.length > 0 && size + itemSize > maxBytes) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(item);
    size += itemSize;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** One item to bundle: its bytes and the key a consumer dedupes it on. */
export interface BundleItem {
  readonly key: string;
  readonly payload: Uint8Array;
}

/** A bundle ready to publish or stage: `msgId` is a digest of its items' keys, so the same bundle published twice is one message. */
export interface BundleMessage {
  readonly subject: string;
  readonly msgId: string;
  readonly payload: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The bundles carrying `items` on `subject`, each within `maxBytes`. Items are in the order
 * given; every consumer keys them by their own identity, so a bundle redelivered, republished,
 * or cut differently after a retry changes nothing downstream.
 */
export function bundleMessages(subject: string, itemContentType: string, items: readonly BundleItem[], maxBytes = DEFAULT_BUNDLE_MAX_BYTES): BundleMessage[] {
  return groupForBundles(items, (item) => item.payload.length, maxBytes).map((group) => {
    const digest = createHash('sha256');
    for (const item of group) digest.update(item.key).update('\u0000');
    return {
      subject,
      msgId: `bundle:${digest.digest('base64url')}`,
      payload: encodeBundle(group.map((item) => item.payload)),
      headers: { 'Content-Type': BUNDLE_CONTENT_TYPE, [BUNDLE_ITEM_TYPE_HEADER]: itemContentType, [BUNDLE_COUNT_HEADER]: String(group.length) },
    };
  });
}

/** NATS headers from a plain record (what the outbox stores). */
export function headersOf(record: Readonly<Record<string, string>>): MsgHdrs {
  const headers = natsHeaders();
  for (const [name, value] of Object.entries(record)) headers.set(name, value);
  return headers;
}

export function isBundle(msg: { readonly headers?: MsgHdrs }): boolean {
  return msg.headers?.get('Content-Type') === BUNDLE_CONTENT_TYPE;
}

/**
 * One item of a bundle seen as a message of its own: its own bytes, its position (`part`), and
 * the bundle's subject, stream sequence and delivery count. Acks are the bundle's: it is acked
 * once every item is acked (applied or dead-lettered), and nak'ed — all of it redelivered — as
 * soon as one item is; items applied already are skipped by their consumer's idempotency.
 */
export class BundlePart implements JsMsg {
  constructor(
    readonly bundle: BundleTracker,
    readonly part: number,
    readonly data: Uint8Array,
  ) {}

  get redelivered() {
    return this.bundle.msg.redelivered;
  }
  get info() {
    return this.bundle.msg.info;
  }
  get seq() {
    return this.bundle.msg.seq;
  }
  get subject() {
    return this.bundle.msg.subject;
  }
  get sid() {
    return this.bundle.msg.sid;
  }
  get time() {
    return this.bundle.msg.time;
  }
  get timestamp() {
    return this.bundle.msg.timestamp;
  }
  get timestampNanos() {
    return this.bundle.msg.timestampNanos;
  }
  /** The bundle's headers, announcing the item's own content type. */
  get headers(): MsgHdrs {
    return this.bundle.itemHeaders();
  }

  ack(): void {
    this.bundle.settle();
  }
  nak(millis?: number): void {
    this.bundle.fail(millis);
  }
  working(): void {
    this.bundle.msg.working();
  }
  next(): void {
    throw new Error('next() is not supported on an item of a bundle');
  }
  term(reason?: string): void {
    this.bundle.term(reason);
  }
  ackAck(): Promise<boolean> {
    this.ack();
    return Promise.resolve(true);
  }
  json<T>(): T {
    return JSON.parse(new TextDecoder().decode(this.data)) as T;
  }
  string(): string {
    return new TextDecoder().decode(this.data);
  }
}

/** The ack state of one bundle shared by its items. */
export class BundleTracker {
  private unsettled: number;
  private done = false;
  private headers?: MsgHdrs;

  constructor(
    readonly msg: JsMsg,
    items: number,
  ) {
    this.unsettled = items;
  }

  settle(): void {
    if (this.done) return;
    if (--this.unsettled === 0) {
      this.done = true;
      this.msg.ack();
    }
  }

  fail(millis?: number): void {
    if (this.done) return;
    this.done = true;
    this.msg.nak(millis);
  }

  term(reason?: string): void {
    if (this.done) return;
    this.done = true;
    this.msg.term(reason);
  }

  itemHeaders(): MsgHdrs {
    if (!this.headers) {
      this.headers = natsHeaders();
      for (const name of this.msg.headers?.keys() ?? []) for (const value of this.msg.headers!.values(name)) this.headers.append(name, value);
      this.headers.set('Content-Type', this.msg.headers?.get(BUNDLE_ITEM_TYPE_HEADER) || 'application/octet-stream');
    }
    return this.headers;
  }
}

/**
 * The messages a delivery stands for: itself, or each item of a bundle. A bundle that cannot
 * be opened throws (the caller dead-letters it whole: its bytes are all there is).
 */
export function openBundle(msg: JsMsg): JsMsg[] {
  if (!isBundle(msg)) return [msg];
  const items = decodeBundle(msg.data);
  if (items.length === 0) throw new Error('an empty bundle');
  const tracker = new BundleTracker(msg, items.length);
  return items.map((item, part) => new BundlePart(tracker, part, item));
}

/** The whole JetStream message behind a delivery (a bundle's, for one of its items). */
export function wholeMessage(msg: JsMsg): JsMsg {
  return msg instanceof BundlePart ? msg.bundle.msg : msg;
}

/** The bytes of every event a message carries (for tools and tests that read a stream directly). */
export function eventPayloads(msg: { readonly data: Uint8Array; readonly headers?: MsgHdrs }): Uint8Array[] {
  return isBundle(msg) ? decodeBundle(msg.data) : [msg.data];
}

function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value >>>= 7;
    length++;
  }
  return length;
}
