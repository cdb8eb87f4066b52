import { QueryError } from './query-error.js';
import { QueryLimiter } from './query-limiter.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

describe('QueryLimiter', () => {
  it('runs at most maxConcurrent at once and hands each freed turn to the next in line, in order', async () => {
    const limiter = new QueryLimiter('attribution', { maxConcurrent: 2, maxWaitMs: 1_000 });
    const gates = [deferred(), deferred(), deferred()];
    const order: number[] = [];
    const runs = gates.map((gate, index) => limiter.run(async () => {
      order.push(index);
      await gate.promise;
      return index;
    }));
    await Promise.resolve();
    expect(limiter.load).toEqual({ running: 2, waiting: 1 });
    expect(order).toEqual([0, 1]);
    gates[1]!.resolve();
    await runs[1];
    await Promise.resolve();
    expect(order).toEqual([0, 1, 2]);
    expect(limiter.load).toEqual({ running: 2, waiting: 0 });
    gates[0]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses a query that waited maxWaitMs for a turn with UNAVAILABLE, and frees its place', async () => {
    const limiter = new QueryLimiter('pricing', { maxConcurrent: 1, maxWaitMs: 20 });
    const gate = deferred();
    const first = limiter.run(() => gate.promise);
    const refused = limiter.run(async () => 'never');
    await expect(refused).rejects.toEqual(new QueryError('UNAVAILABLE', 'pricing is busy: 1 queries running and no turn within 20 ms; try again shortly'));
    expect(limiter.load).toEqual({ running: 1, waiting: 0 });
    gate.resolve();
    await first;
    expect(await limiter.run(async () => 'next')).toBe('next');
  });

  it('releases the turn of a query that failed', async () => {
    const limiter = new QueryLimiter('budgeting', { maxConcurrent: 1, maxWaitMs: 0 });
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
  });
});
