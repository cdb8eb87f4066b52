import { deadLetterCodec } from '@agentledger/contracts';
import { DEAD_LETTER_ORIGINAL_BYTES_HEADER, DEFAULT_MAX_DEAD_LETTER_BYTES, DeadLetterPublisher } from '../src/dead-letter.js';
import { streamIn } from '../src/namespace.js';
import { STREAMS } from '../src/topology.js';
import { createStreamFixture, type StreamFixture } from './stream-fixture.js';

describe('dead letters are never too large to publish (real NATS)', () => {
  let bus: StreamFixture;
  const stream = () => streamIn(bus.ns, STREAMS.deadLetters.name);

  beforeAll(async () => {
    bus = await createStreamFixture();
  });

  afterAll(async () => {
    await bus.cleanup();
  });

  const rejection = (original: Uint8Array, streamSequence: number) => ({
    service: 'ingestion',
    reason: 'body: must be at most 1048576 bytes (got 2097152)',
    tenant: 'acme',
    subject: 'finops.in.acme.batch',
    stream: 'FINOPS_IN',
    streamSequence,
    deliveryCount: 1,
    headers: [{ name: 'Content-Type', values: ['application/cloudevents-batch+json'] }],
    original,
    receivedAt: new Date('2026-11-27T09:30:00Z'),
  });

  it('keeps a small original whole, with no truncation mark', async () => {
    const original = new TextEncoder().encode('{"specversion":"1.0"}');
    await bus.deadLetters.publish(rejection(original, 1));
    const stored = await bus.jsm.streams.getMessage(stream(), { last_by_subj: `${bus.ns.subjectPrefix}finops.dlq.acme.ingestion` });
    const deadLetter = deadLetterCodec.decode(stored!.data);
    expect(new Uint8Array(deadLetter.original)).toEqual(original);
    expect(deadLetter.reason).toBe('body: must be at most 1048576 bytes (got 2097152)');
    expect(stored!.header.get(DEAD_LETTER_ORIGINAL_BYTES_HEADER)).toBe('');
  });

  it('cuts an original over the max payload to fit, and records the cut in the reason and a header', async () => {
    const limit = bus.nc.info!.max_payload;
    const original = new Uint8Array(2 * limit).map((_, index) => index % 251);
    await bus.deadLetters.publish(rejection(original, 2));
    const stored = await bus.jsm.streams.getMessage(stream(), { last_by_subj: `${bus.ns.subjectPrefix}finops.dlq.acme.ingestion` });
    expect(stored!.data.length).toBeLessThanOrEqual(DEFAULT_MAX_DEAD_LETTER_BYTES);
    const deadLetter = deadLetterCodec.decode(stored!.data);
    const kept = deadLetter.original.length;
    expect(kept).toBeGreaterThan(DEFAULT_MAX_DEAD_LETTER_BYTES - 1024);
    expect(new Uint8Array(deadLetter.original)).toEqual(original.slice(0, kept));
    expect(deadLetter.reason).toBe(`body: must be at most 1048576 bytes (got 2097152) [original truncated: ${2 * limit} bytes, the first ${kept} kept]`);
    expect(stored!.header.get(DEAD_LETTER_ORIGINAL_BYTES_HEADER)).toBe(String(2 * limit));
    expect(deadLetter.streamSequence).toBe(2n);
  });

  it('holds a configured size exactly, a long reason and many headers included', async () => {
    const small = new DeadLetterPublisher(bus.publisher, bus.ns, { maxBytes: 8 * 1024 });
    const noisy = {
      ...rejection(new Uint8Array(64 * 1024).fill(7), 3),
      reason: `events[0].data.model: ${'x'.repeat(20_000)}`,
      headers: Array.from({ length: 200 }, (_, index) => ({ name: `X-Header-${index}`, values: ['v'.repeat(5_000)] })),
    };
    await small.publish(noisy);
    const stored = await bus.jsm.streams.getMessage(stream(), { last_by_subj: `${bus.ns.subjectPrefix}finops.dlq.acme.ingestion` });
    expect(stored!.data.length).toBeLessThanOrEqual(8 * 1024);
    const deadLetter = deadLetterCodec.decode(stored!.data);
    expect(deadLetter.reason).toMatch(/^events\[0\]\.data\.model: x{4000,}… \[original truncated: 65536 bytes, the first \d+ kept\]$/);
    expect(stored!.header.get(DEAD_LETTER_ORIGINAL_BYTES_HEADER)).toBe('65536');
    // The first headers are kept, each value cut to 1 KiB; those that could not fit are left out.
    expect(deadLetter.headers.length).toBeGreaterThan(0);
    expect(deadLetter.headers.length).toBeLessThan(8);
    expect(deadLetter.headers[0]).toEqual({ $typeName: 'finops.v1.DeadLetterHeader', name: 'X-Header-0', values: ['v'.repeat(1_024)] });
  });

  it('keeps two dead letters of one stream sequence apart when their bytes differ (another NATS store), and one when a message is redelivered', async () => {
    const count = async () => (await bus.jsm.streams.info(stream())).state.messages;
    const before = await count();
    const first = new TextEncoder().encode('{"id":"from the first store"}');
    await bus.deadLetters.publish(rejection(first, 90));
    await bus.deadLetters.publish(rejection(first, 90)); // the same message redelivered
    await bus.deadLetters.publish(rejection(new TextEncoder().encode('{"id":"from a recreated store"}'), 90));
    expect((await count()) - before).toBe(2);
  });
});
