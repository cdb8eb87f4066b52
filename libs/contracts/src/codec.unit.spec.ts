import { CallStatus, factCodec, pricedCostCodec, CostKind, toTimestamp, fromTimestamp } from './index.js';

describe('internal event codecs', () => {
  it('round-trips a canonical llm.call fact through binary protobuf', () => {
    const fact = factCodec.create({
      schemaVersion: 1,
      tenant: 'acme',
      eventId: 'e-1',
      source: 'agent://support-bot',
      type: 'llm.call',
      time: toTimestamp(new Date('2026-11-27T09:00:01.200Z')),
      common: { agentId: 'support-bot', attributes: { customer: 'c-1042' } },
      payload: {
        case: 'llmCall',
        value: { provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1834n, outputTokens: 212n }, attempt: 1, status: CallStatus.OK },
      },
    });
    const decoded = factCodec.decode(factCodec.encode(fact));
    expect(decoded.payload.case).toBe('llmCall');
    expect(decoded.payload.case === 'llmCall' && decoded.payload.value.usage?.inputTokens).toBe(1834n);
    expect(decoded.common?.attributes).toEqual({ customer: 'c-1042' });
    expect(fromTimestamp(decoded.time).toISOString()).toBe('2026-11-27T09:00:01.200Z');
  });

  it('keeps money as exact decimal strings', () => {
    const cost = pricedCostCodec.create({ kind: CostKind.PRICED, cost: '0.000018', currency: 'USD', priced: true });
    expect(pricedCostCodec.decode(pricedCostCodec.encode(cost)).cost).toBe('0.000018');
  });

  it('rejects bytes that are not a message', () => {
    expect(() => factCodec.decode(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toThrow();
  });

  it('announces the message type in the content type', () => {
    expect(factCodec.contentType).toBe('application/x-protobuf; messageType=finops.v1.CanonicalFact');
  });
});
