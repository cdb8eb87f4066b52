import { describeExit, type ExitStatus, type ManagedProcess } from './managed-process.js';

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

/**
 * Owns everything `npm start` launched and tears it down in order: services first (they drain
 * into NATS and write to Postgres), then the infrastructure in reverse start order.
 */
export class Lifecycle {
  private readonly services: ManagedProcess[] = [];
  private readonly infrastructure: Infrastructure[] = [];
  private stopping = false;

  constructor(
    private readonly say: (line: string) => void,
    private readonly exit: (code: number) => void,
  ) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  addService(service: ManagedProcess): void {
    this.services.push(service);
    void service.exited.then((status) => this.exitedOnItsOwn(service.name, status));
    if (this.stopping) void service.stop(SERVICE_GRACE_MS);
  }

  addInfrastructure(name: string, stop: () => Promise<void>, process?: ManagedProcess): void {
    this.infrastructure.push({ name, stop, process });
  }

  /** A process we did not ask to stop has exited: report it and stop the rest. */
  exitedOnItsOwn(name: string, status: ExitStatus): void {
    if (this.stopping) return;
    setTimeout(() => {
      if (this.stopping) return;
      this.say(`${name} ${describeExit(status)}; stopping everything`);
      void this.stop(1);
    }, SIGNAL_RACE_MS);
  }

  async stop(exitCode: number, reason?: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (reason !== undefined) this.say(reason);

    const running = this.services.filter((service) => service.running);
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
    for (const service of this.services) service.signal('SIGTERM');
    for (const part of this.infrastructure) part.process?.signal('SIGTERM');
  }
}
