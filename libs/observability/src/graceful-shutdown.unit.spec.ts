import { jest } from '@jest/globals';
import { installGracefulShutdown, type GracefulShutdown } from './graceful-shutdown.js';
import { createLogger } from './logger.js';

function harness() {
  const lines: string[] = [];
  const logger = createLogger('pricing', { write: (line) => lines.push(line) });
  const exit = jest.fn<(code: number) => void>();
  const order: string[] = [];
  /** The log lines without time, level and service. */
  const logged = () =>
    lines.map((line) => {
      const { time: _time, service: _service, ms: _ms, err, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return err ? { ...rest, err: (err as { message: string }).message } : rest;
    });
  const step = (name: string, stop: () => Promise<void> = async () => {}) => ({
    name,
    stop: async () => {
      order.push(name);
      await stop();
    },
  });
  return { logger, exit, order, logged, step };
}

describe('installGracefulShutdown', () => {
  const installed: GracefulShutdown[] = [];
  afterEach(() => installed.splice(0).forEach((handle) => handle.dispose()));

  it('runs the stops in order, logs each, then exits 0', async () => {
    const { logger, exit, order, logged, step } = harness();
    const handle = installGracefulShutdown({
      logger,
      exit,
      signals: [],
      stops: [step('fetch'), step('batch'), step('nats'), step('postgres'), step('http')],
    });
    installed.push(handle);

    expect(await handle.shutdown('test')).toBe(0);

    expect(order).toEqual(['fetch', 'batch', 'nats', 'postgres', 'http']);
    expect(exit.mock.calls).toEqual([[0]]);
    expect(logged()).toEqual([
      { level: 'info', msg: 'shutdown started', reason: 'test', steps: ['fetch', 'batch', 'nats', 'postgres', 'http'], timeoutMs: 25_000 },
      ...['fetch', 'batch', 'nats', 'postgres', 'http'].flatMap((name) => [
        { level: 'info', msg: 'stopping', step: name },
        { level: 'info', msg: 'stopped', step: name },
      ]),
      { level: 'info', msg: 'shutdown complete', reason: 'test', failed: false },
    ]);
  });

  it('still runs the later stops when one fails, and exits 1', async () => {
    const { logger, exit, order, logged, step } = harness();
    const handle = installGracefulShutdown({
      logger,
      exit,
      signals: [],
      stops: [
        step('nats', async () => {
          throw new Error('drain failed');
        }),
        step('postgres'),
      ],
    });
    installed.push(handle);

    expect(await handle.shutdown('test')).toBe(1);

    expect(order).toEqual(['nats', 'postgres']);
    expect(exit.mock.calls).toEqual([[1]]);
    expect(logged().slice(1)).toEqual([
      { level: 'info', msg: 'stopping', step: 'nats' },
      { level: 'error', msg: 'stop failed', step: 'nats', err: 'drain failed' },
      { level: 'info', msg: 'stopping', step: 'postgres' },
      { level: 'info', msg: 'stopped', step: 'postgres' },
      { level: 'info', msg: 'shutdown complete', reason: 'test', failed: true },
    ]);
  });

  it('exits 1 once the timeout passes, naming the step that hung, and runs no later stop', async () => {
    const { logger, exit, order, logged, step } = harness();
    let releaseBatch = () => {};
    const handle = installGracefulShutdown({
      logger,
      exit,
      signals: [],
      timeoutMs: 50,
      stops: [step('fetch'), step('batch', () => new Promise<void>((resolve) => (releaseBatch = resolve))), step('nats')],
    });
    installed.push(handle);

    expect(await handle.shutdown('test')).toBe(1);
    releaseBatch();
    await new Promise((resolve) => setImmediate(resolve));

    expect(order).toEqual(['fetch', 'batch']);
    expect(exit.mock.calls).toEqual([[1]]);
    expect(logged().slice(1)).toEqual([
      { level: 'info', msg: 'stopping', step: 'fetch' },
      { level: 'info', msg: 'stopped', step: 'fetch' },
      { level: 'info', msg: 'stopping', step: 'batch' },
      { level: 'error', msg: 'shutdown timed out', step: 'batch', timeoutMs: 50 },
      // The hung step may still end, but nothing runs after it.
      { level: 'info', msg: 'stopped', step: 'batch' },
    ]);
  });

  it('starts on a signal, runs once, and exits 1 at once on a second signal', async () => {
    const { logger, exit, order, logged, step } = harness();
    let releaseBatch = () => {};
    const handle = installGracefulShutdown({
      logger,
      exit,
      signals: ['SIGUSR2'],
      stops: [step('batch', () => new Promise<void>((resolve) => (releaseBatch = resolve))), step('nats')],
    });
    installed.push(handle);

    process.emit('SIGUSR2', 'SIGUSR2');
    const again = handle.shutdown('called again');
    process.emit('SIGUSR2', 'SIGUSR2');

    expect(exit.mock.calls).toEqual([[1]]);
    releaseBatch();
    expect(await again).toBe(1);
    expect(order).toEqual(['batch']);
    expect(exit.mock.calls).toEqual([[1]]);
    expect(logged()).toEqual([
      { level: 'info', msg: 'shutdown started', reason: 'SIGUSR2', steps: ['batch', 'nats'], timeoutMs: 25_000 },
      { level: 'info', msg: 'stopping', step: 'batch' },
      { level: 'warn', msg: 'second signal during shutdown, exiting now', signal: 'SIGUSR2' },
      { level: 'info', msg: 'stopped', step: 'batch' },
    ]);
  });

  it('listens to SIGTERM and SIGINT by default, until disposed', () => {
    const { logger, exit } = harness();
    const before = [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];

    const handle = installGracefulShutdown({ logger, exit, stops: [] });
    const during = [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];
    handle.dispose();

    expect(during).toEqual([before[0]! + 1, before[1]! + 1]);
    expect([process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')]).toEqual(before);
    expect(exit).not.toHaveBeenCalled();
  });
});
