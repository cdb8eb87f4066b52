import type { UnitPriceView } from '@agentledger/contracts';
import { storedText } from '@agentledger/money';
import type { PrismaClient } from '../generated/prisma/client.js';
import { unitPriceView } from './set-unit-price.handler.js';
import type { UnitPriceKind } from './unit-price.js';

/** The tenant's tool and SaaS unit prices, by kind, vendor, name and unit, newest first. */
export async function listUnitPrices(db: PrismaClient, tenant: string): Promise<UnitPriceView[]> {
  const rows = await db.tenantUnitPrice.findMany({
    where: { tenant },
    orderBy: [{ kind: 'desc' }, { vendor: 'asc' }, { name: 'asc' }, { unit: 'asc' }, { effectiveFrom: 'desc' }],
  });
  return rows.map((row) =>
    unitPriceView({ kind: row.kind as UnitPriceKind, vendor: row.vendor, name: row.name, unit: row.unit }, {
      pricePerUnit: storedText(row.unitPrice),
      effectiveFrom: row.effectiveFrom,
      effectiveTo: row.effectiveTo,
    }),
  );
}
