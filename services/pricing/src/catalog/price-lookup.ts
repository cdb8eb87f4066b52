import { parseDecimal } from '@agentledger/money';
import type { Rates } from '../costing/cost-of-call.js';
import { normalizeName } from '../prices/price.js';
import type { Tx } from './catalog.projection.js';

export interface PriceMatch {
  readonly rates: Rates;
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
      rates: {
        inputPer1M: parseDecimal(row.inputPer1M.toFixed()),
        outputPer1M: parseDecimal(row.outputPer1M.toFixed()),
        cacheReadPer1M: optional(row.cacheReadPer1M),
        cacheWritePer1M: optional(row.cacheWritePer1M),
        reasoningPer1M: optional(row.reasoningPer1M),
        requestFee: optional(row.requestFee),
      },
      ref: `tenant:${tenant}:${row.provider}/${row.model}@${row.effectiveFrom.toISOString()}`,
    };
  }
  return undefined;
}
