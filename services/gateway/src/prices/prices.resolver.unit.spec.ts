import { setPriceArgs, setUnitPriceArgs, unitPriceHistoryArgs } from './prices.resolver.js';
import { UnitPriceKind, type PriceInput } from './price.types.js';

describe('setPriceArgs', () => {
  const input: PriceInput = { provider: 'openai', model: 'gpt-4o', inputPer1M: '2.50', outputPer1M: '10', effectiveFrom: new Date('2026-01-01T00:00:00Z') };

  it('forwards decimals as written and absent rates as null, without an end when none is given', () => {
    expect(setPriceArgs(input)).toEqual({
      provider: 'openai',
      model: 'gpt-4o',
      inputPer1M: '2.50',
      outputPer1M: '10',
      cacheReadPer1M: null,
      cacheWritePer1M: null,
      reasoningPer1M: null,
      requestFee: null,
      effectiveFrom: '2026-01-01T00:00:00.000Z',
    });
  });

  it('forwards an optional end as an instant', () => {
    expect(setPriceArgs({ ...input, effectiveTo: new Date('2026-02-01T00:00:00+01:00') }).effectiveTo).toBe('2026-01-31T23:00:00.000Z');
  });
});

describe('setUnitPriceArgs', () => {
  it('forwards the kind, names and price as written, an absent vendor as null, an end as an instant', () => {
    const effectiveFrom = new Date('2026-03-01T00:00:00Z');
    expect(setUnitPriceArgs({ kind: UnitPriceKind.TOOL, name: 'web_search', unit: 'search', pricePerUnit: '0.0050', effectiveFrom })).toEqual({
      kind: 'TOOL',
      vendor: null,
      name: 'web_search',
      unit: 'search',
      pricePerUnit: '0.0050',
      effectiveFrom: '2026-03-01T00:00:00.000Z',
    });
    expect(
      setUnitPriceArgs({ kind: UnitPriceKind.SAAS, vendor: 'Intercom', name: 'Fin', unit: 'resolution', pricePerUnit: '0.99', effectiveFrom, effectiveTo: new Date('2026-04-01T00:00:00Z') }),
    ).toMatchObject({ kind: 'SAAS', vendor: 'Intercom', effectiveTo: '2026-04-01T00:00:00.000Z' });
  });
});

describe('unitPriceHistoryArgs', () => {
  it('forwards the kind and names as written, an absent vendor as null', () => {
    expect(unitPriceHistoryArgs(UnitPriceKind.TOOL, undefined, 'Web_Search', 'search')).toEqual({ kind: 'TOOL', vendor: null, name: 'Web_Search', unit: 'search' });
    expect(unitPriceHistoryArgs(UnitPriceKind.SAAS, 'Intercom', 'Fin', 'resolution')).toEqual({ kind: 'SAAS', vendor: 'Intercom', name: 'Fin', unit: 'resolution' });
  });
});
