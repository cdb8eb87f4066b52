import { parseStreamMaxBytes } from './stream-limits.js';

describe('STREAM_MAX_BYTES', () => {
  it('reads a size per stream in powers of 1024', () => {
    expect(parseStreamMaxBytes('FINOPS_FACTS=200GiB, FINOPS_IN=512M,FINOPS_DLQ=1048576')).toEqual({
      value: { FINOPS_FACTS: 200 * 1024 ** 3, FINOPS_IN: 512 * 1024 ** 2, FINOPS_DLQ: 1024 ** 2 },
    });
    expect(parseStreamMaxBytes('FINOPS_COSTS=1.5T')).toEqual({ value: { FINOPS_COSTS: 1.5 * 1024 ** 4 } });
  });

  it('names every wrong item', () => {
    expect(parseStreamMaxBytes('FINOPS_FACT=1G,FINOPS_IN=10,FINOPS_COSTS=ten,FINOPS_IN=1G')).toEqual({
      problems: [
        'STREAM_MAX_BYTES: FINOPS_FACT is not a stream (FINOPS_IN, FINOPS_FACTS, FINOPS_COSTS, FINOPS_PRICES, FINOPS_BUDGETS, FINOPS_AGENTS, FINOPS_ALERTS, FINOPS_DLQ)',
        'STREAM_MAX_BYTES: FINOPS_IN must be at least 1MiB',
        'STREAM_MAX_BYTES: "FINOPS_COSTS=ten" is not <stream>=<size>, e.g. FINOPS_FACTS=200GiB',
        'STREAM_MAX_BYTES: FINOPS_IN is given twice',
      ],
    });
  });
});
