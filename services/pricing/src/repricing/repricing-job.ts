import type { Tx } from '../db.js';
import { FACT_TYPE_OF, type UnitPriceKind } from '../domain/price-match.js';

interface Window {
  readonly tenant: string;
  readonly from: Date;
  readonly to?: Date;
}

/** Which facts a price event may change: one tenant's calls to one (provider, model), or its metered uses of one tool or SaaS product, from a time on. */
export type RepricingScope =
  | (Window & { readonly kind: 'model'; readonly provider: string; readonly model: string })
  | (Window & { readonly kind: 'unit'; readonly unitKind: UnitPriceKind; readonly vendor: string; readonly name: string; readonly unit: string });

/** A price event's re-pricing, recorded with the event in the catalog's transaction. */
export interface RepricingJobInput {
  readonly streamSequence: number;
  readonly scope: RepricingScope;
  readonly setBy: string;
  readonly setAt: Date;
}

/** Records the job (once: a replayed price event finds it there). */
export async function recordRepricingJob(tx: Tx, job: RepricingJobInput): Promise<void> {
  const { scope } = job;
  await tx.repricingJob.createMany({
    data: [
      {
        streamSequence: BigInt(job.streamSequence),
        tenant: scope.tenant,
        kind: scope.kind,
        scope: { ...scope, from: scope.from.toISOString(), to: scope.to?.toISOString() ?? null },
        setBy: job.setBy,
        setAt: job.setAt,
      },
    ],
    skipDuplicates: true,
  });
}

/** The scope as stored in a job's JSON. */
export function scopeOf(stored: unknown): RepricingScope {
  const json = stored as Record<string, unknown> & { from: string; to: string | null };
  return { ...json, from: new Date(json.from), to: json.to ? new Date(json.to) : undefined } as RepricingScope;
}

const insensitive = (value: string) => ({ equals: value, mode: 'insensitive' as const });

/** The `priced_usage` rows a scope covers. */
export function whereOf(scope: RepricingScope) {
  const window = { tenant: scope.tenant, time: { gte: scope.from, ...(scope.to ? { lt: scope.to } : {}) } };
  switch (scope.kind) {
    case 'model':
      return {
        ...window,
        factType: 'llm.call',
        provider: insensitive(scope.provider),
        OR: [{ model: insensitive(scope.model) }, { model: { endsWith: `/${scope.model}`, mode: 'insensitive' as const } }],
      };
    case 'unit':
      // A reported cost always wins: those facts are never re-priced. A tool price without vendor covers every vendor.
      return {
        ...window,
        factType: FACT_TYPE_OF[scope.unitKind],
        item: insensitive(scope.name),
        unit: insensitive(scope.unit),
        ...(scope.vendor ? { vendor: insensitive(scope.vendor) } : {}),
        units: { not: '' },
        priceRef: { not: 'reported' },
      };
    default: {
      const unexpected: never = scope;
      throw new Error(`unknown repricing scope ${JSON.stringify(unexpected)}`);
    }
  }
}
