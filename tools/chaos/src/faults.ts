import type { ChaosNats } from './cluster/nats.js';
import type { ChaosPostgres } from './cluster/postgres.js';
import { SERVICES, type ServiceName, type ServiceProcesses } from './cluster/services.js';
import { sleep } from './cluster/wait.js';

/** One fault at a time, injected while the fleet publishes, then repaired. */
export type Fault =
  | { readonly kind: 'kill'; readonly service: ServiceName }
  | { readonly kind: 'kill-nats' }
  | { readonly kind: 'freeze-postgres'; readonly seconds: number }
  | { readonly kind: 'restart-postgres' };

export interface FaultTargets {
  readonly services: ServiceProcesses;
  readonly nats: ChaosNats;
  readonly postgres: ChaosPostgres;
  readonly log: (line: string) => void;
}

/** How long a killed process stays down before it is started again. */
const DOWN_MS = 2_000;

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'kill':
      return `kill -9 ${fault.service}, restarted`;
    case 'kill-nats':
      return 'kill -9 nats-server (file store), restarted';
    case 'freeze-postgres':
      return `PostgreSQL frozen (SIGSTOP) ${fault.seconds} s`;
    case 'restart-postgres':
      return 'PostgreSQL restarted (immediate shutdown)';
    default:
      return assertNever(fault);
  }
}

/** Breaks something, holds it broken, repairs it; resolves once the repaired part is back. */
export async function injectFault(fault: Fault, targets: FaultTargets): Promise<void> {
  const { services, nats, postgres, log } = targets;
  switch (fault.kind) {
    case 'kill':
      await services.kill(fault.service);
      log(`${fault.service} killed`);
      await sleep(DOWN_MS);
      await services.start(fault.service);
      log(`${fault.service} restarted and ready`);
      return;
    case 'kill-nats':
      await nats.kill();
      log('nats-server killed');
      await sleep(DOWN_MS);
      await nats.start();
      log('nats-server restarted');
      return;
    case 'freeze-postgres':
      postgres.freeze();
      log(`PostgreSQL frozen for ${fault.seconds} s`);
      await sleep(fault.seconds * 1000);
      postgres.thaw();
      log('PostgreSQL thawed');
      return;
    case 'restart-postgres':
      await postgres.restart();
      log('PostgreSQL restarted');
      return;
    default:
      return assertNever(fault);
  }
}

/** `kill:<service>`, `kill:nats`, `freeze-postgres:<seconds>`, `restart-postgres`. */
export function parseFault(text: string): Fault {
  const [kind, argument] = text.split(':');
  if (kind === 'kill' && argument === 'nats') return { kind: 'kill-nats' };
  if (kind === 'kill' && (SERVICES as readonly string[]).includes(argument ?? '')) return { kind: 'kill', service: argument as ServiceName };
  if (kind === 'freeze-postgres' && /^[1-9][0-9]*$/.test(argument ?? '')) return { kind: 'freeze-postgres', seconds: Number(argument) };
  if (kind === 'restart-postgres' && argument === undefined) return { kind: 'restart-postgres' };
  throw new Error(`unknown fault ${JSON.stringify(text)}: use kill:<${SERVICES.join('|')}|nats>, freeze-postgres:<seconds> or restart-postgres`);
}

/** The whole suite: every service killed, NATS killed, PostgreSQL frozen 30 s and 180 s, PostgreSQL restarted. */
export const ALL_FAULTS: readonly Fault[] = [
  ...SERVICES.map((service) => ({ kind: 'kill', service }) as const),
  { kind: 'kill-nats' },
  { kind: 'freeze-postgres', seconds: 30 },
  { kind: 'freeze-postgres', seconds: 180 },
  { kind: 'restart-postgres' },
];

function assertNever(value: never): never {
  throw new Error(`unexpected fault ${JSON.stringify(value)}`);
}
