import type { Tx } from '../db.js';
import { normalizeName } from '@agentledger/model-pricing';
import { pickUnitPrice, type TenantUnitPriceRow } from '../domain/pick-price.js';
import type { Metered, UnitPriceMatch } from '../domain/price-match.js';

type UnitPriceReader = Pick<Tx, 'tenantUnitPrice'>;

export async function findUnitPrice(db: UnitPriceReader, tenant: string, metered: Metered, time: Date): Promise<UnitPriceMatch | undefined> {
  const rows = await db.tenantUnitPrice.findMany({ where: { tenant, kind: metered.kind, name: normalizeName(metered.name), unit: normalizeName(metered.unit) } });
  return pickUnitPrice(rows, tenant, metered, time);
}

/** Every unit price of these tenants, read once for a batch. */
export async function loadUnitPrices(db: UnitPriceReader, tenants: readonly string[]): Promise<TenantUnitPriceRow[]> {
  return db.tenantUnitPrice.findMany({ where: { tenant: { in: [...new Set(tenants)] } } });
}
