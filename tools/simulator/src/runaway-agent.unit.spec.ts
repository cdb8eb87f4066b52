import { costOfTokens, formatDecimal, parseDecimal, ZERO, type Decimal } from '@agentledger/money';
import type { CheckReply, CheckRequest, LlmCall, Pause } from '@agentledger/agent-sdk';
import { runawayEstimate, runRunawayAgent, type RunawayPorts } from './runaway-agent.js';

// gpt-4o's list prices: what the fake control plane bills the calls at (the agent estimates at gpt-4o-mini's).
const costOf = (call: LlmCall): Decimal => costOfTokens(call.usage.inputTokens, parseDecimal('2.50')).plus(costOfTokens(call.usage.outputTokens, parseDecimal('10')));

/** A BLOCK budget as part D decides it: BLOCK when spent ≥ limit or spent + estimate > limit. Calls are priced (settled) at once. */
function fakeStack(limit: string, options: { pauseAfter?: number } = {}) {
  const budgetLimit = parseDecimal(limit);
  let spent = ZERO;
  const checks: CheckRequest[] = [];
  const calls: Array<{ call: LlmCall; id: string }> = [];
  const spentAfterEachCall: string[] = [];
  const log: string[] = [];
  const pause: Pause = { scope: 'AGENT', scopeId: 'runaway-researcher', reason: 'stopped by ops', by: 'ops@example.com', at: '2026-11-27T09:00:00Z', budgetId: null };
  const ports: RunawayPorts = {
    async check(request) {
      checks.push(request);
      const estimate = parseDecimal((request as { estimatedCost: string }).estimatedCost);
      const blocked = spent.gte(budgetLimit) || spent.plus(estimate).gt(budgetLimit);
      const reply: CheckReply = {
        decision: blocked ? 'BLOCK' : 'ALLOW',
        reservationId: blocked ? null : `r${checks.length}`,
        reason: blocked ? `budget b1 is exceeded (spent ${formatDecimal(spent)} of ${limit})` : 'within 1 matching budget',
        paused: false,
        blockedBy: blocked ? ['b1'] : [],
        warnings: [],
        budgets: [],
        spanId: request.spanId!,
        unavailable: false,
      };
      return reply;
    },
    pausedBy: () => (options.pauseAfter !== undefined && calls.length >= options.pauseAfter ? pause : undefined),
    recordCall(call, id) {
      calls.push({ call, id });
      spent = spent.plus(costOf(call));
      spentAfterEachCall.push(formatDecimal(spent));
    },
    log: (line) => log.push(line),
    sleep: async () => undefined,
    stopping: () => false,
  };
  return { ports, checks, calls, spentAfterEachCall, log, spent: () => spent };
}

describe('the runaway agent', () => {
  it('checks before every call, records each allowed one with the check’s spanId, and stops on BLOCK past 100 % of its budget', async () => {
    const stack = fakeStack('2.00');
    const result = await runRunawayAgent(stack.ports, { seed: 1, epoch: 1000 });
    expect(result.stoppedBy).toBe('blocked');
    expect(stack.checks).toHaveLength(result.calls + 1);
    expect(stack.calls.map(({ call }) => call.spanId)).toEqual(stack.checks.slice(0, -1).map((check) => check.spanId));
    expect(stack.calls[0]).toEqual({
      id: 'sim-1-1000-runaway-call-1',
      call: expect.objectContaining({ agentId: 'runaway-researcher', spanId: 'sim-1-1000-runaway-1', provider: 'openai', model: 'gpt-4o', status: 'ok' }),
    });
    // It passes 50, 80 and 100 % of the limit, so each threshold raises its alert.
    const limit = parseDecimal('2.00');
    for (const percent of ['0.5', '0.8', '1']) expect(stack.spentAfterEachCall.some((spent) => parseDecimal(spent).gte(limit.times(percent)))).toBe(true);
    expect(stack.spent().gte(limit)).toBe(true);
    expect(stack.log).toEqual([`runaway-researcher: blocked by budget after ${result.calls} calls: budget b1 is exceeded (spent ${formatDecimal(stack.spent())} of 2.00)`]);
  });

  it('is the same run for the same seed, another for another seed', async () => {
    const first = fakeStack('2.00');
    const again = fakeStack('2.00');
    const other = fakeStack('2.00');
    await runRunawayAgent(first.ports, { seed: 7, epoch: 1000 });
    await runRunawayAgent(again.ports, { seed: 7, epoch: 1000 });
    await runRunawayAgent(other.ports, { seed: 8, epoch: 1000 });
    expect(again.calls).toEqual(first.calls);
    expect(again.spentAfterEachCall).toEqual(first.spentAfterEachCall);
    expect(other.calls.map(({ call }) => call.usage)).not.toEqual(first.calls.map(({ call }) => call.usage));
  });

  it('estimates with exact decimal strings, far below what the call costs', () => {
    expect(runawayEstimate(8_000)).toBe('0.00138');
    expect(runawayEstimate(8_123)).toBe('0.00139845');
  });

  it('stops at once when a watched pause covers it, without another check', async () => {
    const stack = fakeStack('1000', { pauseAfter: 3 });
    const result = await runRunawayAgent(stack.ports, { seed: 1, epoch: 1000 });
    expect(result).toEqual({ calls: 3, stoppedBy: 'paused' });
    expect(stack.checks).toHaveLength(3);
    expect(stack.log).toEqual(['runaway-researcher: blocked by budget: its scope AGENT runaway-researcher is paused (stopped by ops)']);
  });

  it('stops when the check fails, saying why, and when the simulation is over', async () => {
    const failing = fakeStack('2.00');
    failing.ports.check = async () => Promise.reject(new Error('no answer on finops.control.check.dev: is the budgeting service running?'));
    expect(await runRunawayAgent(failing.ports, { seed: 1, epoch: 1000 })).toEqual({ calls: 0, stoppedBy: 'check-failed' });
    expect(failing.log).toEqual(['runaway-researcher: stopped: the pre-call check failed: no answer on finops.control.check.dev: is the budgeting service running?']);

    const over = fakeStack('1000');
    let ticks = 0;
    over.ports.stopping = () => ++ticks > 5;
    expect(await runRunawayAgent(over.ports, { seed: 1, epoch: 1000 })).toEqual({ calls: 5, stoppedBy: 'simulation-over' });
  });
});
