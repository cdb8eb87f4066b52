import { CostKind, fromTimestamp, type PricedCost } from '@agentledger/contracts';
import { parseDecimal, ZERO, formatDecimal } from '@agentledger/money';

/** A priced cost as attribution counts it: one row of `cost_entry`. */
export interface CostEntryRow {
  tenant: string;
  costId: string;
  factKey: string;
  kind: number;
  time: Date;
  agentId: string;
  team: string;
  workflow: string;
  environment: string;
  model: string;
  provider: string;
  tool: string;
  traceId: string;
  spanId: string;
  llmCalls: number;
  toolCalls: number;
  inputTokens: bigint;
  outputTokens: bigint;
  cacheReadTokens: bigint;
  cacheWriteTokens: bigint;
  reasoningTokens: bigint;
  retries: number;
  retryCost: string;
  escalations: number;
  escalationCost: string;
  unpricedCalls: number;
  cost: string;
  /** The configured rollup attributes the event carries, by key (absent keys count as ''). */
  attributes: Record<string, string>;
  factType: string;
  vendor: string;
  /** The cost by part, zero parts left out; null when the priced cost carries no breakdown. */
  breakdown: Record<string, string> | null;
}

const BREAKDOWN_PARTS = ['input', 'cacheRead', 'cacheWrite', 'output', 'reasoning', 'requestFee', 'other'] as const;

/** The priced cost's parts as exact decimal strings, zero parts left out. */
function breakdownOf(cost: PricedCost): Record<string, string> | null {
  const breakdown = cost.breakdown;
  if (!breakdown) return null;
  const parts: Record<string, string> = {};
  for (const part of BREAKDOWN_PARTS) {
    const value = breakdown[part];
    if (value === '') continue;
    const amount = parseDecimal(value);
    if (!amount.isZero()) parts[part] = formatDecimal(amount);
  }
  return parts;
}

/**
 * An unpriced call counts once when first seen; a correction that prices it (priced after,
 * not before) takes it back, and one that removes its price counts it again.
 */
function unpricedDelta(cost: PricedCost): number {
  if (cost.kind === CostKind.PRICED) return cost.priced ? 0 : 1;
  if (cost.priced === cost.previouslyPriced) return 0;
  return cost.priced ? -1 : 1;
}

function chosenAttributes(attributes: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const key of keys) {
    const value = attributes[key];
    if (value !== undefined && value !== '') chosen[key] = value;
  }
  return chosen;
}

/**
 * Counts belong to the first pricing; a correction moves money only. A retry is a call with
 * attempt > 1, an escalation one with escalatedFrom set: their cost is counted apart and in totals.
 */
export function costEntryOf(cost: PricedCost, rollupAttributes: readonly string[] = []): CostEntryRow {
  const first = cost.kind === CostKind.PRICED;
  const isLlm = cost.factType === 'llm.call';
  const isTool = cost.factType === 'tool.call';
  const isCall = isLlm || isTool;
  const amount = parseDecimal(cost.cost);
  const retry = isCall && cost.attempt > 1;
  const escalation = isLlm && cost.escalatedFrom !== '';
  const usage = first ? cost.usage : undefined;
  return {
    tenant: cost.tenant,
    costId: cost.costId,
    factKey: cost.factKey,
    kind: cost.kind,
    time: fromTimestamp(cost.time),
    agentId: cost.common?.agentId ?? '',
    team: cost.common?.team ?? '',
    workflow: cost.common?.workflow ?? '',
    environment: cost.common?.environment || 'production',
    model: cost.model,
    provider: cost.provider,
    tool: cost.tool,
    traceId: cost.common?.traceId ?? '',
    spanId: cost.common?.spanId ?? '',
    llmCalls: first && isLlm ? 1 : 0,
    toolCalls: first && isTool ? 1 : 0,
    inputTokens: usage?.inputTokens ?? 0n,
    outputTokens: usage?.outputTokens ?? 0n,
    cacheReadTokens: usage?.cacheReadTokens ?? 0n,
    cacheWriteTokens: usage?.cacheWriteTokens ?? 0n,
    reasoningTokens: usage?.reasoningTokens ?? 0n,
    retries: first && retry ? 1 : 0,
    retryCost: formatDecimal(retry ? amount : ZERO),
    escalations: first && escalation ? 1 : 0,
    escalationCost: formatDecimal(escalation ? amount : ZERO),
    unpricedCalls: isCall ? unpricedDelta(cost) : 0,
    cost: formatDecimal(amount),
    attributes: chosenAttributes(cost.common?.attributes ?? {}, rollupAttributes),
    factType: cost.factType,
    vendor: cost.vendor,
    breakdown: breakdownOf(cost),
  };
}
