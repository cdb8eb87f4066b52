import { fromStored, type StoredDecimal } from '@agentledger/money';
import { nameCandidates } from './names.js';
import { flatSchedule, type PriceSchedule } from './price-schedule.js';

/** A model price found for a call, with which entry it was, for the audit trail on every priced cost. */
export interface PriceMatch {
  readonly schedule: PriceSchedule;
  readonly ref: string;
}

/** An entry of a tenant's effective-dated price list: in force from `effectiveFrom` until `effectiveTo` (exclusive) or a later start. */
export interface DatedRow {
  readonly tenant: string;
  readonly effectiveFrom: Date;
  readonly effectiveTo: Date | null;
}

/** A tenant's model price as a read model keeps it (NUMERIC columns, null when not set). */
export interface TenantPriceRow extends DatedRow {
  readonly provider: string;
  readonly model: string;
  readonly inputPer1M: StoredDecimal;
  readonly outputPer1M: StoredDecimal;
  readonly cacheReadPer1M: StoredDecimal | null;
  readonly cacheWritePer1M: StoredDecimal | null;
  readonly reasoningPer1M: StoredDecimal | null;
  readonly requestFee: StoredDecimal | null;
}

export const tenantPriceRef = (tenant: string, provider: string, model: string, effectiveFrom: Date) =>
  `tenant:${tenant}:${provider}/${model}@${effectiveFrom.toISOString()}`;

/** Of the rows that match, the one in force at `time`: the latest start at or before it, not ended by then. */
export function inForceAt<Row extends DatedRow>(rows: readonly Row[], matches: (row: Row) => boolean, time: Date): Row | undefined {
  let best: Row | undefined;
  for (const row of rows) {
    if (!matches(row) || row.effectiveFrom > time || (row.effectiveTo !== null && row.effectiveTo <= time)) continue;
    if (!best || row.effectiveFrom > best.effectiveFrom) best = row;
  }
  return best;
}

const optional = (value: StoredDecimal | null) => (value === null ? undefined : fromStored(value));

/** The tenant's model price in force at `time` for what the agent sent (names as `nameCandidates` tries them), or undefined. */
export function pickTenantPrice(rows: readonly TenantPriceRow[], tenant: string, provider: string, model: string, time: Date): PriceMatch | undefined {
  for (const candidate of nameCandidates(provider, model)) {
    const best = inForceAt(rows, (row) => row.tenant === tenant && row.provider === candidate.provider && row.model === candidate.model, time);
    if (!best) continue;
    return {
      schedule: flatSchedule({
        inputPer1M: fromStored(best.inputPer1M),
        outputPer1M: fromStored(best.outputPer1M),
        cacheReadPer1M: optional(best.cacheReadPer1M),
        cacheWritePer1M: optional(best.cacheWritePer1M),
        reasoningPer1M: optional(best.reasoningPer1M),
        requestFee: optional(best.requestFee),
      }),
      ref: tenantPriceRef(tenant, best.provider, best.model, best.effectiveFrom),
    };
  }
  return undefined;
}
