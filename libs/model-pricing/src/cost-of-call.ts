import { costOfTokens, Decimal, fromCount, ZERO } from '@agentledger/money';

/** USD per 1M tokens; a missing cache rate falls back to the input rate, a missing reasoning rate to the output rate. */
export interface Rates {
  readonly inputPer1M: Decimal;
  readonly outputPer1M: Decimal;
  readonly cacheReadPer1M?: Decimal;
  readonly cacheWritePer1M?: Decimal;
  readonly reasoningPer1M?: Decimal;
  readonly requestFee?: Decimal;
}

/** OpenTelemetry GenAI semantics: input includes cache reads and writes, output includes reasoning. */
export interface Usage {
  readonly inputTokens: bigint;
  readonly outputTokens: bigint;
  readonly cacheReadTokens: bigint;
  readonly cacheWriteTokens: bigint;
  readonly reasoningTokens: bigint;
}

export interface CallCost {
  readonly input: Decimal;
  readonly cacheRead: Decimal;
  readonly cacheWrite: Decimal;
  readonly output: Decimal;
  readonly reasoning: Decimal;
  readonly requestFee: Decimal;
  readonly total: Decimal;
}

/**
 * The cost of one model call (CONTRACT.md part A):
 * (input − cacheRead − cacheWrite)·inputRate + cacheRead·cacheReadRate + cacheWrite·cacheWriteRate
 * + (output − reasoning)·outputRate + reasoning·reasoningRate + requestFee. Exact.
 */
export function costOfCall(usage: Usage, rates: Rates): CallCost {
  const uncachedInput = usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens;
  const visibleOutput = usage.outputTokens - usage.reasoningTokens;
  if (uncachedInput < 0n || visibleOutput < 0n) {
    throw new RangeError('inconsistent usage: cache tokens exceed input tokens or reasoning tokens exceed output tokens');
  }
  const input = costOfTokens(uncachedInput, rates.inputPer1M);
  const cacheRead = costOfTokens(usage.cacheReadTokens, rates.cacheReadPer1M ?? rates.inputPer1M);
  const cacheWrite = costOfTokens(usage.cacheWriteTokens, rates.cacheWritePer1M ?? rates.inputPer1M);
  const output = costOfTokens(visibleOutput, rates.outputPer1M);
  const reasoning = costOfTokens(usage.reasoningTokens, rates.reasoningPer1M ?? rates.outputPer1M);
  const requestFee = rates.requestFee ?? ZERO;
  return {
    input,
    cacheRead,
    cacheWrite,
    output,
    reasoning,
    requestFee,
    total: input.plus(cacheRead).plus(cacheWrite).plus(output).plus(reasoning).plus(requestFee),
  };
}

export function usageOf(counts: Partial<Record<keyof Usage, bigint | number>>): Usage {
  const count = (value: bigint | number | undefined) => BigInt(fromCount(value ?? 0).toFixed());
  return {
    inputTokens: count(counts.inputTokens),
    outputTokens: count(counts.outputTokens),
    cacheReadTokens: count(counts.cacheReadTokens),
    cacheWriteTokens: count(counts.cacheWriteTokens),
    reasoningTokens: count(counts.reasoningTokens),
  };
}
