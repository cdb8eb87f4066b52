export { costOfCall, usageOf, type Rates, type Usage, type CallCost } from './cost-of-call.js';
export { costOnSchedule, flatSchedule, ratesFor, type PriceSchedule, type PriceTier } from './price-schedule.js';
export { normalizeName, nameCandidates } from './names.js';
export { inForceAt, pickTenantPrice, tenantPriceRef, type DatedRow, type PriceMatch, type TenantPriceRow } from './tenant-price.js';
export { buildDefaultCatalog, exactDecimal, loadDefaultCatalog, type CatalogModelId, type DefaultCatalog } from './default-catalog.js';
