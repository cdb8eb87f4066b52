import { parseDecimal, formatDecimal } from '@agentledger/money';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { PriceView } from '../prices/set-price.handler.js';

const text = (value: { toFixed(): string } | null) => (value === null ? null : formatDecimal(parseDecimal(value.toFixed())));

/** The tenant's own prices, newest first per model. */
export async function listPrices(db: PrismaClient, tenant: string): Promise<PriceView[]> {
  const rows = await db.tenantPrice.findMany({ where: { tenant }, orderBy: [{ provider: 'asc' }, { model: 'asc' }, { effectiveFrom: 'desc' }] });
  return rows.map((row) => ({
    provider: row.provider,
    model: row.model,
    inputPer1M: text(row.inputPer1M)!,
    outputPer1M: text(row.outputPer1M)!,
    cacheReadPer1M: text(row.cacheReadPer1M),
    cacheWritePer1M: text(row.cacheWritePer1M),
    reasoningPer1M: text(row.reasoningPer1M),
    requestFee: text(row.requestFee),
    effectiveFrom: row.effectiveFrom.toISOString(),
    effectiveTo: row.effectiveTo?.toISOString() ?? null,
  }));
}
