import { createHash } from 'node:crypto';
import type { JsMsg } from '@nats-io/jetstream';
import { priceSetCodec } from '@agentledger/contracts';
import { CONSUMERS, PermanentError } from '@agentledger/jetstream';
import { formatDecimal, type Decimal } from '@agentledger/money';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { Tx } from '../db.js';
import { lockTenantPricing } from '../costing/priced-usage.js';
import type { PriceSetEvent } from '../prices/price.js';
import { priceSetFromWire } from '../prices/price-wire.js';
import { recordRepricingJob } from '../repricing/repricing-job.js';
import { applyUnitPriceSet, type SequencedUnitPriceSet } from '../unit-prices/unit-price.projection.js';
import { isUnitPriceWire, unitPriceSetFromWire } from '../unit-prices/unit-price-wire.js';
import { CATALOG_IMPORTED_CONTENT_TYPE, catalogImportedFromWire, type CatalogImportedEvent } from './catalog-import.js';
import type { DefaultCatalog, Rates } from '@agentledger/model-pricing';
import { findPrice } from './price-lookup.js';

export interface CatalogDeps {
  /** The default catalog, for the audit trail's "what it replaced". */
  readonly catalog?: DefaultCatalog;
}

export interface SequencedPriceSet {
  readonly event: PriceSetEvent;
  readonly streamSequence: number;
}

export interface SequencedCatalogImport {
  readonly event: CatalogImportedEvent;
  readonly streamSequence: number;
}

export type SequencedCatalogEvent = SequencedPriceSet | SequencedUnitPriceSet | SequencedCatalogImport;

export const CATALOG_PROJECTION = 'pricing-catalog';

/**
 * Idempotency key of a price event: its own identity, never its stream sequence (a sequence is
 * reused by a recreated stream or another NATS store). Price events are appended with `msgID` =
 * the event id; one without (a CatalogImported, an event appended by hand) is identified by
 * its bytes (what it says, and when it was decided).
 */
export function priceEventKey(msg: Pick<JsMsg, 'headers' | 'data'>): string {
  const id = msg.headers?.get('Nats-Msg-Id');
  if (id) return `price:${id}`;
  return `price:sha256:${createHash('sha256').update(msg.data).digest('hex')}`;
}

const optional = (value: PriceSetEvent['data']['entry']['cacheReadPer1M']) => (value === undefined ? null : formatDecimal(value));

/** The rates of a price as the audit trail shows them (JSON of decimal strings). */
function ratesText(rates: Rates): string {
  return JSON.stringify(Object.fromEntries(Object.entries(rates).flatMap(([key, value]) => (value === undefined ? [] : [[key, formatDecimal(value as Decimal)]]))));
}

/**
 * A price event into the catalog (`tenant_price`), its audit line (`price_history`), and the job
 * that re-prices the facts it covers, all in one transaction under the tenant's pricing lock: a
 * fact priced concurrently either sees the new price or is covered by the job.
 */
async function applyPriceSet(tx: Tx, deps: CatalogDeps, { event, streamSequence }: SequencedPriceSet): Promise<void> {
  const { tenant, provider, model, entry } = event.data;
  await lockTenantPricing(tx, [tenant]);
  const previous = await findPrice(tx, deps.catalog, tenant, provider, model, entry.effectiveFrom);
  const rates = {
    effectiveTo: entry.effectiveTo ?? null,
    inputPer1M: formatDecimal(entry.inputPer1M),
    outputPer1M: formatDecimal(entry.outputPer1M),
    cacheReadPer1M: optional(entry.cacheReadPer1M),
    cacheWritePer1M: optional(entry.cacheWritePer1M),
    reasoningPer1M: optional(entry.reasoningPer1M),
    requestFee: optional(entry.requestFee),
    currency: entry.currency,
    setBy: event.metadata.setBy,
    setAt: event.metadata.setAt,
  };
  // In stream order: an older setting redelivered after a newer one (a nak, a retry) never
  // replaces it. The aggregate's appends are ordered by `expectLastSubjectSequence`, so a later
  // stream sequence is a later decision; the audit line and the job are kept either way.
  const where = { tenant_provider_model_effectiveFrom: { tenant, provider, model, effectiveFrom: entry.effectiveFrom } };
  const current = await tx.tenantPrice.findUnique({ where, select: { streamSequence: true } });
  if (!current || current.streamSequence < BigInt(streamSequence)) {
    await tx.tenantPrice.upsert({
      where,
      create: { tenant, provider, model, effectiveFrom: entry.effectiveFrom, ...rates, streamSequence: BigInt(streamSequence) },
      update: { ...rates, streamSequence: BigInt(streamSequence) },
    });
  }
  await recordRepricingJob(tx, {
    streamSequence,
    scope: { kind: 'model', tenant, provider, model, from: entry.effectiveFrom, to: entry.effectiveTo },
    setBy: event.metadata.setBy,
    setAt: event.metadata.setAt,
  });
  await tx.priceHistory.createMany({
    data: [
      {
        streamSequence: BigInt(streamSequence),
        tenant,
        provider,
        model,
        effectiveFrom: entry.effectiveFrom,
        ...rates,
        previousRef: previous?.ref ?? '',
        previousRates: previous ? ratesText(previous.schedule.base) : '{}',
        repricedFacts: 0,
        repricingDelta: '0',
        repricingDone: false,
      },
    ],
    skipDuplicates: true,
  });
}

async function applyCatalogImport(tx: Tx, { event, streamSequence }: SequencedCatalogImport): Promise<void> {
  await tx.catalogImport.createMany({
    data: [{ streamSequence: BigInt(streamSequence), ...event.data, importedAt: event.metadata.importedAt }],
    skipDuplicates: true,
  });
}

/** Writes price events into the catalog read model and records the re-pricing each one causes. */
function catalogApplier(deps: CatalogDeps): (tx: Tx, events: readonly SequencedCatalogEvent[]) => Promise<void> {
  return async (tx, events) => {
    for (const sequenced of events) {
      const type = sequenced.event.type;
      switch (type) {
        case 'PriceSet':
          await applyPriceSet(tx, deps, sequenced as SequencedPriceSet);
          break;
        case 'UnitPriceSet':
          await applyUnitPriceSet(tx, sequenced as SequencedUnitPriceSet);
          break;
        case 'CatalogImported':
          await applyCatalogImport(tx, sequenced as SequencedCatalogImport);
          break;
        default: {
          const unexpected: never = type;
          throw new Error(`unknown catalog event ${String(unexpected)}`);
        }
      }
    }
  };
}

export function decodeCatalogEvent(msg: JsMsg): SequencedCatalogEvent {
  try {
    if (msg.headers?.get('Content-Type') === CATALOG_IMPORTED_CONTENT_TYPE) return { event: catalogImportedFromWire(msg.data), streamSequence: msg.seq };
    const wire = priceSetCodec.decode(msg.data);
    if (isUnitPriceWire(wire)) return { event: unitPriceSetFromWire(wire), streamSequence: msg.seq };
    return { event: priceSetFromWire(msg.data), streamSequence: msg.seq };
  } catch (error) {
    throw new PermanentError(`undecodable price event: ${(error as Error).message}`, 'undecodable');
  }
}

export function catalogProjection(deps: CatalogDeps): ProjectionDefinition<SequencedCatalogEvent, Tx> {
  const apply = catalogApplier(deps);
  return {
    name: CATALOG_PROJECTION,
    consumer: CONSUMERS.pricingCatalog,
    tables: ['tenant_price', 'price_history', 'catalog_import', 'tenant_unit_price', 'unit_price_history', 'repricing_job'],
    decode(msg: JsMsg) {
      const sequenced = decodeCatalogEvent(msg);
      return { key: priceEventKey(msg), event: sequenced };
    },
    apply,
  };
}
