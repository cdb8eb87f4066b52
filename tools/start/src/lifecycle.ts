import { describeExit, type ExitStatus, type ManagedProcess } from './managed-process.js';
import { DEFAULT_RESTART_TIMING, RestartBackoff, type RestartTiming } from './restart-backoff.js';

/** How long a service gets to drain after SIGTERM before it is killed. */
const SERVICE_GRACE_MS = 10_000;
/**
 * When a whole container or machine stops, every process gets SIGTERM at once and a child may
 * exit just before our own handler runs. Waiting this long before calling an exit
 * "unexpected" keeps a normal stop from being reported as a crash.
 */
const SIGNAL_RACE_MS = 300;

interface Infrastructure {
  name: string;
  stop: () => Promise<void>;
  process?: ManagedProcess;
}

/** A process `npm start` keeps running: what runs now, and how to start it again. */
interface Supervised {
  readonly name: string;
  current: ManagedProcess;
  readonly backoff: RestartBackoff;
  /** Starts it again; a service's respawn returns the new process, infrastructure registers its own. */
  readonly respawn?: () => Promise<ManagedProcess | undefined> | ManagedProcess | undefined;
  timer?: NodeJS.Timeout;
}

export interface LifecycleOptions {
  readonly restart?: RestartTiming;
  readonly signalRaceMs?: number;
}

/**
 * Owns everything `npm start` launched. A process that exits on its own (a crashed service, our
 * own nats-server or embedded PostgreSQL) is started again with backoff (1 s, 2 s, 4 s … 30 s,
 * reset after a minute up), and the log says so; Ctrl-C or SIGTERM tears everything down in
 * order: services first (they drain into NATS and write to Postgres), then the infrastructure in
 * reverse start order.
 */
export class Lifecycle {
  private readonly services: Supervised[] = [];
  private readonly infrastructure: Infrastructure[] = [];
  private readonly supervisedInfrastructure = new Map<string, Supervised>();
  private stopping = false;

  constructor(
    private readonly say: (line: string) => void,
    private readonly exit: (code: number) => void,
    private readonly options: LifecycleOptions = {},
  ) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  /** A service; without `respawn` a crash of it stops everything, as before. */
  addService(service: ManagedProcess, respawn?: () => ManagedProcess): void {
    const entry: Supervised = { name: service.name, current: service, backoff: this.backoff(), respawn };
    this.services.push(entry);
    this.watch(entry);
    if (this.stopping) void service.stop(SERVICE_GRACE_MS);
  }

  /** Something to stop after the services (a nats-server, a database); registering the same name again replaces it. */
  addInfrastructure(name: string, stop: () => Promise<void>, process?: ManagedProcess): void {
    const existing = this.infrastructure.find((part) => part.name === name);
    if (existing) Object.assign(existing, { stop, process });
    else this.infrastructure.push({ name, stop, process });
  }

  /**
   * Keeps our own nats-server or PostgreSQL running: when `process` exits on its own, `respawn`
   * is called with backoff (and again if it fails); it starts a new one and registers it here
   * again with `addInfrastructure` and `superviseInfrastructure`.
   */
  superviseInfrastructure(name: string, process: ManagedProcess, respawn: () => Promise<unknown>): void {
    let entry = this.supervisedInfrastructure.get(name);
    if (entry) {
      entry.current = process;
      entry.backoff.started();
    } else {
      entry = { name, current: process, backoff: this.backoff(), respawn: async () => void (await respawn()) };
      this.supervisedInfrastructure.set(name, entry);
    }
    this.watch(entry);
  }

  /** A process we did not ask to stop has exited and cannot be restarted: report it and stop the rest. */
  exitedOnItsOwn(name: string, status: ExitStatus): void {
    if (this.stopping) return;
    setTimeout(() => {
      if (this.stopping) return;
      this.say(`${name} ${describeExit(status)}; stopping everything`);
      void this.stop(1);
    }, this.options.signalRaceMs ?? SIGNAL_RACE_MS);
  }

  async stop(exitCode: number, reason?: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (reason !== undefined) this.say(reason);
    for (const entry of [...this.services, ...this.supervisedInfrastructure.values()]) clearTimeout(entry.timer);

    const running = this.services.map((entry) => entry.current).filter((service) => service.running);
    if (running.length > 0) this.say(`stopping ${running.map((service) => service.name).join(', ')}`);
    await Promise.all(
      running.map(async (service) => {
        const status = await service.stop(SERVICE_GRACE_MS);
        if (status.forced) this.say(`${service.name} did not stop within ${SERVICE_GRACE_MS / 1000} s; killed`);
      }),
    );
    for (const part of [...this.infrastructure].reverse()) {
      this.say(`stopping ${part.name}`);
      await part.stop().catch((error: unknown) => this.say(`could not stop ${part.name}: ${String(error)}`));
    }
    this.say('stopped');
    this.exit(exitCode);
  }

  /**
   * Last resort when the process exits without `stop()` (an uncaught error): children live in
   * their own process groups, so nothing else would tell them to go.
   */
  abandon(): void {
    for (const entry of this.services) entry.current.signal('SIGTERM');
    for (const part of this.infrastructure) part.process?.signal('SIGTERM');
  }

  private backoff(): RestartBackoff {
    return new RestartBackoff(this.options.restart ?? DEFAULT_RESTART_TIMING);
  }

  private watch(entry: Supervised): void {
    const process = entry.current;
    void process.exited.then((status) => {
      // Only the process running now: an old one's late exit says nothing.
      if (entry.current !== process) return;
      if (!entry.respawn) return this.exitedOnItsOwn(entry.name, status);
      if (this.stopping) return;
      setTimeout(() => this.crashed(entry, process, status), this.options.signalRaceMs ?? SIGNAL_RACE_MS);
    });
  }

  private crashed(entry: Supervised, process: ManagedProcess, status: ExitStatus): void {
    if (this.stopping || entry.current !== process) return;
    const { delayMs, attempt } = entry.backoff.crashed();
    this.say(`${entry.name} ${describeExit(status)}; restarting it in ${formatDelay(delayMs)} (restart ${attempt})`);
    entry.timer = setTimeout(() => void this.restart(entry, process), delayMs);
  }

  private async restart(entry: Supervised, crashed: ManagedProcess): Promise<void> {
    if (this.stopping) return;
    let next: ManagedProcess | undefined;
    try {
      next = (await entry.respawn!()) ?? undefined;
    } catch (error) {
      // A new process that was registered before failing is watched already: its exit restarts it.
      if (this.stopping || entry.current !== crashed) return;
      const { delayMs, attempt } = entry.backoff.crashed();
      this.say(`${entry.name} could not be restarted (${error instanceof Error ? error.message : String(error)}); trying again in ${formatDelay(delayMs)} (restart ${attempt})`);
      entry.timer = setTimeout(() => void this.restart(entry, crashed), delayMs);
      return;
    }
    if (this.stopping) {
      void next?.stop(SERVICE_GRACE_MS);
      return;
    }
    // Infrastructure registers its new process itself (superviseInfrastructure); a service's is returned.
    if (next && entry.current === crashed) {
      entry.current = next;
      entry.backoff.started();
      this.watch(entry);
    }
    this.say(`${entry.name} restarted`);
  }
}

function formatDelay(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
