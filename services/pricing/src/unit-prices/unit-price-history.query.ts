import { storedText } from '@agentledger/money';
import type { ArgsOf, UnitPriceHistoryEntryView, unitPriceHistoryQuery } from '@agentledger/contracts';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { normalizeName } from '../prices/price.js';
import type { UnitPriceKind } from './unit-price.js';

const KINDS: Record<string, UnitPriceKind> = { tool: 'tool', saas: 'saas' };

/**
 * `unitPriceHistory {kind, vendor?, name, unit}`: every price event for one of the tenant's tool
 * or SaaS unit prices, oldest first. Names are matched as `setUnitPrice` stores them (trimmed,
 * normalized); a tool without vendor is the price covering any vendor, not every vendor's prices.
 */
export async function unitPriceHistory(db: PrismaClient, request: QueryRequest<ArgsOf<typeof unitPriceHistoryQuery>>): Promise<UnitPriceHistoryEntryView[]> {
  const { args } = request;
  const kind = typeof args.kind === 'string' ? KINDS[args.kind.toLowerCase()] : undefined;
  if (!kind) throw new QueryError('BAD_USER_INPUT', `kind: ${JSON.stringify(args.kind ?? null)} is not TOOL or SAAS`);
  if (typeof args.name !== 'string' || args.name.trim() === '' || typeof args.unit !== 'string' || args.unit.trim() === '')
    throw new QueryError('BAD_USER_INPUT', 'name and unit are required');
  const vendor = normalizeName((args.vendor ?? '').trim());
  if (kind === 'saas' && vendor === '') throw new QueryError('BAD_USER_INPUT', 'vendor: required for a SAAS unit price');
  const rows = await db.unitPriceHistory.findMany({
    where: { tenant: request.tenant, kind, vendor, name: normalizeName(args.name.trim()), unit: normalizeName(args.unit.trim()) },
    orderBy: { streamSequence: 'asc' },
  });
  return rows.map((row) => ({
    kind: row.kind === 'tool' ? 'TOOL' : 'SAAS',
    vendor: row.vendor || null,
    name: row.name,
    unit: row.unit,
    pricePerUnit: storedText(row.unitPrice),
    currency: row.currency,
    effectiveFrom: row.effectiveFrom.toISOString(),
    effectiveTo: row.effectiveTo?.toISOString() ?? null,
    setBy: row.setBy,
    setAt: row.setAt.toISOString(),
    previousPriceRef: row.previousRef || null,
    previousPricePerUnit: row.previousRef && row.previousUnitPrice ? storedText(row.previousUnitPrice) : null,
    repricedFacts: row.repricedFacts,
    repricingDelta: storedText(row.repricingDelta),
    repricingDone: row.repricingDone,
  }));
}
