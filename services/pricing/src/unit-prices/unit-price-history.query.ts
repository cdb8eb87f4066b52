import { storedText } from '@agentledger/money';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { normalizeName } from '../prices/price.js';
import type { UnitPriceKind } from './unit-price.js';

/** One unit price event as the audit trail shows it (`unit_price_history`), money as exact decimal strings. */
export interface UnitPriceHistoryEntryView {
  kind: 'TOOL' | 'SAAS';
  /** null: a tool price for any vendor. */
  vendor: string | null;
  name: string;
  unit: string;
  pricePerUnit: string;
  currency: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  setBy: string;
  setAt: string;
  /** The unit price in force at effectiveFrom before this one ("tenant:…"), null if none. */
  previousPriceRef: string | null;
  /** Its price per unit, null if none. */
  previousPricePerUnit: string | null;
  repricedFacts: number;
  /** Sum of the corrections this price caused. */
  repricingDelta: string;
  /** False while the re-pricing processor is still working through the facts it covers. */
  repricingDone: boolean;
}

const KINDS: Record<string, UnitPriceKind> = { tool: 'tool', saas: 'saas' };

/**
 * `unitPriceHistory {kind, vendor?, name, unit}`: every price event for one of the tenant's tool
 * or SaaS unit prices, oldest first. Names are matched as `setUnitPrice` stores them (trimmed,
 * normalized); a tool without vendor is the price covering any vendor, not every vendor's prices.
 */
export async function unitPriceHistory(db: PrismaClient, request: QueryRequest): Promise<UnitPriceHistoryEntryView[]> {
  const args = (request.args ?? {}) as { kind?: unknown; vendor?: unknown; name?: unknown; unit?: unknown };
  const kind = typeof args.kind === 'string' ? KINDS[args.kind.toLowerCase()] : undefined;
  if (!kind) throw new QueryError('BAD_USER_INPUT', `kind: ${JSON.stringify(args.kind ?? null)} is not TOOL or SAAS`);
  if (typeof args.name !== 'string' || args.name.trim() === '' || typeof args.unit !== 'string' || args.unit.trim() === '')
    throw new QueryError('BAD_USER_INPUT', 'name and unit are required');
  if (args.vendor !== undefined && args.vendor !== null && typeof args.vendor !== 'string') throw new QueryError('BAD_USER_INPUT', 'vendor: must be a string');
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
