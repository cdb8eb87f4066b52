import type { SqlExecutor } from '@agentledger/projections';
import type { Tx } from '../db.js';
import { normalizeName } from '@agentledger/model-pricing';
import { pickUnitPrice, type TenantUnitPriceRow } from '../domain/pick-price.js';
import type { Metered, UnitPriceMatch } from '../domain/price-match.js';

type UnitPriceReader = Pick<Tx, 'tenantUnitPrice'>;

export async function findUnitPrice(db: UnitPriceReader, tenant: string, metered: Metered, time: Date): Promise<UnitPriceMatch | undefined> {
  const rows = await db.tenantUnitPrice.findMany({ where: { tenant, kind: metered.kind, name: normalizeName(metered.name), unit: normalizeName(metered.unit) } });
  return pickUnitPrice(rows, tenant, metered, time);
}

/** Every unit price of these tenants, read once for a batch (raw SQL, as `loadTenantPrices`; prices as exact text). */
export async function loadUnitPrices(db: Pick<SqlExecutor, '$queryRawUnsafe'>, tenants: readonly string[]): Promise<TenantUnitPriceRow[]> {
  return db.$queryRawUnsafe<TenantUnitPriceRow[]>(
    `SELECT tenant, kind, vendor, name, unit, effective_from AS "effectiveFrom", effective_to AS "effectiveTo", unit_price::text AS "unitPrice"
     FROM tenant_unit_price WHERE tenant = ANY($1::text[])`,
    [...new Set(tenants)],
  );
}
