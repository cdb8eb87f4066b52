import { PriceKind, priceSetCodec, toTimestamp } from '@agentledger/contracts';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { modelPriceSetOf } from './price-set.js';

const FROM = new Date('2026-01-01T00:00:00Z');
const message = (init: Parameters<typeof priceSetCodec.create>[0], contentType: string | undefined = priceSetCodec.contentType) => {
  const headers = natsHeaders();
  if (contentType !== undefined) headers.set('Content-Type', contentType);
  return { data: priceSetCodec.encode(priceSetCodec.create(init)), headers: contentType === undefined ? undefined : headers, seq: 42 };
};
const modelPrice = { tenant: 'acme', provider: 'openai', model: 'gpt-4o-mini', effectiveFrom: toTimestamp(FROM), setAt: toTimestamp(FROM) };

describe('modelPriceSetOf (a price stream message, as token estimates read it)', () => {
  it('reads a model price exactly, unset rates as null, with its stream sequence', () => {
    const price = modelPriceSetOf(message({ ...modelPrice, kind: PriceKind.MODEL_TOKENS, rates: { inputPer1m: '0.15', outputPer1m: '0.6', reasoningPer1m: '0.000000000000000001' } }));
    expect(price && { ...price, inputPer1M: price.inputPer1M.toFixed(), outputPer1M: price.outputPer1M.toFixed(), reasoningPer1M: price.reasoningPer1M?.toFixed() }).toEqual({
      tenant: 'acme',
      provider: 'openai',
      model: 'gpt-4o-mini',
      effectiveFrom: FROM,
      effectiveTo: null,
      inputPer1M: '0.15',
      outputPer1M: '0.6',
      cacheReadPer1M: null,
      cacheWritePer1M: null,
      reasoningPer1M: '0.000000000000000001',
      requestFee: null,
      streamSequence: 42,
    });
  });

  it('takes an unspecified kind (events from before kinds) and a message without content type as a model price', () => {
    expect(modelPriceSetOf(message({ ...modelPrice, rates: { inputPer1m: '1', outputPer1m: '2' } }, undefined))?.inputPer1M.toFixed()).toBe('1');
  });

  it.each([PriceKind.TOOL_UNIT, PriceKind.SAAS_UNIT])('ignores unit prices (kind %s): nothing to estimate in tokens', (kind) => {
    expect(modelPriceSetOf(message({ ...modelPrice, kind, unit: 'search', unitPrice: '0.005' }))).toBeUndefined();
  });

  it("ignores what another content type announces (pricing's CatalogImported is JSON)", () => {
    expect(modelPriceSetOf({ data: new TextEncoder().encode('{"version":"x"}'), headers: message(modelPrice, 'application/json; messageType=finops.v1.CatalogImported').headers, seq: 1 })).toBeUndefined();
  });

  it('refuses a model price without rates or with a rate that is not a decimal', () => {
    expect(() => modelPriceSetOf(message(modelPrice))).toThrow('PriceSet without rates');
    expect(() => modelPriceSetOf(message({ ...modelPrice, rates: { inputPer1m: '1e-3', outputPer1m: '2' } }))).toThrow('not a decimal string');
  });
});
