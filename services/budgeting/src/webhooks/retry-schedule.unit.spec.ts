import { nextStep, type RetryPolicy } from './retry-schedule.js';

const policy: RetryPolicy = { firstRetryMs: 1_000, maxRetryMs: 300_000, retryForMs: 24 * 3_600_000 };
const created = new Date('2026-12-02T10:00:00.000Z');
const at = (ms: number) => new Date(created.getTime() + ms);

describe('nextStep (retry schedule)', () => {
  it('doubles from 1 s, between half the delay and the delay, capped at 5 min', () => {
    const now = at(60_000);
    expect(nextStep(policy, 1, created, now, 0)).toEqual({ kind: 'retry', at: at(60_500) });
    expect(nextStep(policy, 1, created, now, 0.999999)).toEqual({ kind: 'retry', at: at(61_000) });
    expect(nextStep(policy, 4, created, now, 0.5)).toEqual({ kind: 'retry', at: at(66_000) }); // 8 s: 4 s + 2 s
    expect(nextStep(policy, 9, created, now, 0)).toEqual({ kind: 'retry', at: at(188_000) }); // 256 s: 128 s
    expect(nextStep(policy, 10, created, now, 0.999999)).toEqual({ kind: 'retry', at: at(360_000) }); // 512 s → 300 s
    expect(nextStep(policy, 5_000, created, now, 0)).toEqual({ kind: 'retry', at: at(210_000) });
  });

  it('waits at least the receiver’s Retry-After, itself capped', () => {
    const now = at(1_000);
    expect(nextStep(policy, 1, created, now, 0, 30_000)).toEqual({ kind: 'retry', at: at(31_000) });
    expect(nextStep(policy, 1, created, now, 0, 3_600_000)).toEqual({ kind: 'retry', at: at(301_000) });
  });

  it('never schedules past the retry window, and gives up once it is over', () => {
    expect(nextStep(policy, 30, created, at(policy.retryForMs - 10_000), 0)).toEqual({ kind: 'retry', at: at(policy.retryForMs) });
    expect(nextStep(policy, 31, created, at(policy.retryForMs), 0)).toEqual({ kind: 'give-up' });
  });
});
