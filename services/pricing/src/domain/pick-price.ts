import { fromStored, type StoredDecimal } from '@agentledger/money';
import { inForceAt, normalizeName, type DatedRow } from '@agentledger/model-pricing';
import { unitPriceRef, type Metered, type UnitPriceKind, type UnitPriceMatch } from './price-match.js';

/** A tenant's unit price as the catalog keeps it. */
export interface TenantUnitPriceRow extends DatedRow {
  readonly kind: string;
  readonly vendor: string;
  readonly name: string;
  readonly unit: string;
  readonly unitPrice: StoredDecimal;
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
    const best = inForceAt(
      rows,
      (row) => row.tenant === tenant && row.kind === metered.kind && row.vendor === candidate && row.name === name && row.unit === unit,
      time,
    );
    if (best) return { pricePerUnit: fromStored(best.unitPrice), ref: unitPriceRef(tenant, best.kind as UnitPriceKind, best.vendor, best.name, best.unit, best.effectiveFrom) };
  }
  return undefined;
}
