import { storedText } from '@agentledger/money';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { normalizeName } from '../prices/price.js';
import type { DefaultCatalog } from './default-catalog.js';

export interface CatalogVersionView {
  version: string;
  packageVersion: string;
  dataHash: string;
  models: number;
  /** When this version was recorded on the price stream (null until the catalog projection has it). */
  importedAt: string | null;
  previousVersion: string | null;
}

/** The default catalog in use, as recorded by its CatalogImported event. */
export async function catalogVersion(db: PrismaClient, catalog: DefaultCatalog): Promise<CatalogVersionView> {
  const recorded = await db.catalogImport.findFirst({ where: { version: catalog.version }, orderBy: { streamSequence: 'desc' } });
  return {
    version: catalog.version,
    packageVersion: catalog.packageVersion,
    dataHash: catalog.dataHash,
    models: catalog.modelCount,
    importedAt: recorded?.importedAt.toISOString() ?? null,
    previousVersion: recorded?.previousVersion || null,
  };
}

export interface PriceHistoryEntryView {
  provider: string;
  model: string;
  inputPer1M: string;
  outputPer1M: string;
  cacheReadPer1M: string | null;
  cacheWritePer1M: string | null;
  reasoningPer1M: string | null;
  requestFee: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  setBy: string;
  setAt: string;
  /** The entry in force at effectiveFrom before this one ("default:…", "tenant:…"), null if none. */
  previousPriceRef: string | null;
  /** Its rates, as decimal strings by field name (JSON). */
  previousRates: string | null;
  repricedFacts: number;
  /** Sum of the corrections this price caused. */
  repricingDelta: string;
  /** False while the re-pricing processor is still working through the facts it covers. */
  repricingDone: boolean;
}

/** Every price event for one of the tenant's models, oldest first: the audit trail. */
export async function priceHistory(db: PrismaClient, request: QueryRequest): Promise<PriceHistoryEntryView[]> {
  const args = (request.args ?? {}) as { provider?: unknown; model?: unknown };
  if (typeof args.provider !== 'string' || typeof args.model !== 'string') throw new QueryError('BAD_USER_INPUT', 'provider and model are required');
  const rows = await db.priceHistory.findMany({
    where: { tenant: request.tenant, provider: normalizeName(args.provider), model: normalizeName(args.model) },
    orderBy: { streamSequence: 'asc' },
  });
  return rows.map((row) => ({
    provider: row.provider,
    model: row.model,
    inputPer1M: storedText(row.inputPer1M),
    outputPer1M: storedText(row.outputPer1M),
    cacheReadPer1M: storedText(row.cacheReadPer1M),
    cacheWritePer1M: storedText(row.cacheWritePer1M),
    reasoningPer1M: storedText(row.reasoningPer1M),
    requestFee: storedText(row.requestFee),
    effectiveFrom: row.effectiveFrom.toISOString(),
    effectiveTo: row.effectiveTo?.toISOString() ?? null,
    setBy: row.setBy,
    setAt: row.setAt.toISOString(),
    previousPriceRef: row.previousRef || null,
    previousRates: row.previousRef ? row.previousRates : null,
    repricedFacts: row.repricedFacts,
    repricingDelta: storedText(row.repricingDelta),
    repricingDone: row.repricingDone,
  }));
}
