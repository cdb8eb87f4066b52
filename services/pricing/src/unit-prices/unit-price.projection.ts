import { formatDecimal } from '@agentledger/money';
import type { Tx } from '../catalog/catalog.projection.js';
import { repriceFacts, type RepricingDeps } from '../costing/repricing.js';
import type { UnitPriceSetEvent } from './unit-price.js';
import { findUnitPrice } from './unit-price-lookup.js';

export interface SequencedUnitPriceSet {
  readonly event: UnitPriceSetEvent;
  readonly streamSequence: number;
}

/**
 * A unit price event into the catalog read model (`tenant_unit_price`), then the re-pricing of
 * the tenant's metered facts it covers, then its audit line (`unit_price_history`).
 */
export async function applyUnitPriceSet(tx: Tx, deps: RepricingDeps, { event, streamSequence }: SequencedUnitPriceSet): Promise<void> {
  const { tenant, kind, vendor, name, unit, entry } = event.data;
  const previous = await findUnitPrice(tx, tenant, { kind, vendor, name, unit }, entry.effectiveFrom);
  const fields = {
    effectiveTo: entry.effectiveTo ?? null,
    unitPrice: formatDecimal(entry.pricePerUnit),
    currency: entry.currency,
    setBy: event.metadata.setBy,
    setAt: event.metadata.setAt,
    streamSequence: BigInt(streamSequence),
  };
  await tx.tenantUnitPrice.upsert({
    where: { tenant_kind_vendor_name_unit_effectiveFrom: { tenant, kind, vendor, name, unit, effectiveFrom: entry.effectiveFrom } },
    create: { tenant, kind, vendor, name, unit, effectiveFrom: entry.effectiveFrom, ...fields },
    update: fields,
  });
  const repriced = await repriceFacts(
    tx,
    deps,
    { kind: 'unit', unitKind: kind, tenant, vendor, name, unit, from: entry.effectiveFrom, to: entry.effectiveTo },
    { revision: streamSequence, by: event.metadata.setBy, at: event.metadata.setAt },
  );
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
        repricedFacts: repriced.facts,
        repricingDelta: formatDecimal(repriced.delta),
      },
    ],
    skipDuplicates: true,
  });
}
