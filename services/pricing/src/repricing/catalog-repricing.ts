import type { JetStreamManager } from '@nats-io/jetstream';
import { STREAMS, streamIn, type Namespace } from '@agentledger/jetstream';
import { formatDecimal, ZERO, type Decimal } from '@agentledger/money';
import type { PricingDb } from '../db.js';
import { catalogImportedFromWire, catalogSubject, type CatalogImportedEvent } from '../catalog/catalog-import.js';
import { lockTenantPricing } from '../costing/priced-usage.js';
import { correctRows, type RepricingDeps, type RepricingResult } from './corrections.js';

export interface RecordedCatalogImport {
  readonly event: CatalogImportedEvent;
  readonly streamSequence: number;
}

/** The last catalog version recorded on the price stream, with its position. */
export async function lastCatalogImport(jsm: JetStreamManager, ns: Namespace): Promise<RecordedCatalogImport | undefined> {
  const message = await jsm.streams.getMessage(streamIn(ns, STREAMS.prices.name), { last_by_subj: catalogSubject(ns) });
  return message ? { event: catalogImportedFromWire(message.data), streamSequence: message.seq } : undefined;
}

export interface CatalogRepricingOptions {
  /** Facts per transaction: bounds each transaction's work and the corrections it publishes at once. */
  readonly pageSize?: number;
  /** Checked between pages (shutdown): an interrupted sweep resumes where it stopped at the next start. */
  readonly shouldStop?: () => boolean;
  /** After each committed page: publish the corrections it staged. */
  readonly afterPage?: () => Promise<void>;
}

export type CatalogRepricingOutcome = RepricingResult & { readonly status: 'done' | 'already-done' | 'not-this-version' | 'interrupted' };

/**
 * When a new default catalog version is recorded, prices the unpriced model calls its data now
 * covers, through corrections whose revision is the CatalogImported event's stream sequence
 * (same `cost_id`s on any rerun). Pages by (tenant, fact key), one transaction each; a fact
 * corrected gets that revision and is never picked again, and the sweep is marked done in
 * `catalog_repricing` once, so rerunning it (every start-up) changes nothing. Only a process
 * holding that version's data sweeps for it.
 */
export async function repriceForCatalogImport(
  db: PricingDb,
  deps: RepricingDeps,
  imported: RecordedCatalogImport,
  options: CatalogRepricingOptions = {},
): Promise<CatalogRepricingOutcome> {
  const revision = imported.streamSequence;
  const version = imported.event.data.version;
  if (version !== deps.catalogVersion || !deps.catalog) return { status: 'not-this-version', facts: 0, delta: ZERO };
  if (await db.catalogRepricing.findUnique({ where: { streamSequence: BigInt(revision) } })) return { status: 'already-done', facts: 0, delta: ZERO };
  const cause = { revision, by: `catalog:${version}`, at: imported.event.metadata.importedAt };
  const unpriced = { priced: false, factType: 'llm.call', revision: { lt: revision } };
  let facts = 0;
  let delta: Decimal = ZERO;
  let cursor: { tenant: string; factKey: string } | undefined;
  for (;;) {
    if (options.shouldStop?.()) return { status: 'interrupted', facts, delta };
    const after = cursor && { OR: [{ tenant: { gt: cursor.tenant } }, { tenant: cursor.tenant, factKey: { gt: cursor.factKey } }] };
    const page = await db.pricedUsage.findMany({
      where: { ...unpriced, ...after },
      select: { tenant: true, factKey: true },
      orderBy: [{ tenant: 'asc' }, { factKey: 'asc' }],
      take: options.pageSize ?? 200,
    });
    if (page.length === 0) break;
    cursor = page[page.length - 1];
    const result = await db.$transaction(
      async (tx) => {
        await lockTenantPricing(tx, page.map((row) => row.tenant));
        // Read again under the lock: the facts projection or a price event may have priced them since.
        const rows = await tx.pricedUsage.findMany({ where: { ...unpriced, OR: page.map((row) => ({ tenant: row.tenant, factKey: row.factKey })) } });
        return correctRows(tx, deps, rows, cause);
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    await options.afterPage?.();
    facts += result.facts;
    delta = delta.plus(result.delta);
  }
  await db.catalogRepricing.createMany({
    data: [{ streamSequence: BigInt(revision), version, repricedFacts: facts, repricingDelta: formatDecimal(delta), completedAt: cause.at }],
    skipDuplicates: true,
  });
  return { status: 'done', facts, delta };
}
