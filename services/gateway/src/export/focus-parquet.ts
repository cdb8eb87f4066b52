import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { FOCUS_COLUMNS, type FocusColumn, type FocusRow } from './focus-rows.js';

/**
 * FOCUS rows as Parquet, one row group per page of events, each flushed to the sink as soon as
 * it is encoded: the file is never whole in memory. Costs and quantities are DECIMAL(38, 18)
 * (exact, as AgentLedger stores money), date-times TIMESTAMP (UTC, milliseconds), Tags JSON,
 * every other column a UTF-8 string; all are nullable, as FOCUS's nulls are.
 */

const SCALE = 18;
const PRECISION = 38;
const DECIMAL_COLUMNS = new Set<FocusColumn>(['BilledCost', 'ContractedCost', 'EffectiveCost', 'ListCost', 'PricingQuantity', 'ConsumedQuantity']);
const TIMESTAMP_COLUMNS = new Set<FocusColumn>(['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']);
const JSON_COLUMNS = new Set<FocusColumn>(['Tags']);

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

function elementOf(name: FocusColumn): SchemaElement {
  if (DECIMAL_COLUMNS.has(name)) {
    return { name, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, converted_type: 'DECIMAL', scale: SCALE, precision: PRECISION, repetition_type: 'OPTIONAL' };
  }
  if (TIMESTAMP_COLUMNS.has(name)) return { name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'OPTIONAL' };
  if (JSON_COLUMNS.has(name)) return { name, type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type: 'OPTIONAL' };
  return { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' };
}

export const FOCUS_PARQUET_SCHEMA: SchemaElement[] = [{ name: 'root', num_children: FOCUS_COLUMNS.length }, ...FOCUS_COLUMNS.map(elementOf)];

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal string as the unscaled integer of DECIMAL(38, 18), exactly; more than 18 decimals is refused. */
export function unscaledDecimal(text: string): bigint {
  const match = DECIMAL_TEXT.exec(text);
  if (!match) throw new Error(`not a decimal: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > SCALE) throw new Error(`more than ${SCALE} decimals: ${text}`);
  const unscaled = BigInt(`${whole}${trimmed.padEnd(SCALE, '0')}`);
  return sign === '-' ? -unscaled : unscaled;
}

function valueOf(column: FocusColumn, value: string | null): unknown {
  if (value === null) return null;
  if (DECIMAL_COLUMNS.has(column)) return unscaledDecimal(value);
  if (TIMESTAMP_COLUMNS.has(column)) return new Date(value);
  if (JSON_COLUMNS.has(column)) return JSON.parse(value) as unknown;
  return value;
}

/** Where the encoded bytes go; a promise makes the writer wait (the socket's backpressure). */
export type ParquetSink = (bytes: Uint8Array) => void | Promise<void>;

/** A ByteWriter that hands its bytes to the sink at each flush and starts over (offsets keep counting). */
class SinkWriter extends ByteWriter {
  constructor(private readonly sink: ParquetSink) {
    super(1 << 20);
  }

  flush(): void | Promise<void> {
    if (this.index === 0) return;
    const bytes = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    return this.sink(bytes);
  }

  override finish(): void | Promise<void> {
    return this.flush();
  }
}

export class FocusParquetWriter {
  private readonly writer: ParquetWriter;

  constructor(sink: ParquetSink) {
    this.writer = new ParquetWriter({ writer: new SinkWriter(sink), schema: FOCUS_PARQUET_SCHEMA, createdBy: 'AgentLedger FOCUS export' });
  }

  /** One row group of these rows, flushed to the sink. */
  async write(rows: readonly FocusRow[]): Promise<void> {
    if (rows.length === 0) return;
    const columnData = FOCUS_COLUMNS.map((name) => ({ name, data: rows.map((row) => valueOf(name, row[name])) }));
    await this.writer.write({ columnData: columnData as never, rowGroupSize: rows.length });
  }

  /** The footer; the file is complete once this resolves. */
  async finish(): Promise<void> {
    await this.writer.finish();
  }
}
