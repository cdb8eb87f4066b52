import { fromTimestamp, priceSetCodec, SCHEMA_VERSION, toTimestamp, type PriceSet } from '@agentledger/contracts';
import { encodeSubjectToken, subjects, type Namespace } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal, type Decimal } from '@agentledger/money';
import type { EventCodec } from '@agentledger/event-sourcing';
import type { PriceSetEvent } from './price.js';

/** The aggregate's subject: one per (tenant, provider, model). */
export function priceSubject(ns: Namespace, tenant: string, provider: string, model: string): string {
  return subjects.price(ns, tenant, encodeSubjectToken(provider), encodeSubjectToken(model));
}

const optional = (value: Decimal | undefined) => (value === undefined ? '' : formatDecimal(value));
const parseOptional = (value: string) => (value === '' ? undefined : parseDecimal(value));

export function priceSetToWire(event: PriceSetEvent): Uint8Array {
  const { entry } = event.data;
  return priceSetCodec.encode(
    priceSetCodec.create({
      schemaVersion: SCHEMA_VERSION,
      tenant: event.data.tenant,
      provider: event.data.provider,
      model: event.data.model,
      rates: {
        inputPer1m: formatDecimal(entry.inputPer1M),
        outputPer1m: formatDecimal(entry.outputPer1M),
        cacheReadPer1m: optional(entry.cacheReadPer1M),
        cacheWritePer1m: optional(entry.cacheWritePer1M),
        reasoningPer1m: optional(entry.reasoningPer1M),
        requestFee: optional(entry.requestFee),
      },
      effectiveFrom: toTimestamp(entry.effectiveFrom),
      effectiveTo: entry.effectiveTo ? toTimestamp(entry.effectiveTo) : undefined,
      setBy: event.metadata.setBy,
      setAt: toTimestamp(event.metadata.setAt),
      currency: entry.currency,
    }),
  );
}

export function priceSetFromWire(bytes: Uint8Array): PriceSetEvent {
  const wire: PriceSet = priceSetCodec.decode(bytes);
  const rates = wire.rates;
  if (!rates) throw new Error('PriceSet without rates');
  return {
    type: 'PriceSet',
    data: {
      tenant: wire.tenant,
      provider: wire.provider,
      model: wire.model,
      entry: {
        effectiveFrom: fromTimestamp(wire.effectiveFrom),
        effectiveTo: wire.effectiveTo ? fromTimestamp(wire.effectiveTo) : undefined,
        inputPer1M: parseDecimal(rates.inputPer1m),
        outputPer1M: parseDecimal(rates.outputPer1m),
        cacheReadPer1M: parseOptional(rates.cacheReadPer1m),
        cacheWritePer1M: parseOptional(rates.cacheWritePer1m),
        reasoningPer1M: parseOptional(rates.reasoningPer1m),
        requestFee: parseOptional(rates.requestFee),
        currency: wire.currency || 'USD',
      },
    },
    metadata: { setBy: wire.setBy, setAt: fromTimestamp(wire.setAt) },
  };
}

/** The price aggregate's events as its subject carries them (protobuf PriceSet). */
export const priceEventCodec: EventCodec<PriceSetEvent> = {
  encode: (event) => ({ payload: priceSetToWire(event), headers: { 'Content-Type': priceSetCodec.contentType } }),
  decode: (payload) => priceSetFromWire(payload),
};
