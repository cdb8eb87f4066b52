import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JsMsg } from '@nats-io/jetstream';
import { BUNDLE_COUNT_HEADER, BUNDLE_ITEM_TYPE_HEADER, bundleMessages, decodeBundle, encodeBundle, eventPayloads, headersOf, openBundle } from './bundle.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('bundles', () => {
  it('round-trips items of every size, including empty ones and lengths past one varint byte', () => {
    const items = [bytes(), bytes(1), new Uint8Array(127).fill(7), new Uint8Array(128).fill(8), new Uint8Array(70_000).fill(9)];
    expect(decodeBundle(encodeBundle(items))).toEqual(items);
  });

  it('is protobuf `repeated bytes items = 1` on the wire', () => {
    expect(encodeBundle([bytes(0xaa, 0xbb), bytes()])).toEqual(bytes(0x0a, 2, 0xaa, 0xbb, 0x0a, 0));
  });

  it.each([
    ['another field', bytes(0x12, 1, 0)],
    ['a truncated length', bytes(0x0a, 0x80)],
    ['an item past the end', bytes(0x0a, 5, 1, 2)],
  ])('refuses bytes that are not a bundle: %s', (_name, wire) => {
    expect(() => decodeBundle(wire)).toThrow(/not a bundle/);
  });

  it('cuts bundles at the byte limit, keeps the order, and names each by a digest of its keys', () => {
    const items = Array.from({ length: 10 }, (_, n) => ({ key: `k${n}`, payload: new Uint8Array(100).fill(n) }));
    const bundles = bundleMessages('finops.costs.acme.priced', 'application/x-protobuf', items, 350);
    expect(bundles.map((bundle) => bundle.headers[BUNDLE_COUNT_HEADER])).toEqual(['3', '3', '3', '1']);
    expect(bundles.flatMap((bundle) => decodeBundle(bundle.payload))).toEqual(items.map((item) => item.payload));
    expect(new Set(bundles.map((bundle) => bundle.msgId)).size).toBe(4);
    expect(bundleMessages('finops.costs.acme.priced', 'application/x-protobuf', items, 350).map((bundle) => bundle.msgId)).toEqual(bundles.map((bundle) => bundle.msgId));
    expect(bundles[0]!.headers[BUNDLE_ITEM_TYPE_HEADER]).toBe('application/x-protobuf');
  });

  it('reads a plain message as one event', () => {
    const headers = natsHeaders();
    headers.set('Content-Type', 'application/x-protobuf');
    expect(eventPayloads({ data: bytes(1, 2), headers })).toEqual([bytes(1, 2)]);
  });

  describe('items as messages', () => {
    function bundleMsg(items: Uint8Array[]) {
      const [bundle] = bundleMessages('finops.facts.acme.bundle', 'application/x-protobuf; messageType=finops.v1.CanonicalFact', items.map((payload, n) => ({ key: `k${n}`, payload })));
      const calls: string[] = [];
      const msg = {
        data: bundle!.payload,
        headers: headersOf(bundle!.headers),
        subject: bundle!.subject,
        seq: 42,
        info: { deliveryCount: 1 },
        ack: () => calls.push('ack'),
        nak: (ms?: number) => calls.push(`nak ${ms}`),
        working: () => calls.push('working'),
        term: () => calls.push('term'),
      } as unknown as JsMsg;
      return { msg, calls };
    }

    it('gives each item its own bytes and content type, and acks the bundle once every item is acked', () => {
      const { msg, calls } = bundleMsg([bytes(1), bytes(2), bytes(3)]);
      const parts = openBundle(msg);
      expect(parts.map((part) => part.data)).toEqual([bytes(1), bytes(2), bytes(3)]);
      expect(parts.map((part) => part.seq)).toEqual([42, 42, 42]);
      expect(parts[1]!.headers?.get('Content-Type')).toBe('application/x-protobuf; messageType=finops.v1.CanonicalFact');
      parts[0]!.ack();
      parts[2]!.ack();
      expect(calls).toEqual([]);
      parts[1]!.ack();
      parts[1]!.ack();
      expect(calls).toEqual(['ack']);
    });

    it('naks the whole bundle when one item is nak’ed, and ignores the other items after that', () => {
      const { msg, calls } = bundleMsg([bytes(1), bytes(2)]);
      const [first, second] = openBundle(msg);
      first!.ack();
      second!.nak(250);
      second!.ack();
      expect(calls).toEqual(['nak 250']);
    });
  });
});
