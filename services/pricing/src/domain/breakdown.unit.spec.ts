import { breakdownDelta, breakdownText } from './breakdown.js';

describe('breakdown delta of a correction', () => {
  it('given an unpriced fact, when it gets a price, then the delta is the whole new breakdown', () => {
    expect(breakdownDelta(breakdownText(undefined), { input: '0.00015', output: '0.0006', requestFee: '0' })).toEqual({ input: '0.00015', output: '0.0006' });
  });

  it('given priced parts, when the price changes, then each part moves by exactly its difference; unchanged parts are left out', () => {
    const before = breakdownText({ input: '0.0015', cacheRead: '0.0001', output: '0.003' });
    expect(breakdownDelta(before, { input: '0.001', cacheRead: '0.0001', output: '0.003', reasoning: '0.0000000001' })).toEqual({ input: '-0.0005', reasoning: '0.0000000001' });
  });

  it('given a priced unit cost, when no price covers it any more, then the delta takes it all back', () => {
    expect(breakdownDelta(breakdownText({ other: '12.375' }), undefined)).toEqual({ other: '-12.375' });
  });
});
