import { jest } from '@jest/globals';
import { ReadinessChecks } from './readiness.js';

const never = () => new Promise<void>(() => {});

describe('ReadinessChecks', () => {
  it('is ready when every check resolves', async () => {
    const readiness = new ReadinessChecks()
      .register('nats', async () => {})
      .register('postgres', async () => undefined);

    expect(await readiness.run()).toEqual({
      ready: true,
      checks: { nats: { ok: true }, postgres: { ok: true } },
    });
  });

  it('is ready with no checks at all', async () => {
    expect(await new ReadinessChecks().run()).toEqual({ ready: true, checks: {} });
  });

  it('reports the reason a check returns or throws', async () => {
    const readiness = new ReadinessChecks()
      .register('nats', async () => {})
      .register('consumer', async () => 'durable consumer pricing-costs not bound yet')
      .register('postgres', async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      })
      .register('weird', () => Promise.reject('not an Error'));

    expect(await readiness.run()).toEqual({
      ready: false,
      checks: {
        nats: { ok: true },
        consumer: { ok: false, detail: 'durable consumer pricing-costs not bound yet' },
        postgres: { ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:5432' },
        weird: { ok: false, detail: 'not an Error' },
      },
    });
  });

  it('treats a check that throws before returning a promise as not ready', async () => {
    const readiness = new ReadinessChecks().register('sync', () => {
      throw new Error('no client');
    });

    expect(await readiness.run()).toEqual({ ready: false, checks: { sync: { ok: false, detail: 'no client' } } });
  });

  it('fails a check that hangs after its timeout, without waiting for it', async () => {
    const readiness = new ReadinessChecks({ timeoutMs: 50 })
      .register('postgres', never)
      .register('nats', async () => {});

    const started = performance.now();
    const report = await readiness.run();
    const elapsed = performance.now() - started;

    expect(report).toEqual({
      ready: false,
      checks: { postgres: { ok: false, detail: 'timed out after 50ms' }, nats: { ok: true } },
    });
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('runs the checks concurrently, so each gets its own full timeout', async () => {
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 60));
    const readiness = new ReadinessChecks({ timeoutMs: 100 }).register('a', slow).register('b', slow).register('c', slow);

    expect(await readiness.run()).toEqual({ ready: true, checks: { a: { ok: true }, b: { ok: true }, c: { ok: true } } });
  });

  it('defaults to a 2 s timeout', async () => {
    jest.useFakeTimers();
    try {
      const readiness = new ReadinessChecks().register('postgres', never);
      let report: unknown;
      void readiness.run().then((result) => (report = result));

      await jest.advanceTimersByTimeAsync(1_999);
      expect(report).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect(report).toEqual({
        ready: false,
        checks: { postgres: { ok: false, detail: 'timed out after 2000ms' } },
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses two checks under one name', () => {
    const readiness = new ReadinessChecks().register('nats', async () => {});

    expect(() => readiness.register('nats', async () => {})).toThrow('Readiness check "nats" is already registered');
  });
});
