import fc from 'fast-check';
import { EVENT_TYPES, typeToken, type EventType } from '@agentledger/contracts';
import { validFixtures } from './fixtures.js';

type Json = unknown;

/** Every path to a member of a JSON value, e.g. ['data', 'usage', 'inputTokens']. */
function pathsOf(value: Json, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const children = Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...prefix, key]));
  return [prefix, ...children];
}

function withAt(value: Json, path: string[], replacement: Json | typeof REMOVE): Json {
  if (path.length === 0) return replacement === REMOVE ? undefined : replacement;
  const copy: Record<string, Json> = Array.isArray(value) ? ([...value] as never) : { ...(value as Record<string, Json>) };
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0 && replacement === REMOVE) delete copy[head];
  else copy[head] = withAt(copy[head], rest, replacement);
  return copy;
}
const REMOVE = Symbol('remove');

const interestingValues = fc.oneof(
  fc.constantFrom(null, '', 0, -1, 1.5, 2 ** 53, Number.MAX_VALUE, true, '1.0', 'ok', 'llm.call', '2999-01-01T00:00:00Z', '-0.1', '1e3', 'x'.repeat(3000), {}, []),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A valid fixture with one to three members replaced, removed or added. */
export const mutatedEvent: fc.Arbitrary<Json> = fc
  .tuple(fc.constantFrom(...validFixtures().map((fixture) => fixture.event)), fc.array(fc.tuple(fc.nat(), fc.oneof(interestingValues, fc.constant(REMOVE)), fc.option(fc.string({ maxLength: 12 }))), { minLength: 1, maxLength: 3 }))
  .map(([event, edits]) => {
    let current: Json = event;
    for (const [pick, replacement, added] of edits) {
      const paths = pathsOf(current);
      const path = paths[pick % paths.length]!;
      current = withAt(current, added && typeof replacement !== 'symbol' ? [...path, added] : path, replacement);
    }
    return current;
  });

/** Anything a publisher could send: mutated events, random JSON, random bytes, batches of them. */
export const rawMessage = fc.oneof(
  { weight: 5, arbitrary: fc.record({ route: fc.constantFrom(...EVENT_TYPES.map((type) => typeToken(type as EventType)), 'llm_call'), body: mutatedEvent.map((event) => JSON.stringify(event) ?? 'null') }) },
  { weight: 2, arbitrary: fc.record({ route: fc.constant('batch'), body: fc.array(fc.oneof(mutatedEvent, fc.jsonValue({ maxDepth: 2 })), { maxLength: 5 }).map((events) => JSON.stringify(events)) }) },
  { weight: 1, arbitrary: fc.record({ route: fc.constantFrom('llm_call', 'batch', 'nonsense', ''), body: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null') }) },
  { weight: 1, arbitrary: fc.record({ route: fc.constantFrom('llm_call', 'batch'), body: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')) }) },
);
