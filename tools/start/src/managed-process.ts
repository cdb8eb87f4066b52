import { spawn, type ChildProcess } from 'node:child_process';
import type { PrefixedOutput } from './prefixed-output.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(status: ExitStatus): string {
  if (status.signal !== null) return `was killed by ${status.signal}`;
  return status.code === null ? 'could not be started' : `exited with code ${status.code}`;
}

export interface ProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  output: PrefixedOutput;
  /** Run as another user (needs root); PostgreSQL refuses to run as root. */
  runAs?: { uid: number; gid: number };
}

/**
 * A child process we started and must stop. It runs in its own process group (`detached`) so
 * that Ctrl-C in the terminal reaches only `npm start`, which then stops the children in order
 * (services before the NATS server they drain into) and sends each exactly one signal.
 */
export class ManagedProcess {
  readonly exited: Promise<ExitStatus>;
  private status: ExitStatus | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    output: PrefixedOutput,
  ) {
    const out = output.sink(name, 'out');
    const err = output.sink(name, 'err');
    child.stdout?.setEncoding('utf8').on('data', out.write).on('end', out.end);
    child.stderr?.setEncoding('utf8').on('data', err.write).on('end', err.end);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve((this.status = { code, signal })));
      // A spawn failure (e.g. ENOENT) emits 'error' and no 'exit'.
      child.once('error', (error) => {
        output.line(name, `could not run: ${error.message}`, 'err');
        if (child.pid === undefined) resolve((this.status = { code: null, signal: null }));
      });
    });
  }

  static start(name: string, command: string, args: readonly string[], options: ProcessOptions): ManagedProcess {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...options.runAs,
    });
    return new ManagedProcess(name, child, options.output);
  }

  get running(): boolean {
    return this.status === undefined && this.child.pid !== undefined;
  }

  /** Signals the whole process group, so anything the child spawned goes too. */
  signal(signal: NodeJS.Signals): void {
    if (!this.running || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      this.child.kill(signal);
    }
  }

  /** `request` (SIGTERM by default), then SIGKILL if the process is still there after `graceMs`. */
  async stop(graceMs: number, request: NodeJS.Signals = 'SIGTERM'): Promise<ExitStatus & { forced: boolean }> {
    if (!this.running) return { ...(this.status ?? { code: null, signal: null }), forced: false };
    this.signal(request);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    const outcome = await Promise.race([this.exited, deadline]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return { ...outcome, forced: false };
    this.signal('SIGKILL');
    return { ...(await this.exited), forced: true };
  }
}
