import type { NatsConnection } from '@nats-io/transport-node';
import { AgentLedger } from '@agentledger/agent-sdk';
import { Decimal } from '@agentledger/money';
import { sleep } from './cluster/wait.js';

/** The one model the fleet calls, at the tenant price the suite sets before any load. */
export const CHAOS_PRICE = { provider: 'chaosai', model: 'chaos-model-1', inputPer1M: '2.5', outputPer1M: '10', effectiveFrom: '2026-01-01T00:00:00Z' } as const;

const INPUT_RATE = new Decimal(CHAOS_PRICE.inputPer1M).div(1_000_000);
const OUTPUT_RATE = new Decimal(CHAOS_PRICE.outputPer1M).div(1_000_000);

export interface ExpectedEvent {
  readonly agentId: string;
  readonly team: string;
  readonly time: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cost: Decimal;
}

/** What the fleet has had acknowledged by JetStream, event by event: the figures every view must come to. */
export class AckedLedger {
  readonly events: ExpectedEvent[] = [];

  get count(): number {
    return this.events.length;
  }

  totalCost(filter: (event: ExpectedEvent) => boolean = () => true): Decimal {
    return this.events.filter(filter).reduce((sum, event) => sum.plus(event.cost), new Decimal(0));
  }

  tokens(): { inputTokens: number; outputTokens: number } {
    return this.events.reduce((sum, event) => ({ inputTokens: sum.inputTokens + event.inputTokens, outputTokens: sum.outputTokens + event.outputTokens }), { inputTokens: 0, outputTokens: 0 });
  }

  agents(): string[] {
    return [...new Set(this.events.map((event) => event.agentId))].sort();
  }
}

const teamOf = (agent: number) => (agent % 2 === 0 ? 'team-a' : 'team-b');

export interface FleetOptions {
  readonly nc: NatsConnection;
  readonly tenant: string;
  readonly agents: number;
  /** Events per second over the whole fleet. */
  readonly eventsPerSecond: number;
}

/**
 * A steady load of `llm.call`s from a fleet of agents, each publishing through the agent SDK as a
 * real agent does: batches to JetStream, waiting for the stream's ack, retrying with backoff, and
 * keeping what failed queued for the next flush. An event enters the ledger only once the flush
 * that carried it resolved, so the ledger holds exactly what JetStream acknowledged.
 */
export class FleetLoad {
  private running = false;
  private loop?: Promise<void>;
  private sequence = 0;

  private constructor(
    private readonly options: FleetOptions,
    private readonly ledgers: AgentLedger[],
    readonly acked: AckedLedger,
  ) {}

  static async create(options: FleetOptions): Promise<FleetLoad> {
    const ledgers = await Promise.all(
      Array.from({ length: options.agents }, (_, n) =>
        AgentLedger.connect({ nc: options.nc, tenant: options.tenant, agentId: `chaos-agent-${n}`, team: teamOf(n), workflow: 'chaos', flushIntervalMs: 0, maxBatch: 1_000 }),
      ),
    );
    return new FleetLoad(options, ledgers, new AckedLedger());
  }

  /** Starts publishing; `stop()` ends it once everything recorded has been acknowledged. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  async close(): Promise<void> {
    await this.stop();
    await Promise.all(this.ledgers.map((ledger) => ledger.close().catch(() => undefined)));
  }

  private async run(): Promise<void> {
    const tickMs = 100;
    const perTick = Math.max(1, Math.round((this.options.eventsPerSecond * tickMs) / 1000));
    const unacked: ExpectedEvent[][] = this.ledgers.map(() => []);
    const flushing = new Set<number>();
    const flush = (index: number) => {
      if (flushing.has(index) || unacked[index]!.length === 0) return;
      flushing.add(index);
      const carried = unacked[index]!.splice(0);
      this.ledgers[index]!.flush().then(
        () => {
          this.acked.events.push(...carried);
          flushing.delete(index);
        },
        () => {
          // Still queued in the SDK: the next flush carries them again.
          unacked[index]!.unshift(...carried);
          flushing.delete(index);
        },
      );
    };
    while (this.running) {
      for (let n = 0; n < perTick; n++) {
        const index = this.sequence++ % this.ledgers.length;
        unacked[index]!.push(this.record(index));
      }
      this.ledgers.forEach((_, index) => flush(index));
      await sleep(tickMs);
    }
    // Drain: keep flushing until every recorded event is acknowledged.
    while (unacked.some((events) => events.length > 0) || flushing.size > 0) {
      this.ledgers.forEach((_, index) => flush(index));
      await sleep(100);
    }
  }

  private record(index: number): ExpectedEvent {
    const n = this.sequence;
    const inputTokens = 100 + ((n * 7919) % 4_900);
    const outputTokens = 10 + ((n * 104_729) % 490);
    const event = this.ledgers[index]!.llmCall({ provider: CHAOS_PRICE.provider, model: CHAOS_PRICE.model, usage: { inputTokens, outputTokens } });
    return { agentId: `chaos-agent-${index}`, team: teamOf(index), time: event.time, inputTokens, outputTokens, cost: INPUT_RATE.times(inputTokens).plus(OUTPUT_RATE.times(outputTokens)) };
  }
}
