import type { SqlExecutor } from '@agentledger/projections';
import type { Tx } from '../db.js';
import { nameCandidates, pickTenantPrice, type DefaultCatalog, type PriceMatch, type TenantPriceRow } from '@agentledger/model-pricing';

type PriceReader = Pick<Tx, 'tenantPrice'>;

/** The tenant's price in force at `time`, or undefined (then the call is unpriced, never $0). */
export async function findTenantPrice(db: PriceReader, tenant: string, provider: string, model: string, time: Date): Promise<PriceMatch | undefined> {
  const rows = await db.tenantPrice.findMany({ where: { tenant, OR: nameCandidates(provider, model) } });
  return pickTenantPrice(rows, tenant, provider, model, time);
}

/**
 * Every price of these tenants, read once for a batch (tenant price lists are short). Raw SQL, so
 * that a read model's transaction on the bare pool can ask it; prices come back as exact text.
 */
export async function loadTenantPrices(db: Pick<SqlExecutor, '$queryRawUnsafe'>, tenants: readonly string[]): Promise<TenantPriceRow[]> {
  return db.$queryRawUnsafe<TenantPriceRow[]>(
    `SELECT tenant, provider, model, effective_from AS "effectiveFrom", effective_to AS "effectiveTo",
            input_per_1m::text AS "inputPer1M", output_per_1m::text AS "outputPer1M", cache_read_per_1m::text AS "cacheReadPer1M",
            cache_write_per_1m::text AS "cacheWritePer1M", reasoning_per_1m::text AS "reasoningPer1M", request_fee::text AS "requestFee"
     FROM tenant_price WHERE tenant = ANY($1::text[])`,
    [...new Set(tenants)],
  );
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
