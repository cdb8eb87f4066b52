import { type Decimal, fromStored } from '@agentledger/money';
import { normalizeName } from '../prices/price.js';
import type { Tx } from '../catalog/catalog.projection.js';
import type { UnitPriceKind } from './unit-price.js';

export interface UnitPriceMatch {
  readonly pricePerUnit: Decimal;
  /** Which entry priced it, for the audit trail on every priced cost. */
  readonly ref: string;
}

/** What a tool call or SaaS usage was metered in (names as sent; matched case-insensitively). */
export interface Metered {
  readonly kind: UnitPriceKind;
  readonly vendor: string;
  readonly name: string;
  readonly unit: string;
}

export type FindUnitPrice = (tenant: string, metered: Metered, time: Date) => Promise<UnitPriceMatch | undefined>;

export const unitPriceRef = (tenant: string, kind: UnitPriceKind, vendor: string, name: string, unit: string, effectiveFrom: Date) =>
  `tenant:${tenant}:${kind}:${vendor}/${name}/${unit}@${effectiveFrom.toISOString()}`;

type UnitPriceRow = Awaited<ReturnType<Pick<Tx, 'tenantUnitPrice'>['tenantUnitPrice']['findMany']>>[number];

/**
 * The tenant's unit price in force at `time` among `rows`, or undefined (then the fact is unpriced,
 * never $0). A tool price for the call's vendor wins over one set without vendor; SaaS prices are
 * per vendor. There is no default catalog for units: only the tenant knows what it pays.
 */
export function pickUnitPrice(rows: readonly UnitPriceRow[], tenant: string, metered: Metered, time: Date): UnitPriceMatch | undefined {
  const vendor = normalizeName(metered.vendor);
  const name = normalizeName(metered.name);
  const unit = normalizeName(metered.unit);
  const vendors = metered.kind === 'tool' && vendor !== '' ? [vendor, ''] : [vendor];
  for (const candidate of vendors) {
    let best: UnitPriceRow | undefined;
    for (const row of rows) {
      if (row.tenant !== tenant || row.kind !== metered.kind || row.vendor !== candidate || row.name !== name || row.unit !== unit) continue;
      if (row.effectiveFrom > time || (row.effectiveTo !== null && row.effectiveTo <= time)) continue;
      if (!best || row.effectiveFrom > best.effectiveFrom) best = row;
    }
    if (best) {
      return {
        pricePerUnit: fromStored(best.unitPrice),
        ref: unitPriceRef(tenant, metered.kind, best.vendor, best.name, best.unit, best.effectiveFrom),
      };
    }
  }
  return undefined;
}

export async function findUnitPrice(db: Pick<Tx, 'tenantUnitPrice'>, tenant: string, metered: Metered, time: Date): Promise<UnitPriceMatch | undefined> {
  const rows = await db.tenantUnitPrice.findMany({ where: { tenant, kind: metered.kind, name: normalizeName(metered.name), unit: normalizeName(metered.unit) } });
  return pickUnitPrice(rows, tenant, metered, time);
}

/** Every unit price of these tenants, read once for a batch. */
export async function loadUnitPrices(db: Pick<Tx, 'tenantUnitPrice'>, tenants: readonly string[]): Promise<UnitPriceRow[]> {
  return db.tenantUnitPrice.findMany({ where: { tenant: { in: [...new Set(tenants)] } } });
}
