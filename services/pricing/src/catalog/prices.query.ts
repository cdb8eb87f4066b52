import type { PriceView } from '@agentledger/contracts';
import { storedText } from '@agentledger/money';
import type { PrismaClient } from '../generated/prisma/client.js';

/** The tenant's own prices, newest first per model. */
export async function listPrices(db: PrismaClient, tenant: string): Promise<PriceView[]> {
  const rows = await db.tenantPrice.findMany({ where: { tenant }, orderBy: [{ provider: 'asc' }, { model: 'asc' }, { effectiveFrom: 'desc' }] });
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
  }));
}
