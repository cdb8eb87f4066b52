import { costOfTokens, formatDecimal, parseDecimal } from '@agentledger/money';
import type { CheckReply, CheckRequest, LlmCall, Pause } from '@agentledger/agent-sdk';
import { SeededRandom } from './random.js';

export const RUNAWAY_AGENT = {
  agentId: 'runaway-researcher',
  team: 'research',
  workflow: 'deep-research',
  registration: {
    name: 'Deep research agent (runaway)',
    team: 'research',
    owner: 'research-eng@example.com',
    platform: 'internal' as const,
    workflows: ['deep-research'],
    lifecycle: 'experiment' as const,
    description: 'Loops on its own growing context; estimates at gpt-4o-mini prices but calls gpt-4o',
  },
};

// Its bug, and why it crosses 100 % of its budget: it estimates every call at gpt-4o-mini's list
// prices with a short answer, while it calls gpt-4o and answers at length. The reservations are
// far too small, so the call that crosses the limit lands the budget past it, and only then is
// the next check blocked.
const ESTIMATE_RATES = { inputPer1M: parseDecimal('0.15'), outputPer1M: parseDecimal('0.60') };
const EXPECTED_OUTPUT_TOKENS = 300;
const FIRST_CONTEXT = 8_000;
const CONTEXT_GROWTH = 3_000;
const MAX_CONTEXT = 120_000;

/** What the runaway agent needs from the stack (a port: main.ts gives it the SDK, the tests a fake). */
export interface RunawayPorts {
  check(request: CheckRequest): Promise<CheckReply>;
  /** The watched pause covering the agent, if any. */
  pausedBy(): Pause | undefined;
  recordCall(call: LlmCall, id: string): void;
  log(line: string): void;
  sleep(ms: number): Promise<void>;
  /** True once the simulation is over. */
  stopping(): boolean;
}

export interface RunawayOptions {
  readonly seed: number;
  readonly epoch: number;
  /** Between two calls (default 400). */
  readonly intervalMs?: number;
  /** A bound for when no budget stops it (default 500). */
  readonly maxCalls?: number;
}

export type RunawayStop = 'blocked' | 'paused' | 'check-failed' | 'simulation-over' | 'max-calls';

export interface RunawayResult {
  readonly calls: number;
  readonly stoppedBy: RunawayStop;
}

/** The usage of the agent's n-th call (1-based): its context grows by each answer; its answers are long. */
export function runawayUsage(random: SeededRandom, n: number): { inputTokens: number; outputTokens: number } {
  const context = Math.min(FIRST_CONTEXT + CONTEXT_GROWTH * (n - 1), MAX_CONTEXT);
  return { inputTokens: context + random.between(0, 400), outputTokens: random.between(1_200, 2_400) };
}

/** Its (too low) estimate of a call with this many input tokens, an exact decimal string. */
export function runawayEstimate(inputTokens: number): string {
  return formatDecimal(costOfTokens(inputTokens, ESTIMATE_RATES.inputPer1M).plus(costOfTokens(EXPECTED_OUTPUT_TOKENS, ESTIMATE_RATES.outputPer1M)));
}

/**
 * An agent that never stops by itself: before each model call it checks with an estimate, records
 * the call with the check's spanId when allowed, and stops when the check says BLOCK or a watched
 * pause covers it. Deterministic for a seed: the same calls, the same spans.
 */
export async function runRunawayAgent(ports: RunawayPorts, options: RunawayOptions): Promise<RunawayResult> {
  // Its own stream of numbers, so adding it leaves the rest of the fleet as it was for a seed.
  const random = new SeededRandom(options.seed ^ 0x5eed);
  const maxCalls = options.maxCalls ?? 500;
  const stop = (calls: number, stoppedBy: RunawayStop, line?: string): RunawayResult => {
    if (line) ports.log(`${RUNAWAY_AGENT.agentId}: ${line}`);
    return { calls, stoppedBy };
  };
  for (let n = 1; ; n++) {
    if (ports.stopping()) return stop(n - 1, 'simulation-over');
    if (n > maxCalls) return stop(n - 1, 'max-calls', `stopped after ${maxCalls} calls: no budget blocked it`);
    const pause = ports.pausedBy();
    if (pause) return stop(n - 1, 'paused', `blocked by budget: its scope ${pause.scope}${pause.scopeId === null ? '' : ` ${pause.scopeId}`} is paused (${pause.reason})`);
    const usage = runawayUsage(random, n);
    const spanId = `sim-${options.seed}-${options.epoch}-runaway-${n}`;
    let reply: CheckReply;
    try {
      reply = await ports.check({ estimatedCost: runawayEstimate(usage.inputTokens), spanId, ttlSeconds: 120 });
    } catch (error) {
      return stop(n - 1, 'check-failed', `stopped: the pre-call check failed: ${(error as Error).message}`);
    }
    if (reply.decision === 'BLOCK') return stop(n - 1, reply.paused ? 'paused' : 'blocked', `blocked by budget after ${n - 1} calls: ${reply.reason}`);
    ports.recordCall(
      {
        agentId: RUNAWAY_AGENT.agentId,
        team: RUNAWAY_AGENT.team,
        workflow: RUNAWAY_AGENT.workflow,
        traceId: `sim-${options.seed}-${options.epoch}-runaway`,
        spanId: reply.spanId,
        provider: 'openai',
        model: 'gpt-4o',
        usage,
        latencyMs: random.between(4_000, 12_000),
        status: 'ok',
        attempt: 1,
      },
      `sim-${options.seed}-${options.epoch}-runaway-call-${n}`,
    );
    await ports.sleep(options.intervalMs ?? 400);
  }
}
