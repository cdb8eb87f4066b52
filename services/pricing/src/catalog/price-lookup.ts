import type { Tx } from '../db.js';
import { nameCandidates, pickTenantPrice, type DefaultCatalog, type PriceMatch, type TenantPriceRow } from '@agentledger/model-pricing';

type PriceReader = Pick<Tx, 'tenantPrice'>;

/** The tenant's price in force at `time`, or undefined (then the call is unpriced, never $0). */
export async function findTenantPrice(db: PriceReader, tenant: string, provider: string, model: string, time: Date): Promise<PriceMatch | undefined> {
  const rows = await db.tenantPrice.findMany({ where: { tenant, OR: nameCandidates(provider, model) } });
  return pickTenantPrice(rows, tenant, provider, model, time);
}

/** Every price of these tenants, read once for a batch (tenant price lists are short). */
export async function loadTenantPrices(db: PriceReader, tenants: readonly string[]): Promise<TenantPriceRow[]> {
  return db.tenantPrice.findMany({ where: { tenant: { in: [...new Set(tenants)] } } });
}

/** A tenant's own price wins over any default match; the default catalog is for that tenant's gaps only. */
export async function findPrice(
  db: PriceReader,
  catalog: DefaultCatalog | undefined,
  tenant: string,
  provider: string,
  model: string,
  time: Date,
): Promise<PriceMatch | undefined> {
  return (await findTenantPrice(db, tenant, provider, model, time)) ?? catalog?.find(provider, model, time);
}
