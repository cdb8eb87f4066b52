import { storedText } from '@agentledger/money';
import type { ArgsOf, CatalogVersionView, PriceHistoryEntryView, priceHistoryQuery } from '@agentledger/contracts';
import type { QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { normalizeName } from '../prices/price.js';
import type { DefaultCatalog } from '@agentledger/model-pricing';

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

/** Every price event for one of the tenant's models, oldest first: the audit trail. */
export async function priceHistory(db: PrismaClient, request: QueryRequest<ArgsOf<typeof priceHistoryQuery>>): Promise<PriceHistoryEntryView[]> {
  const { args } = request;
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
