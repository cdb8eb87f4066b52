import { parseDecimal } from '@agentledger/money';
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

/** The tenant's price in force at `time`, or undefined (then the call is unpriced, never $0). */
export async function findTenantPrice(db: PriceReader, tenant: string, provider: string, model: string, time: Date): Promise<PriceMatch | undefined> {
  for (const candidate of nameCandidates(provider, model)) {
    const row = await db.tenantPrice.findFirst({
      where: {
        tenant,
        provider: candidate.provider,
        model: candidate.model,
        effectiveFrom: { lte: time },
        OR: [{ effectiveTo: null }, { effectiveTo: { gt: time } }],
      },
      orderBy: { effectiveFrom: 'desc' },
    });
    if (!row) continue;
    const optional = (value: { toFixed(): string } | null) => (value === null ? undefined : parseDecimal(value.toFixed()));
    return {
      schedule: flatSchedule({
        inputPer1M: parseDecimal(row.inputPer1M.toFixed()),
        outputPer1M: parseDecimal(row.outputPer1M.toFixed()),
        cacheReadPer1M: optional(row.cacheReadPer1M),
        cacheWritePer1M: optional(row.cacheWritePer1M),
        reasoningPer1M: optional(row.reasoningPer1M),
        requestFee: optional(row.requestFee),
      }),
      ref: tenantPriceRef(tenant, row.provider, row.model, row.effectiveFrom),
    };
  }
  return undefined;
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
