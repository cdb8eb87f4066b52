import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDecimal, parseDecimal } from '@agentledger/money';
import { costOfCall, usageOf, type Rates } from './cost-of-call.js';

interface GoldenCase {
  name: string;
  price: Record<string, string>;
  usage: Record<string, number>;
  cost: string;
}

// A copy of the contract's shared/contract/examples/pricing-golden.json, so a clone tests alone.
const goldenPath = join(import.meta.dirname, '../test/fixtures/pricing-golden.json');
const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as GoldenCase[];

function ratesOf(price: Record<string, string>): Rates {
  const optional = (key: string) => (price[key] === undefined ? undefined : parseDecimal(price[key]));
  return {
    inputPer1M: parseDecimal(price.inputPer1M),
    outputPer1M: parseDecimal(price.outputPer1M),
    cacheReadPer1M: optional('cacheReadPer1M'),
    cacheWritePer1M: optional('cacheWritePer1M'),
    reasoningPer1M: optional('reasoningPer1M'),
    requestFee: optional('requestFee'),
  };
}

describe('costOfCall', () => {
  it('covers every golden case of the contract', () => {
    expect(golden.length).toBeGreaterThanOrEqual(11);
  });

  it.each(golden.map((c) => [c.name, c] as const))('golden: %s', (_name, goldenCase) => {
    const cost = costOfCall(usageOf(goldenCase.usage), ratesOf(goldenCase.price));
    expect(cost.total.equals(parseDecimal(goldenCase.cost))).toBe(true);
  });

  it('breaks a call down to the last decimal', () => {
    const cost = costOfCall(
      usageOf({ inputTokens: 30000, outputTokens: 1200, cacheReadTokens: 20000, cacheWriteTokens: 5000 }),
      ratesOf({ inputPer1M: '3.00', outputPer1M: '15.00', cacheReadPer1M: '0.30', cacheWritePer1M: '3.75' }),
    );
    expect(formatDecimal(cost.input)).toBe('0.015');
    expect(formatDecimal(cost.cacheRead)).toBe('0.006');
    expect(formatDecimal(cost.cacheWrite)).toBe('0.01875');
    expect(formatDecimal(cost.output)).toBe('0.018');
    expect(formatDecimal(cost.total)).toBe('0.05775');
  });

  it('stays exact at 10^9 tokens on every rate', () => {
    const cost = costOfCall(
      usageOf({ inputTokens: 3_000_000_000, outputTokens: 2_000_000_000, cacheReadTokens: 1_000_000_000, cacheWriteTokens: 1_000_000_000, reasoningTokens: 1_000_000_000 }),
      ratesOf({ inputPer1M: '2.5', outputPer1M: '10', cacheReadPer1M: '1.25', cacheWritePer1M: '3.125', reasoningPer1M: '7.777777' }),
    );
    expect(formatDecimal(cost.total)).toBe('24652.777');
  });

  it('refuses inconsistent usage rather than inventing a negative cost', () => {
    expect(() => costOfCall(usageOf({ inputTokens: 10, outputTokens: 0, cacheReadTokens: 11 }), ratesOf({ inputPer1M: '1', outputPer1M: '1' }))).toThrow(
      'inconsistent usage',
    );
  });
});
