import { Blocked, type CheckReply, type CheckRequest } from './check.js';
import type { LlmCall } from './events.js';
import { guardedCall, type GuardPorts } from './guard.js';
import type { Pause } from './pauses.js';

const allow: CheckReply = { decision: 'ALLOW', reservationId: 'r1', reason: 'within 1 matching budget', paused: false, blockedBy: [], warnings: [], budgets: [], spanId: 'span-1', unavailable: false };

function ports(reply: CheckReply, pause?: Pause) {
  const checks: CheckRequest[] = [];
  const released: string[] = [];
  const recorded: LlmCall[] = [];
  const fake: GuardPorts = {
    pausedBy: () => pause,
    check: async (request) => (checks.push(request), reply),
    release: async (reservationId) => released.push(reservationId),
    recordCall: (data) => recorded.push(data),
  };
  return { fake, checks, released, recorded };
}

const request = { estimatedCost: '0.05', provider: 'openai', model: 'gpt-4o', traceId: 't1', agentId: 'support-bot' };
const usage = { inputTokens: 1200, outputTokens: 300 };

describe('guardedCall', () => {
  it('checks, calls, and records the llm.call with the check’s spanId', async () => {
    const { fake, checks, recorded, released } = ports(allow);
    const answer = await guardedCall(fake, request, async (reply) => ({ result: `answered under ${reply.reservationId}`, usage, latencyMs: 850 }));
    expect(answer).toBe('answered under r1');
    expect(checks).toEqual([request]);
    expect(recorded).toEqual([{ agentId: 'support-bot', traceId: 't1', spanId: 'span-1', provider: 'openai', model: 'gpt-4o', usage, status: 'ok', latencyMs: 850 }]);
    expect(released).toEqual([]);
  });

  it('throws Blocked on BLOCK without calling', async () => {
    const { fake, recorded } = ports({ ...allow, decision: 'BLOCK', reservationId: null, reason: 'budget b1 is exceeded (spent 5.2 of 5)', blockedBy: ['b1'] });
    let called = false;
    const outcome = guardedCall(fake, request, async () => ((called = true), { result: 1, usage }));
    await expect(outcome).rejects.toBeInstanceOf(Blocked);
    await expect(outcome).rejects.toMatchObject({ message: 'blocked by budget: budget b1 is exceeded (spent 5.2 of 5)', reply: { blockedBy: ['b1'] } });
    expect(called).toBe(false);
    expect(recorded).toEqual([]);
  });

  it('stops at once on a watched pause, without a check', async () => {
    const pause: Pause = { scope: 'AGENT', scopeId: 'support-bot', reason: 'runaway', by: 'ops', at: '2026-11-27T09:00:00Z', budgetId: 'b1' };
    const { fake, checks } = ports(allow, pause);
    await expect(guardedCall(fake, request, async () => ({ result: 1, usage }))).rejects.toMatchObject({
      name: 'Blocked',
      message: 'blocked by budget: AGENT support-bot is paused: runaway',
      reply: { paused: true, blockedBy: ['b1'] },
    });
    expect(checks).toEqual([]);
  });

  it('releases the reservation and rethrows when the call fails, recording nothing', async () => {
    const { fake, recorded, released } = ports(allow);
    await expect(guardedCall(fake, request, async () => Promise.reject(new Error('rate limited')))).rejects.toThrow('rate limited');
    expect(released).toEqual(['r1']);
    expect(recorded).toEqual([]);
  });
});
