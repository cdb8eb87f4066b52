import { RestartBackoff } from './restart-backoff.js';

describe('RestartBackoff', () => {
  it('waits 1 s, 2 s, 4 s … capped at 30 s while the process keeps crashing at once', () => {
    let now = 0;
    const backoff = new RestartBackoff(undefined, () => now);
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const { delayMs } = backoff.crashed();
      delays.push(delayMs);
      now += delayMs + 500;
      backoff.started();
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts again from 1 s once the process stayed up a minute', () => {
    let now = 0;
    const backoff = new RestartBackoff(undefined, () => now);
    expect([backoff.crashed(), backoff.crashed(), backoff.crashed()].map((next) => next.delayMs)).toEqual([1_000, 2_000, 4_000]);
    backoff.started();
    now += 59_999;
    expect(backoff.crashed()).toEqual({ delayMs: 8_000, attempt: 4 });
    backoff.started();
    now += 60_000;
    expect(backoff.crashed()).toEqual({ delayMs: 1_000, attempt: 1 });
  });
});
