import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { freePort } from '@agentledger/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A nats-server of the test's own (never the shared one on 4222), started with a generated config. */
export interface AuthServer {
  readonly url: string;
  /** The permission violations the server logged so far (`[ERR] … Publish Violation` / `Subscription Violation` lines). */
  violations(): string[];
  /** How many violations once the log is quiet (the server logs a refusal just after the client hears of it). */
  settledViolations(): Promise<number>;
  stop(): Promise<void>;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

export async function startAuthServer(serverConfig: string): Promise<AuthServer> {
  const dir = await mkdtemp(join(tmpdir(), 'nats-auth-'));
  const configFile = join(dir, 'nats-server.conf');
  await writeFile(configFile, serverConfig, { mode: 0o600 });
  const port = await freePort();
  const binary = process.env.NATS_SERVER_BIN ?? 'nats-server';
  const child: ChildProcess = spawn(binary, ['-c', configFile, '-js', '-sd', join(dir, 'store'), '-a', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/usr/local/sbin` },
  });
  const log: string[] = [];
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (process.env.NATS_AUTH_TEST_LOG) process.stderr.write(text);
    log.push(...text.split('\n').filter((line) => line.trim() !== ''));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nats-server did not start on port ${port} (exit ${child.exitCode})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    violations: () => log.filter((line) => /(Publish|Subscription) Violation/.test(line)),
    async settledViolations() {
      for (let lines = -1; lines !== log.length; ) {
        lines = log.length;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return log.filter((line) => /(Publish|Subscription) Violation/.test(line)).length;
    },
    async stop() {
      child.kill('SIGINT');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
