import type { JsMsg } from '@nats-io/jetstream';
import { fromTimestamp, PriceKind, priceSetCodec } from '@agentledger/contracts';
import { parseDecimal, type Decimal } from '@agentledger/money';

/** A tenant's model-token price entry as a PriceSet on FINOPS_PRICES sets it (names as the event carries them, normalised by pricing). */
export interface ModelPriceSet {
  readonly tenant: string;
  readonly provider: string;
  readonly model: string;
  readonly effectiveFrom: Date;
  readonly effectiveTo: Date | null;
  readonly inputPer1M: Decimal;
  readonly outputPer1M: Decimal;
  readonly cacheReadPer1M: Decimal | null;
  readonly cacheWritePer1M: Decimal | null;
  readonly reasoningPer1M: Decimal | null;
  readonly requestFee: Decimal | null;
  /** Its position on the price stream: the order pricing applies settings in. */
  readonly streamSequence: number;
}

const optional = (value: string) => (value === '' ? null : parseDecimal(value));

/**
 * What a message of the price stream means for token estimates. FINOPS_PRICES carries PriceSet
 * of kind MODEL_TOKENS (unspecified on events from before kinds), PriceSet of kind TOOL_UNIT /
 * SAAS_UNIT (units, no tokens: nothing to estimate) and pricing's CatalogImported (JSON,
 * announced by its own Content-Type: budgeting bundles the same catalog package itself).
 * Only model prices are kept; undefined for the rest. Throws on a PriceSet it cannot read.
 */
export function modelPriceSetOf(msg: Pick<JsMsg, 'data' | 'headers' | 'seq'>): ModelPriceSet | undefined {
  const contentType = msg.headers?.get('Content-Type') ?? '';
  if (contentType !== '' && contentType !== priceSetCodec.contentType) return undefined;
  const wire = priceSetCodec.decode(msg.data);
  if (wire.kind !== PriceKind.MODEL_TOKENS && wire.kind !== PriceKind.UNSPECIFIED) return undefined;
  const rates = wire.rates;
  if (!rates) throw new Error('PriceSet without rates');
  return {
    tenant: wire.tenant,
    provider: wire.provider,
    model: wire.model,
    effectiveFrom: fromTimestamp(wire.effectiveFrom),
    effectiveTo: wire.effectiveTo ? fromTimestamp(wire.effectiveTo) : null,
    inputPer1M: parseDecimal(rates.inputPer1m),
    outputPer1M: parseDecimal(rates.outputPer1m),
    cacheReadPer1M: optional(rates.cacheReadPer1m),
    cacheWritePer1M: optional(rates.cacheWritePer1m),
    reasoningPer1M: optional(rates.reasoningPer1m),
    requestFee: optional(rates.requestFee),
    streamSequence: msg.seq,
  };
}
