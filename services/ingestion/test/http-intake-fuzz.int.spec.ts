// Bad input on the HTTP intake: whatever an agent or a collector POSTs to /v1/events,
// /v1/traces or /v1/saas-usage, the running ingestion service (real NATS + PostgreSQL) answers 200 with a result
// per event, or a 4xx with a reason — never a 5xx — and every rejection, whole body or single
// event, is dead-lettered with its reason.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { eventually } from '@agentledger/testing';
import { validFixtures } from './fixtures.js';
import { mutatedEvent } from './payload-arbitraries.js';
import { ServiceHarness } from './service-harness.js';

const RUNS = 200;
const validLlmCall = (): unknown => validFixtures().find((fixture) => fixture.name === 'llm_call')!.event;
const otlp = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/otlp/${name}`, import.meta.url)));

type Json = unknown;
function pathsOf(value: Json, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}
function withAt(value: Json, path: readonly string[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const copy: Record<string, Json> = Array.isArray(value) ? ([...value] as never) : { ...(value as Record<string, Json>) };
  const [head, ...rest] = path as [string, ...string[]];
  copy[head] = withAt(copy[head], rest, replacement);
  return copy;
}
const oddValue = fc.oneof(fc.constantFrom(null, '', 0, -1, 2 ** 64, '18446744073709551616', 'x'.repeat(5000), '\u0000', {}, []), fc.string(), fc.integer(), fc.double(), fc.jsonValue({ maxDepth: 2 }));

/** An OTLP/JSON fixture with up to three members replaced. */
const mutatedTraces = fc
  .tuple(fc.constantFrom('otel-genai.json', 'openinference.json', 'openllmetry.json'), fc.array(fc.tuple(fc.nat(), oddValue), { minLength: 1, maxLength: 3 }))
  .map(([name, edits]) => {
    let current: Json = JSON.parse(otlp(name).toString('utf8'));
    for (const [pick, replacement] of edits) {
      const paths = pathsOf(current);
      current = withAt(current, paths[pick % paths.length]!, replacement);
    }
    return JSON.stringify(current) ?? 'null';
  });

/** An OTLP protobuf fixture with a few bytes changed, cut short, or random bytes. */
const damagedProtobuf = fc.oneof(
  fc
    .tuple(fc.constantFrom('otel-genai.pb', 'openinference.pb', 'openllmetry.pb'), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.option(fc.nat()))
    .map(([name, flips, cut]) => {
      const bytes = Uint8Array.from(otlp(name));
      for (const [at, value] of flips) bytes[at % bytes.length] = value;
      return cut === null ? bytes : bytes.subarray(0, cut % bytes.length);
    }),
  fc.uint8Array({ maxLength: 200 }),
);

const eventsBody = fc.oneof(
  { weight: 4, arbitrary: mutatedEvent.map((event) => JSON.stringify(event) ?? 'null') },
  { weight: 3, arbitrary: fc.array(fc.oneof(mutatedEvent, fc.jsonValue({ maxDepth: 2 })), { maxLength: 5 }).map((events) => JSON.stringify(events)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null') },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')) },
);

interface Post {
  readonly body: Uint8Array;
  readonly headers: Record<string, string>;
}

const withEncoding = (body: fc.Arbitrary<string | Uint8Array>, contentTypes: readonly (string | undefined)[]) =>
  fc.record({ body, contentType: fc.constantFrom(...contentTypes), encoding: fc.constantFrom('none', 'none', 'none', 'gzip', 'bogus-gzip') }).map(({ body, contentType, encoding }): Post => {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    if (encoding === 'gzip') return { body: gzipSync(bytes), headers: { ...headers, 'content-encoding': 'gzip' } };
    if (encoding === 'bogus-gzip') return { body: bytes, headers: { ...headers, 'content-encoding': 'gzip' } };
    return { body: bytes, headers };
  });

const eventsPost = withEncoding(eventsBody, ['application/cloudevents+json', 'application/cloudevents+json', 'application/cloudevents-batch+json', 'application/cloudevents-batch+json', 'application/json', 'text/plain', undefined]);
const tracesPost = fc.oneof(withEncoding(mutatedTraces, ['application/json']), withEncoding(damagedProtobuf, ['application/x-protobuf', 'application/x-protobuf', 'application/json', 'text/plain']));

/** A vendor's usage export: CSV rows with odd cells, JSON rows with odd members, or anything. */
const csvCell = fc.oneof(fc.constantFrom('', 'intercom', 'fin', '2026-11-26T00:00:00Z', '2026-11-27T00:00:00Z', '132', '-1', '1e3', '118.80', 'resolution', '"quoted, cell"', '"', '\u0000'), fc.string({ maxLength: 12 }));
const saasCsv = fc
  .tuple(fc.constantFrom('Vendor,Product,Agent,Period Start,Period End,Quantity,Unit,Cost', 'vendor,product,quantity', '', 'a;b;c'), fc.array(fc.array(csvCell, { maxLength: 9 }), { maxLength: 5 }), fc.constantFrom('\n', '\r\n'))
  .map(([header, rows, newline]) => [header, ...rows.map((cells) => cells.join(','))].join(newline));
const saasRow = fc.record(
  { vendor: oddValue, product: oddValue, agent: oddValue, periodStart: fc.oneof(fc.constant('2026-11-26T00:00:00Z'), oddValue), periodEnd: fc.oneof(fc.constant('2026-11-27T00:00:00Z'), oddValue), quantity: oddValue, unit: oddValue, cost: oddValue },
  { requiredKeys: [] },
);
const saasPost = fc.oneof(
  withEncoding(saasCsv, ['text/csv', 'text/csv', 'application/json', undefined]),
  withEncoding(fc.oneof(fc.array(saasRow, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })).map((value) => JSON.stringify(value) ?? 'null'), ['application/json', 'application/json', 'text/csv']),
);

describe('HTTP intake under arbitrary requests (the ingestion service, real NATS + PostgreSQL)', () => {
  let harness: ServiceHarness;
  /** Rejections the service reported: each must be one dead letter. */
  let expectedDeadLetters = 0;
  const reasons: string[] = [];

  beforeAll(async () => {
    harness = await ServiceHarness.start();
  });
  afterAll(async () => {
    await harness.stop();
  });

  const post = async (path: string, { body, headers }: Post) => {
    const response = await harness.post(path, body, headers);
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json: json as Record<string, unknown> | undefined, text };
  };

  it(`answers ${RUNS} arbitrary POST /v1/events with per-event results or a 4xx and its reason`, async () => {
    await fc.assert(
      fc.asyncProperty(eventsPost, async (request) => {
        const { status, json, text } = await post('/v1/events', request);
        if (status === 200) {
          const answer = json as { accepted: number; rejected: number; results: Array<{ status: string; reason?: string }> };
          expect(answer.accepted + answer.rejected).toBe(answer.results.length);
          const rejected = answer.results.filter((result) => result.status === 'rejected');
          expect(rejected.every((result) => typeof result.reason === 'string' && result.reason.length > 0)).toBe(true);
          expectedDeadLetters += rejected.length;
          reasons.push(...rejected.map((result) => result.reason!));
        } else {
          expect({ status, text: text.slice(0, 300), clear: [400, 413, 415].includes(status) && typeof json?.['error'] === 'string' }).toEqual({ status, text: text.slice(0, 300), clear: true });
          expectedDeadLetters += 1;
          reasons.push(json!['error'] as string);
        }
      }),
      { numRuns: RUNS, seed: 21 },
    );
  }, 180_000);

  it(`answers ${RUNS} arbitrary POST /v1/traces with an OTLP response (partial success) or a 4xx OTLP status`, async () => {
    await fc.assert(
      fc.asyncProperty(tracesPost, async (request) => {
        const { status, json, text } = await post('/v1/traces', request);
        if (status === 200) {
          const rejected = Number((json as { partialSuccess?: { rejectedSpans?: string } } | undefined)?.partialSuccess?.rejectedSpans ?? 0);
          if (request.headers['content-type'] === 'application/json') expect(json).toBeDefined();
          expectedDeadLetters += rejected;
        } else {
          expect({ status, text: text.slice(0, 300), clear: [400, 413, 415].includes(status) && typeof json?.['message'] === 'string' }).toEqual({ status, text: text.slice(0, 300), clear: true });
          expectedDeadLetters += 1;
        }
      }),
      { numRuns: RUNS, seed: 22 },
    );
  }, 180_000);

  it(`answers ${RUNS / 2} arbitrary POST /v1/saas-usage with per-row results or a 4xx and its reason`, async () => {
    await fc.assert(
      fc.asyncProperty(saasPost, async (request) => {
        const { status, json, text } = await post('/v1/saas-usage', request);
        if (status === 200) {
          const answer = json as { accepted: number; rejected: number; results: Array<{ status: string; reason?: string }> };
          expect(answer.accepted + answer.rejected).toBe(answer.results.length);
          expectedDeadLetters += answer.rejected;
        } else {
          expect({ status, text: text.slice(0, 300), clear: [400, 413, 415].includes(status) && typeof json?.['error'] === 'string' }).toEqual({ status, text: text.slice(0, 300), clear: true });
          expectedDeadLetters += 1;
        }
      }),
      { numRuns: RUNS / 2, seed: 23 },
    );
  }, 180_000);

  it('answers what Express used to answer with a bare 400/413: application/json that is bad gzip, bad JSON, or over 100 kB', async () => {
    // The events fuzzer's first counterexample: `[]` as application/json claiming gzip.
    const bogusGzip = await post('/v1/events', { body: new TextEncoder().encode('[]'), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    expect(bogusGzip).toMatchObject({ status: 413, json: { error: expect.stringMatching(/^body: must be valid gzip/) } });
    const badJson = await post('/v1/events', { body: new TextEncoder().encode('{"specversion":'), headers: { 'content-type': 'application/json' } });
    expect(badJson).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^body: must be valid UTF-8 JSON/) } });
    const big = JSON.stringify({ pad: 'x'.repeat(200_000) });
    const large = await post('/v1/events', { body: new TextEncoder().encode(big), headers: { 'content-type': 'application/json' } });
    expect(large).toMatchObject({ status: 200, json: { accepted: 0, rejected: 1 } });
    const tracesJson = await post('/v1/traces', { body: new TextEncoder().encode('{"resourceSpans":'), headers: { 'content-type': 'application/json' } });
    expect(tracesJson).toMatchObject({ status: 400, json: { message: expect.any(String) } });
    // Accepted before, then unstorable by every read model: a NUL in a string.
    const nul = await post('/v1/events', { body: new TextEncoder().encode(JSON.stringify({ ...(validLlmCall() as object), data: { ...((validLlmCall() as { data: object }).data), agentId: 'a\u0000b' } })), headers: { 'content-type': 'application/cloudevents+json' } });
    expect(nul).toMatchObject({ status: 200, json: { accepted: 0, rejected: 1, results: [{ status: 'rejected', reason: 'data.agentId: must not contain the NUL character' }] } });
    expectedDeadLetters += 5;
    reasons.push(bogusGzip.json!['error'] as string, badJson.json!['error'] as string, 'data.agentId: must not contain the NUL character');
  });

  it('dead-letters every rejection, with its reason', async () => {
    const rows = await eventually(
      async () => {
        const found = await harness.service.context.db.deadLetter.findMany({ select: { reason: true } });
        return found.length >= expectedDeadLetters && found;
      },
      30_000,
      `${expectedDeadLetters} dead letters`,
    );
    expect(rows).toHaveLength(expectedDeadLetters);
    expect(rows.every((row) => row.reason.length > 0)).toBe(true);
    const stored = rows.map((row) => row.reason);
    expect(reasons.filter((reason) => !stored.includes(reason))).toEqual([]);
  }, 60_000);
});
