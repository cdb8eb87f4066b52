import { formatDecimal } from '@agentledger/money';
import type { Tx } from '../db.js';
import { lockTenantPricing } from '../costing/priced-usage.js';
import { recordRepricingJob } from '../repricing/repricing-job.js';
import type { UnitPriceSetEvent } from './unit-price.js';
import { findUnitPrice } from './unit-price-lookup.js';

export interface SequencedUnitPriceSet {
  readonly event: UnitPriceSetEvent;
  readonly streamSequence: number;
}

/**
 * A unit price event into the catalog read model (`tenant_unit_price`), the job that re-prices
 * the tenant's metered facts it covers, and its audit line (`unit_price_history`), under the
 * tenant's pricing lock.
 */
export async function applyUnitPriceSet(tx: Tx, { event, streamSequence }: SequencedUnitPriceSet): Promise<void> {
  const { tenant, kind, vendor, name, unit, entry } = event.data;
  await lockTenantPricing(tx, [tenant]);
  const previous = await findUnitPrice(tx, tenant, { kind, vendor, name, unit }, entry.effectiveFrom);
  const fields = {
    effectiveTo: entry.effectiveTo ?? null,
    unitPrice: formatDecimal(entry.pricePerUnit),
    currency: entry.currency,
    setBy: event.metadata.setBy,
    setAt: event.metadata.setAt,
    streamSequence: BigInt(streamSequence),
  };
  // In stream order: an older setting delivered after a newer one never replaces it.
  const where = { tenant_kind_vendor_name_unit_effectiveFrom: { tenant, kind, vendor, name, unit, effectiveFrom: entry.effectiveFrom } };
  const current = await tx.tenantUnitPrice.findUnique({ where, select: { streamSequence: true } });
  if (!current || current.streamSequence < fields.streamSequence) {
    await tx.tenantUnitPrice.upsert({ where, create: { tenant, kind, vendor, name, unit, effectiveFrom: entry.effectiveFrom, ...fields }, update: fields });
  }
  await recordRepricingJob(tx, {
    streamSequence,
    scope: { kind: 'unit', unitKind: kind, tenant, vendor, name, unit, from: entry.effectiveFrom, to: entry.effectiveTo },
    setBy: event.metadata.setBy,
    setAt: event.metadata.setAt,
  });
  await tx.unitPriceHistory.createMany({
    data: [
      {
        tenant,
        kind,
        vendor,
        name,
        unit,
        effectiveFrom: entry.effectiveFrom,
        ...fields,
        previousRef: previous?.ref ?? '',
        previousUnitPrice: previous ? formatDecimal(previous.pricePerUnit) : '',
        repricedFacts: 0,
        repricingDelta: '0',
        repricingDone: false,
      },
    ],
    skipDuplicates: true,
  });
}
