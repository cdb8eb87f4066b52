import { fromStored, type StoredDecimal } from '@agentledger/money';
import { nameCandidates, normalizeName } from './names.js';
import { tenantPriceRef, unitPriceRef, type Metered, type PriceMatch, type UnitPriceKind, type UnitPriceMatch } from './price-match.js';
import { flatSchedule } from './price-schedule.js';

interface Dated {
  readonly tenant: string;
  readonly effectiveFrom: Date;
  readonly effectiveTo: Date | null;
}

/** A tenant's model price as the catalog keeps it. */
export interface TenantPriceRow extends Dated {
  readonly provider: string;
  readonly model: string;
  readonly inputPer1M: StoredDecimal;
  readonly outputPer1M: StoredDecimal;
  readonly cacheReadPer1M: StoredDecimal | null;
  readonly cacheWritePer1M: StoredDecimal | null;
  readonly reasoningPer1M: StoredDecimal | null;
  readonly requestFee: StoredDecimal | null;
}

/** A tenant's unit price as the catalog keeps it. */
export interface TenantUnitPriceRow extends Dated {
  readonly kind: string;
  readonly vendor: string;
  readonly name: string;
  readonly unit: string;
  readonly unitPrice: StoredDecimal;
}

/** Of the rows that match, the one in force at `time`: the latest start at or before it, not ended by then. */
function inForce<Row extends Dated>(rows: readonly Row[], matches: (row: Row) => boolean, time: Date): Row | undefined {
  let best: Row | undefined;
  for (const row of rows) {
    if (!matches(row) || row.effectiveFrom > time || (row.effectiveTo !== null && row.effectiveTo <= time)) continue;
    if (!best || row.effectiveFrom > best.effectiveFrom) best = row;
  }
  return best;
}

const optional = (value: StoredDecimal | null) => (value === null ? undefined : fromStored(value));

/** The tenant's model price in force at `time` for what the agent sent, or undefined. */
export function pickTenantPrice(rows: readonly TenantPriceRow[], tenant: string, provider: string, model: string, time: Date): PriceMatch | undefined {
  for (const candidate of nameCandidates(provider, model)) {
    const best = inForce(rows, (row) => row.tenant === tenant && row.provider === candidate.provider && row.model === candidate.model, time);
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

/**
 * The tenant's unit price in force at `time`, or undefined (then the fact is unpriced, never $0).
 * A tool price for the call's vendor wins over one set without vendor; SaaS prices are per
 * vendor. There is no default catalog for units: only the tenant knows what it pays.
 */
export function pickUnitPrice(rows: readonly TenantUnitPriceRow[], tenant: string, metered: Metered, time: Date): UnitPriceMatch | undefined {
  const vendor = normalizeName(metered.vendor);
  const name = normalizeName(metered.name);
  const unit = normalizeName(metered.unit);
  const vendors = metered.kind === 'tool' && vendor !== '' ? [vendor, ''] : [vendor];
  for (const candidate of vendors) {
    const best = inForce(
      rows,
      (row) => row.tenant === tenant && row.kind === metered.kind && row.vendor === candidate && row.name === name && row.unit === unit,
      time,
    );
    if (best) return { pricePerUnit: fromStored(best.unitPrice), ref: unitPriceRef(tenant, best.kind as UnitPriceKind, best.vendor, best.name, best.unit, best.effectiveFrom) };
  }
  return undefined;
}
