import type { JsMsg } from '@nats-io/jetstream';
import { CONSUMERS, PermanentError } from '@agentledger/jetstream';
import { formatDecimal } from '@agentledger/money';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { PriceSetEvent } from '../prices/price.js';
import { priceSetFromWire } from '../prices/price-wire.js';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface SequencedPriceSet {
  readonly event: PriceSetEvent;
  readonly streamSequence: number;
}

export const CATALOG_PROJECTION = 'pricing-catalog';

/** Idempotency key of a price event: its position in the price stream. */
export const priceEventKey = (streamSequence: number) => `price:${streamSequence}`;

/** Writes price events into the catalog read model. */
export async function applyPriceEvents(tx: Tx, events: readonly SequencedPriceSet[]): Promise<void> {
  for (const { event, streamSequence } of events) {
    const { entry } = event.data;
    const rates = {
      effectiveTo: entry.effectiveTo ?? null,
      inputPer1M: formatDecimal(entry.inputPer1M),
      outputPer1M: formatDecimal(entry.outputPer1M),
      cacheReadPer1M: entry.cacheReadPer1M ? formatDecimal(entry.cacheReadPer1M) : null,
      cacheWritePer1M: entry.cacheWritePer1M ? formatDecimal(entry.cacheWritePer1M) : null,
      reasoningPer1M: entry.reasoningPer1M ? formatDecimal(entry.reasoningPer1M) : null,
      requestFee: entry.requestFee ? formatDecimal(entry.requestFee) : null,
      currency: entry.currency,
      setBy: event.metadata.setBy,
      setAt: event.metadata.setAt,
      streamSequence: BigInt(streamSequence),
    };
    await tx.tenantPrice.upsert({
      where: {
        tenant_provider_model_effectiveFrom: {
          tenant: event.data.tenant,
          provider: event.data.provider,
          model: event.data.model,
          effectiveFrom: entry.effectiveFrom,
        },
      },
      create: { tenant: event.data.tenant, provider: event.data.provider, model: event.data.model, effectiveFrom: entry.effectiveFrom, ...rates },
      update: rates,
    });
  }
}

export const catalogProjection: ProjectionDefinition<SequencedPriceSet, Tx> = {
  name: CATALOG_PROJECTION,
  consumer: CONSUMERS.pricingCatalog,
  tables: ['tenant_price'],
  decode(msg: JsMsg) {
    try {
      return { key: priceEventKey(msg.seq), event: { event: priceSetFromWire(msg.data), streamSequence: msg.seq } };
    } catch (error) {
      throw new PermanentError(`undecodable price event: ${(error as Error).message}`, 'undecodable');
    }
  },
  apply: applyPriceEvents,
};
