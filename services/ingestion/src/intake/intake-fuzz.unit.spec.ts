import fc from 'fast-check';
import { PermanentError, ROOT_NAMESPACE } from '@agentledger/jetstream';
import { rawMessage } from '../../test/payload-arbitraries.js';
import { readRawMessage } from './raw-intake.js';

const receivedAt = new Date('2026-11-27T09:30:00Z');

describe('intake under random and mutated payloads', () => {
  it('never crashes and accounts for every event of 10,000 messages (a fact or a reason)', () => {
    let facts = 0;
    let rejected = 0;
    fc.assert(
      fc.property(rawMessage, ({ route, body }) => {
        const bytes = new TextEncoder().encode(body);
        let outcome: ReturnType<typeof readRawMessage> | PermanentError;
        try {
          outcome = readRawMessage(ROOT_NAMESPACE, { subject: `finops.in.acme.${route}`, data: bytes }, receivedAt);
        } catch (error) {
          // Only a whole-message rejection (dead-lettered as a whole) may escape, never a crash.
          if (!(error instanceof PermanentError)) throw error;
          outcome = error;
        }
        if (outcome instanceof PermanentError) {
          expect(outcome.message).toMatch(/^(body|subject|headers)[.\w-]*: /);
          rejected++;
          return;
        }
        const parsed: unknown = JSON.parse(body);
        const events = route === 'batch' ? (parsed as unknown[]).length : 1;
        expect(outcome.facts.length + outcome.rejections.length).toBe(events);
        for (const { reason, original } of outcome.rejections) {
          expect(reason).toMatch(/^(events\[\d+\]\.)?(envelope|[A-Za-z_$])[^\n]*?: \S/);
          // A rejected event keeps its own bytes: the element of its batch, or the whole message.
          const index = /^events\[(\d+)\]/.exec(reason)?.[1];
          const own = index === undefined ? parsed : (parsed as unknown[])[Number(index)];
          expect(JSON.parse(new TextDecoder().decode(original))).toEqual(own);
        }
        facts += outcome.facts.length;
        rejected += outcome.rejections.length;
      }),
      { numRuns: 10_000, seed: 20261127 },
    );
    // Mutations keep a good share valid (an edit to an optional field that still fits the contract).
    expect(facts).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(5_000);
  });
});
