import { parseDecimal, type Decimal } from '@agentledger/money';
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

/**
 * The tenant's unit price in force at `time`, or undefined (then the fact is unpriced, never $0).
 * A tool price for the call's vendor wins over one set without vendor; SaaS prices are per vendor.
 * There is no default catalog for units: only the tenant knows what it pays.
 */
export async function findUnitPrice(db: Pick<Tx, 'tenantUnitPrice'>, tenant: string, metered: Metered, time: Date): Promise<UnitPriceMatch | undefined> {
  const vendor = normalizeName(metered.vendor);
  const vendors = metered.kind === 'tool' && vendor !== '' ? [vendor, ''] : [vendor];
  for (const candidate of vendors) {
    const row = await db.tenantUnitPrice.findFirst({
      where: {
        tenant,
        kind: metered.kind,
        vendor: candidate,
        name: normalizeName(metered.name),
        unit: normalizeName(metered.unit),
        effectiveFrom: { lte: time },
        OR: [{ effectiveTo: null }, { effectiveTo: { gt: time } }],
      },
      orderBy: { effectiveFrom: 'desc' },
    });
    if (row) {
      return {
        pricePerUnit: parseDecimal(row.unitPrice.toFixed()),
        ref: unitPriceRef(tenant, metered.kind, row.vendor, row.name, row.unit, row.effectiveFrom),
      };
    }
  }
  return undefined;
}
