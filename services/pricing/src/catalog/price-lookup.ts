import { fromStored, type StoredDecimal } from '@agentledger/money';
import { flatSchedule, type PriceSchedule } from '../costing/price-schedule.js';
import { normalizeName } from '../prices/price.js';
import type { Tx } from './catalog.projection.js';
import type { DefaultCatalog } from './default-catalog.js';

export interface PriceMatch {
  readonly schedule: PriceSchedule;
  /** Which entry priced it, for the audit trail on every priced cost. */
  readonly ref: string;
}

type PriceReader = Pick<Tx, 'tenantPrice'>;

/** Candidate (provider, model) names for what an agent sent: as sent, then without a provider prefix. */
export function nameCandidates(provider: string, model: string): Array<{ provider: string; model: string }> {
  const p = normalizeName(provider);
  const m = normalizeName(model);
  const candidates = [{ provider: p, model: m }];
  const slash = m.indexOf('/');
  if (slash > 0) candidates.push({ provider: p, model: m.slice(slash + 1) });
  return candidates;
}

type TenantPriceRow = Awaited<ReturnType<PriceReader['tenantPrice']['findMany']>>[number];

/** The entry of `rows` in force at `time` for what the agent sent (pure: the lookup rule in one place). */
export function pickTenantPrice(rows: readonly TenantPriceRow[], tenant: string, provider: string, model: string, time: Date): PriceMatch | undefined {
  for (const candidate of nameCandidates(provider, model)) {
    let best: TenantPriceRow | undefined;
    for (const row of rows) {
      if (row.tenant !== tenant || row.provider !== candidate.provider || row.model !== candidate.model) continue;
      if (row.effectiveFrom > time || (row.effectiveTo !== null && row.effectiveTo <= time)) continue;
      if (!best || row.effectiveFrom > best.effectiveFrom) best = row;
    }
    if (!best) continue;
    const optional = (value: StoredDecimal | null) => (value === null ? undefined : fromStored(value));
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

/** The tenant's price in force at `time`, or undefined (then the call is unpriced, never $0). */
export async function findTenantPrice(db: PriceReader, tenant: string, provider: string, model: string, time: Date): Promise<PriceMatch | undefined> {
  const rows = await db.tenantPrice.findMany({ where: { tenant, OR: nameCandidates(provider, model) } });
  return pickTenantPrice(rows, tenant, provider, model, time);
}

/** Every price of these tenants, read once for a batch (tenant price lists are short). */
export async function loadTenantPrices(db: PriceReader, tenants: readonly string[]): Promise<TenantPriceRow[]> {
  return db.tenantPrice.findMany({ where: { tenant: { in: [...new Set(tenants)] } } });
}

export const tenantPriceRef = (tenant: string, provider: string, model: string, effectiveFrom: Date) =>
  `tenant:${tenant}:${provider}/${model}@${effectiveFrom.toISOString()}`;

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
