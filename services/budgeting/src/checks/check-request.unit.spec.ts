import { BadCheckRequest, parseCheckRequest } from './check-request.js';

describe('a pre-call check request', () => {
  const refusal = (body: unknown) => {
    try {
      parseCheckRequest(body);
    } catch (error) {
      if (error instanceof BadCheckRequest) return error.message;
      throw error;
    }
    return undefined;
  };

  it('takes an estimate up to the bound every amount has (below 10^15, at most 18 decimals)', () => {
    expect(parseCheckRequest({ agentId: 'a', estimatedCost: '999999999999999.999999999999999999' }).estimate.toString()).toBe('999999999999999.999999999999999999');
    expect(parseCheckRequest({ agentId: 'a', estimatedCost: '0.000000000000000001' }).estimate.toString()).toBe('0.000000000000000001');
  });

  it('refuses an estimate no reservation could store, naming the field', () => {
    expect(refusal({ agentId: 'a', estimatedCost: '1000000000000000' })).toBe(
      'estimatedCost: must be below 10^15 (every read model stores at most 20 integer digits, totals included)',
    );
    expect(refusal({ agentId: 'a', estimatedCost: '1'.padEnd(41, '0') })).toMatch(/^estimatedCost: must be below 10\^15/);
    expect(refusal({ agentId: 'a', estimatedCost: '0.0000000000000000001' })).toBe('estimatedCost: must have at most 18 decimal places');
    expect(refusal({ agentId: 'a', estimatedCost: '-0.01' })).toBe('estimatedCost: must not be negative');
  });
});
