import { fromTimestamp, PriceKind, priceSetCodec, SCHEMA_VERSION, toTimestamp, type PriceSet } from '@agentledger/contracts';
import { encodeSubjectToken, subjectIn, type Namespace } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal } from '@agentledger/money';
import type { EventCodec } from '@agentledger/event-sourcing';
import type { UnitPriceKey, UnitPriceKind, UnitPriceSetEvent } from './unit-price.js';

const WIRE_KIND: Record<UnitPriceKind, PriceKind> = { tool: PriceKind.TOOL_UNIT, saas: PriceKind.SAAS_UNIT };

/**
 * The aggregate's subject: `finops.prices.<tenant>.~<kind>.<vendor>.<name>.<unit>`. Six tokens
 * after `finops` where a model price has five, and "~" is outside every encoded token's
 * alphabet, so a unit price never shares a subject (nor a concurrency check) with a model price.
 */
export function unitPriceSubject(ns: Namespace, key: UnitPriceKey): string {
  const tokens = [key.vendor, key.name, key.unit].map(encodeSubjectToken).join('.');
  return subjectIn(ns, `finops.prices.${key.tenant}.~${key.kind}.${tokens}`);
}

/** Unit prices travel as PriceSet of kind TOOL_UNIT / SAAS_UNIT (provider = vendor, model = name). */
export function isUnitPriceWire(wire: PriceSet): boolean {
  return wire.kind === PriceKind.TOOL_UNIT || wire.kind === PriceKind.SAAS_UNIT;
}

export function unitPriceSetToWire(event: UnitPriceSetEvent): Uint8Array {
  const { entry } = event.data;
  return priceSetCodec.encode(
    priceSetCodec.create({
      schemaVersion: SCHEMA_VERSION,
      kind: WIRE_KIND[event.data.kind],
      tenant: event.data.tenant,
      provider: event.data.vendor,
      model: event.data.name,
      unit: event.data.unit,
      unitPrice: formatDecimal(entry.pricePerUnit),
      effectiveFrom: toTimestamp(entry.effectiveFrom),
      effectiveTo: entry.effectiveTo ? toTimestamp(entry.effectiveTo) : undefined,
      setBy: event.metadata.setBy,
      setAt: toTimestamp(event.metadata.setAt),
      currency: entry.currency,
    }),
  );
}

export function unitPriceSetFromWire(wire: PriceSet): UnitPriceSetEvent {
  if (!isUnitPriceWire(wire)) throw new Error(`PriceSet of kind ${wire.kind} is not a unit price`);
  return {
    type: 'UnitPriceSet',
    data: {
      tenant: wire.tenant,
      kind: wire.kind === PriceKind.TOOL_UNIT ? 'tool' : 'saas',
      vendor: wire.provider,
      name: wire.model,
      unit: wire.unit,
      entry: {
        effectiveFrom: fromTimestamp(wire.effectiveFrom),
        effectiveTo: wire.effectiveTo ? fromTimestamp(wire.effectiveTo) : undefined,
        pricePerUnit: parseDecimal(wire.unitPrice),
        currency: wire.currency || 'USD',
      },
    },
    metadata: { setBy: wire.setBy, setAt: fromTimestamp(wire.setAt) },
  };
}

/** The unit price aggregate's events as its subject carries them (protobuf PriceSet of a unit kind). */
export const unitPriceEventCodec: EventCodec<UnitPriceSetEvent> = {
  encode: (event) => ({ payload: unitPriceSetToWire(event), headers: { 'Content-Type': priceSetCodec.contentType } }),
  decode: (payload) => unitPriceSetFromWire(priceSetCodec.decode(payload)),
};
