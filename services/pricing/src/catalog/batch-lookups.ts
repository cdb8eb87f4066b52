import type { SqlExecutor } from '@agentledger/projections';
import { pickUnitPrice } from '../domain/pick-price.js';
import type { PriceLookups } from '../domain/price-match.js';
import { loadUnitPrices } from '../unit-prices/unit-price-lookup.js';
import { pickTenantPrice, type DefaultCatalog } from '@agentledger/model-pricing';
import { loadTenantPrices } from './price-lookup.js';

/**
 * The price look-ups for a batch of facts: the tenants' prices read once, then every look-up is
 * pure (tenant price first, then the default catalog; unit prices are the tenant's only).
 */
export async function batchLookups(tx: Pick<SqlExecutor, '$queryRawUnsafe'>, catalog: DefaultCatalog | undefined, tenants: readonly string[]): Promise<PriceLookups> {
  const modelPrices = await loadTenantPrices(tx, tenants);
  const unitPrices = await loadUnitPrices(tx, tenants);
  return {
    findPrice: (tenant, provider, model, time) => pickTenantPrice(modelPrices, tenant, provider, model, time) ?? catalog?.find(provider, model, time),
    findUnitPrice: (tenant, metered, time) => pickUnitPrice(unitPrices, tenant, metered, time),
  };
}
