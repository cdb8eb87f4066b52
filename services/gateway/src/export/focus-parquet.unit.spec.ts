import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import type { FocusCostView } from '@agentledger/contracts';
import { FocusParquetWriter, NOT_NULL_COLUMNS, unscaledDecimal } from './focus-parquet.js';
import { FOCUS_COLUMNS, focusRowsOf } from './focus-rows.js';

const cost: FocusCostView = {
  factKey: 'nats|e-1', factType: 'llm.call', time: '2026-10-05T10:03:00.000Z', agentId: 'support-bot', team: 'support', workflow: 'resolve-ticket',
  environment: 'production', provider: 'openai', model: 'gpt-4o', tool: '', vendor: '', traceId: 'run-1', spanId: 's-1', inputTokens: '2000',
  outputTokens: '300', cacheReadTokens: '0', cacheWriteTokens: '0', reasoningTokens: '0', cost: '0.008', breakdown: { input: '0.005', output: '0.003' },
  attributes: {}, outcome: '', outcomeSuccess: null,
};

describe('the FOCUS Parquet file', () => {
  it('turns decimal strings into DECIMAL(38, 18) unscaled integers exactly', () => {
    expect(unscaledDecimal('0.0090625')).toBe(9_062_500_000_000_000n);
    expect(unscaledDecimal('-1.5')).toBe(-1_500_000_000_000_000_000n);
    expect(unscaledDecimal('12345678901234567890.123456789012345678')).toBe(12345678901234567890123456789012345678n);
    expect(unscaledDecimal('2.50000000000000000000')).toBe(2_500_000_000_000_000_000n);
    expect(() => unscaledDecimal('0.0000000000000000001')).toThrow(/more than 18 decimals/);
    expect(() => unscaledDecimal('1e-7')).toThrow(/not a decimal/);
  });

  it('is a Parquet file with every column, in row groups of the size asked for across pages, each flushed as it fills', async () => {
    const chunks: Uint8Array[] = [];
    const writer = new FocusParquetWriter((bytes) => void chunks.push(bytes), 2);
    await writer.write(focusRowsOf(cost, 'acme', 'USD', 'event'));
    expect(chunks).toHaveLength(0);
    await writer.write(focusRowsOf(cost, 'acme', 'USD', 'sku'));
    const afterFirstGroup = chunks.length;
    expect(afterFirstGroup).toBeGreaterThan(0);
    await writer.finish();
    expect(chunks.length).toBeGreaterThan(afterFirstGroup);
    const file = Buffer.concat(chunks);
    const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    const metadata = parquetMetadata(buffer);
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([2, 1]);
    expect(Number(metadata.num_rows)).toBe(3);
    expect(metadata.schema.slice(1).map((element) => element.name)).toEqual([...FOCUS_COLUMNS]);
    const rows = (await parquetReadObjects({ file: buffer })) as Array<Record<string, unknown>>;
    expect(rows.map((row) => [row.SkuId, row.BilledCost, row.ChargeClass])).toEqual([
      ['openai/gpt-4o', 0.008, null],
      ['openai/gpt-4o/input', 0.005, null],
      ['openai/gpt-4o/output', 0.003, null],
    ]);
    expect((rows[0]!.BillingPeriodStart as Date).toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(rows[0]!.Tags).toEqual({ team: 'support', workflow: 'resolve-ticket', environment: 'production' });
  });

  it('declares REQUIRED the columns FOCUS says allow no nulls (specification/columns/*.md, "Allows nulls: False"), the others OPTIONAL', async () => {
    const chunks: Uint8Array[] = [];
    const writer = new FocusParquetWriter((bytes) => void chunks.push(bytes));
    await writer.write(focusRowsOf(cost, 'acme', 'USD', 'event'));
    await writer.finish();
    const file = Buffer.concat(chunks);
    const schema = parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength)).schema.slice(1);
    expect(schema.filter((element) => element.repetition_type === 'REQUIRED').map((element) => element.name).sort()).toEqual([...NOT_NULL_COLUMNS].sort());
    expect(schema.filter((element) => element.repetition_type === 'OPTIONAL')).toHaveLength(FOCUS_COLUMNS.length - NOT_NULL_COLUMNS.size);
  });
});
