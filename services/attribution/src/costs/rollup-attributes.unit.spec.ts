import { ConfigError } from '@agentledger/observability';
import { DEFAULT_ROLLUP_ATTRIBUTES, parseRollupAttributes } from './rollup-attributes.js';

describe('ATTRIBUTION_ROLLUP_ATTRIBUTES', () => {
  it('defaults to customer and feature; empty means none', () => {
    expect(parseRollupAttributes({})).toEqual(['customer', 'feature']);
    expect(DEFAULT_ROLLUP_ATTRIBUTES).toEqual(['customer', 'feature']);
    expect(parseRollupAttributes({ ATTRIBUTION_ROLLUP_ATTRIBUTES: '' })).toEqual([]);
  });

  it('reads comma-separated keys, trimmed', () => {
    expect(parseRollupAttributes({ ATTRIBUTION_ROLLUP_ATTRIBUTES: ' customer , cost.center,project/id ' })).toEqual(['customer', 'cost.center', 'project/id']);
  });

  it('rejects invalid and duplicate keys, naming every problem', () => {
    expect(() => parseRollupAttributes({ ATTRIBUTION_ROLLUP_ATTRIBUTES: "customer,bad key,customer,x'y" })).toThrow(ConfigError);
    try {
      parseRollupAttributes({ ATTRIBUTION_ROLLUP_ATTRIBUTES: "customer,bad key,customer,x'y" });
    } catch (error) {
      expect((error as ConfigError).problems.map((problem) => problem.problem)).toEqual([
        '"bad key" is not a valid attribute key (1-64 of A-Z a-z 0-9 _ . : / -)',
        '"x\'y" is not a valid attribute key (1-64 of A-Z a-z 0-9 _ . : / -)',
        'duplicate keys: customer',
      ]);
    }
    expect(() => parseRollupAttributes({ ATTRIBUTION_ROLLUP_ATTRIBUTES: Array.from({ length: 17 }, (_, n) => `k${n}`).join(',') })).toThrow(/at most 16 keys/);
  });
});
