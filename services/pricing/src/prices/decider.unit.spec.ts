import { formatDecimal } from '@agentledger/money';
import { decide, InvalidPriceCommand, type SetPrice } from './decider.js';
import { evolve, initialPriceState } from './price.js';

const now = new Date('2026-11-28T10:00:00Z');
const setPrice = (data: Partial<SetPrice['data']> = {}): SetPrice => ({
  type: 'SetPrice',
  data: { tenant: 'acme', provider: 'OpenAI', model: 'GPT-4o-Mini', inputPer1M: '0.15', outputPer1M: '0.60', effectiveFrom: '2026-01-01T00:00:00Z', ...data },
  metadata: { actor: 'key:admin', now },
});

describe('price decider', () => {
  it('given no price, when a price is set, then PriceSet with exact rates and normalised names', () => {
    const [event] = decide(setPrice({ cacheReadPer1M: '0.075' }), initialPriceState);
    expect(event!.data.provider).toBe('openai');
    expect(event!.data.model).toBe('gpt-4o-mini');
    expect(formatDecimal(event!.data.entry.inputPer1M)).toBe('0.15');
    expect(formatDecimal(event!.data.entry.cacheReadPer1M!)).toBe('0.075');
    expect(event!.data.entry.cacheWritePer1M).toBeUndefined();
    expect(event!.metadata).toEqual({ setBy: 'key:admin', setAt: now });
  });

  it.each([
    [{ inputPer1M: '-1' }, 'inputPer1M: must not be negative'],
    [{ outputPer1M: '1e3' }, 'outputPer1M: "1e3" is not a decimal string'],
    [{ effectiveFrom: 'yesterday' }, 'effectiveFrom: "yesterday" is not an RFC 3339 date-time'],
    [{ effectiveTo: '2025-01-01T00:00:00Z' }, 'effectiveTo: must be after effectiveFrom'],
    [{ model: 'gpt 4' }, 'model: must be 1-200 characters without spaces'],
  ])('rejects %j', (data, message) => {
    expect(() => decide(setPrice(data), initialPriceState)).toThrow(new InvalidPriceCommand(message));
  });

  it('a price set again at the same instant replaces the entry; other instants are kept in order', () => {
    const events = [
      ...decide(setPrice({ effectiveFrom: '2026-06-01T00:00:00Z', inputPer1M: '0.2' }), initialPriceState),
      ...decide(setPrice(), initialPriceState),
      ...decide(setPrice({ inputPer1M: '0.1' }), initialPriceState),
    ];
    const state = events.reduce(evolve, initialPriceState);
    expect(state.entries.map((entry) => [entry.effectiveFrom.toISOString(), formatDecimal(entry.inputPer1M)])).toEqual([
      ['2026-01-01T00:00:00.000Z', '0.1'],
      ['2026-06-01T00:00:00.000Z', '0.2'],
    ]);
  });
});
