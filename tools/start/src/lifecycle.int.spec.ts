import { PassThrough } from 'node:stream';
import { Lifecycle } from './lifecycle.js';
import { ManagedProcess } from './managed-process.js';
import { PrefixedOutput } from './prefixed-output.js';

// Real child processes (node -e …) under a Lifecycle with short restart delays.

const terminal = new PassThrough();
terminal.resume();
const output = new PrefixedOutput(['start', 'crasher', 'steady', 'infra'], false, 'json', terminal, terminal);
const node = (name: string, script: string) => ManagedProcess.start(name, process.execPath, ['-e', script], { cwd: process.cwd(), output });
const CRASH = 'setTimeout(() => process.exit(3), 20)';
const STEADY = 'setInterval(() => undefined, 1000)';

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('npm start keeps its processes running', () => {
  const timing = { firstMs: 40, maxMs: 160, resetAfterMs: 60_000 };

  it('restarts a crashing service with growing delays, capped, and says so; Ctrl-C still stops everything and exits 0', async () => {
    const said: string[] = [];
    const exits: number[] = [];
    const lifecycle = new Lifecycle((line) => said.push(line), (code) => exits.push(code), { restart: timing, signalRaceMs: 5 });
    const spawned: ManagedProcess[] = [];
    const spawn = () => {
      const process = node('crasher', CRASH);
      spawned.push(process);
      return process;
    };
    lifecycle.addService(spawn(), spawn);
    const steady = node('steady', STEADY);
    lifecycle.addService(steady, () => node('steady', STEADY));
    await until(() => said.filter((line) => line.includes('(restart 5)')).length === 1, 'five restarts');
    await lifecycle.stop(0, 'received SIGINT, stopping');

    const restarts = said.filter((line) => line.startsWith('crasher exited'));
    expect(restarts.slice(0, 5)).toEqual([
      'crasher exited with code 3; restarting it in 40 ms (restart 1)',
      'crasher exited with code 3; restarting it in 80 ms (restart 2)',
      'crasher exited with code 3; restarting it in 160 ms (restart 3)',
      'crasher exited with code 3; restarting it in 160 ms (restart 4)',
      'crasher exited with code 3; restarting it in 160 ms (restart 5)',
    ]);
    expect(said.filter((line) => line === 'crasher restarted').length).toBeGreaterThanOrEqual(4);
    expect(said.slice(-2)).toEqual([expect.stringMatching(/^stopping (crasher, )?steady$|^stopping steady, crasher$/), 'stopped']);
    expect(exits).toEqual([0]);
    expect(await steady.exited).toEqual({ code: null, signal: 'SIGTERM' });
    // Nothing is started after the stop, and nothing started is left running.
    const count = spawned.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(spawned.length).toBe(count);
    expect(spawned.filter((process) => process.running)).toEqual([]);
  }, 30_000);

  it('restarts its own infrastructure through its start function, retries a failed start, and stops the new one at the end', async () => {
    const said: string[] = [];
    const lifecycle = new Lifecycle((line) => said.push(line), () => undefined, { restart: timing, signalRaceMs: 5 });
    let starts = 0;
    let current: ManagedProcess | undefined;
    const startInfra = async (): Promise<void> => {
      starts += 1;
      if (starts === 2) throw new Error('port still in use');
      const server = node('infra', starts === 1 ? CRASH : STEADY);
      current = server;
      lifecycle.addInfrastructure('infra', async () => void (await server.stop(2_000)), server);
      lifecycle.superviseInfrastructure('infra', server, startInfra);
    };
    await startInfra();
    await until(() => said.includes('infra restarted'), 'the infrastructure restarted');
    expect(said).toEqual([
      'infra exited with code 3; restarting it in 40 ms (restart 1)',
      'infra could not be restarted (port still in use); trying again in 80 ms (restart 2)',
      'infra restarted',
    ]);
    expect(current?.running).toBe(true);
    await lifecycle.stop(0);
    expect(said.slice(-2)).toEqual(['stopping infra', 'stopped']);
    expect(await current!.exited).toEqual({ code: null, signal: 'SIGTERM' });
  }, 30_000);

  it('without a way to restart it, a crashed service still stops everything with exit code 1', async () => {
    const said: string[] = [];
    const exits: number[] = [];
    const lifecycle = new Lifecycle((line) => said.push(line), (code) => exits.push(code), { restart: timing, signalRaceMs: 5 });
    lifecycle.addService(node('crasher', CRASH));
    await until(() => exits.length === 1, 'the stop');
    expect(said).toEqual(['crasher exited with code 3; stopping everything', 'stopped']);
    expect(exits).toEqual([1]);
  });
});
