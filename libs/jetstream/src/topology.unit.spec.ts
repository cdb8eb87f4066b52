import { DEFAULT_BUNDLE_MAX_BYTES } from './bundle.js';
import { BUNDLE_PULL_AHEAD, CONSUMERS, LARGE_MESSAGE_PULL_AHEAD, STREAMS } from './topology.js';

const MiB = 1024 * 1024;
/** The server's default max payload: the largest raw batch an agent can publish, and so the largest dead letter. */
const MAX_PAYLOAD = MiB;

describe('what a consumer may pull ahead', () => {
  it('is bounded in bytes on the streams of large messages: raw intake and dead letters at most 128 MiB, bundles a few MiB', () => {
    for (const spec of Object.values(CONSUMERS)) {
      if (spec.stream === STREAMS.in.name || spec.stream === STREAMS.deadLetters.name) {
        expect({ durable: spec.durable, pullAhead: spec.pullAhead }).toEqual({ durable: spec.durable, pullAhead: LARGE_MESSAGE_PULL_AHEAD });
        expect(spec.pullAhead! * MAX_PAYLOAD).toBeLessThanOrEqual(128 * MiB);
      }
      if (spec.stream === STREAMS.facts.name || spec.stream === STREAMS.costs.name) {
        expect({ durable: spec.durable, pullAhead: spec.pullAhead }).toEqual({ durable: spec.durable, pullAhead: BUNDLE_PULL_AHEAD });
        expect(spec.pullAhead! * DEFAULT_BUNDLE_MAX_BYTES).toBeLessThanOrEqual(8 * MiB);
      }
    }
  });
});
