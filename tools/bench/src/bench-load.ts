import type { JetStreamClient } from '@nats-io/jetstream';
import { Decimal } from '@agentledger/money';

// bench:all's load: `llm.call`s of one model at a tenant price the bench sets itself, so that the
// exact total of what was published is known to the last decimal before anything is projected.

export const BENCH_PRICE = { provider: 'benchai', model: 'bench-model-1', inputPer1M: '2.5', outputPer1M: '10', effectiveFrom: '2017-01-01T00:00:00Z' } as const;
const INPUT_RATE = new Decimal(BENCH_PRICE.inputPer1M).div(1_000_000);
const OUTPUT_RATE = new Decimal(BENCH_PRICE.outputPer1M).div(1_000_000);
export const AGENT_COUNT = 50;

export interface Window {
  readonly from: string;
  readonly to: string;
}

/** A window of `days` whole days starting `startMs`. */
export function windowOf(startMs: number, days: number): Window & { startMs: number; spanMs: number } {
  const spanMs = days * 86_400_000;
  return { from: new Date(startMs).toISOString(), to: new Date(startMs + spanMs).toISOString(), startMs, spanMs };
}

/** One load: `count` calls spread evenly over a window, by 50 agents, with their exact total. */
export class CallLoad {
  readonly expected: Decimal;

  constructor(
    readonly runId: string,
    readonly count: number,
    private readonly window: { startMs: number; spanMs: number },
  ) {
    let total = new Decimal(0);
    for (let i = 0; i < count; i++) total = total.plus(costOf(i));
    this.expected = total;
  }

  event(i: number): Record<string, unknown> {
    const agentId = `agent-${i % AGENT_COUNT}`;
    const { inputTokens, outputTokens } = tokensOf(i);
    return {
      specversion: '1.0',
      id: `${this.runId}-${i}`,
      source: `agent://${agentId}`,
      type: 'llm.call',
      time: new Date(this.window.startMs + Math.floor((i * this.window.spanMs) / this.count)).toISOString(),
      data: {
        agentId,
        team: `team-${i % 5}`,
        workflow: `flow-${i % 4}`,
        traceId: `${this.runId}-t${Math.floor(i / 4)}`,
        spanId: `${this.runId}-s${i}`,
        provider: BENCH_PRICE.provider,
        model: BENCH_PRICE.model,
        usage: { inputTokens, outputTokens },
        attempt: 1,
      },
    };
  }
}

function tokensOf(i: number): { inputTokens: number; outputTokens: number } {
  return { inputTokens: 1000 + (i % 500), outputTokens: 100 + (i % 50) };
}

function costOf(i: number): Decimal {
  const { inputTokens, outputTokens } = tokensOf(i);
  return INPUT_RATE.times(inputTokens).plus(OUTPUT_RATE.times(outputTokens));
}

const encoder = new TextEncoder();

/** Publishes messages through JetStream (each acked), at most `inFlight` unacknowledged, as the raw rate is measured. */
export async function publishAcked(js: JetStreamClient, subject: string, messages: Iterable<unknown>, inFlight = 1_000): Promise<void> {
  const pending: Array<Promise<unknown>> = [];
  for (const message of messages) {
    pending.push(js.publish(subject, encoder.encode(JSON.stringify(message))));
    if (pending.length >= inFlight) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}

/** The load's events one per message (`singles`) or as arrays of `size` (`batches`). */
export function* singles(load: CallLoad, from = 0, to = load.count): Generator<Record<string, unknown>> {
  for (let i = from; i < to; i++) yield load.event(i);
}

export function* batches(load: CallLoad, size: number): Generator<Array<Record<string, unknown>>> {
  for (let start = 0; start < load.count; start += size) {
    const batch = [];
    for (let i = start; i < Math.min(load.count, start + size); i++) batch.push(load.event(i));
    yield batch;
  }
}
