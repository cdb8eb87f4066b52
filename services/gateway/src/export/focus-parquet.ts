import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { FOCUS_COLUMNS, type FocusColumn, type FocusRow } from './focus-rows.js';

/**
 * FOCUS rows as Parquet, in row groups of `ROW_GROUP_ROWS` rows, each flushed to the sink as
 * soon as it is encoded: the file is never whole in memory. Costs and quantities are
 * DECIMAL(38, 18) (exact, as AgentLedger stores money), date-times TIMESTAMP (UTC,
 * milliseconds), Tags JSON, every other column a UTF-8 string. The columns FOCUS says allow no
 * nulls are REQUIRED; the others OPTIONAL. Only the date-time columns carry min/max statistics
 * (what a reader prunes a month by): statistics on every column cost a third of the throughput.
 */

const SCALE = 18;
const PRECISION = 38;
const DECIMAL_COLUMNS = new Set<FocusColumn>(['BilledCost', 'ContractedCost', 'EffectiveCost', 'ListCost', 'PricingQuantity', 'ConsumedQuantity']);
const TIMESTAMP_COLUMNS = new Set<FocusColumn>(['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']);
const JSON_COLUMNS = new Set<FocusColumn>(['Tags']);
/** "Allows nulls: False" in FOCUS 1.2 (specification/columns/*.md). */
export const NOT_NULL_COLUMNS = new Set<FocusColumn>([
  'BilledCost', 'BillingAccountId', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory', 'ChargeFrequency', 'ChargePeriodEnd',
  'ChargePeriodStart', 'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'ProviderName', 'PublisherName', 'ServiceCategory', 'ServiceName',
  'ServiceSubcategory',
]);

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

function elementOf(name: FocusColumn): SchemaElement {
  const repetition_type = NOT_NULL_COLUMNS.has(name) ? 'REQUIRED' : 'OPTIONAL';
  if (DECIMAL_COLUMNS.has(name)) return { name, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, converted_type: 'DECIMAL', scale: SCALE, precision: PRECISION, repetition_type };
  if (TIMESTAMP_COLUMNS.has(name)) return { name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type };
  if (JSON_COLUMNS.has(name)) return { name, type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type };
  return { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
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
  // Milliseconds as a bigint, which the writer stores as they are (a Date it would convert first).
  if (TIMESTAMP_COLUMNS.has(column)) return BigInt(Date.parse(value));
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

/**
 * Rows per row group. Pages of events arrive smaller (1,000); their values wait, as columns,
 * until a group is full, so groups stay large enough to compress well and the footer small.
 * The size barely moves the gateway's peak (500 to 5,000 rows all peaked near 290 MB: the
 * writer's garbage, not the group, sets it; tools/bench README), but 2,000-row groups made the
 * file 60% larger.
 */
export const ROW_GROUP_ROWS = 5_000;

export class FocusParquetWriter {
  private readonly writer: ParquetWriter;
  private pending: unknown[][] = FOCUS_COLUMNS.map(() => []);
  private pendingRows = 0;

  constructor(
    sink: ParquetSink,
    private readonly rowGroupRows = ROW_GROUP_ROWS,
  ) {
    this.writer = new ParquetWriter({ writer: new SinkWriter(sink), schema: FOCUS_PARQUET_SCHEMA, createdBy: 'AgentLedger FOCUS export' });
  }

  /** Adds the rows; each row group that fills is encoded and flushed to the sink. */
  async write(rows: readonly FocusRow[]): Promise<void> {
    for (const row of rows) {
      FOCUS_COLUMNS.forEach((name, index) => this.pending[index]!.push(valueOf(name, row[name])));
      if (++this.pendingRows >= this.rowGroupRows) await this.flushGroup();
    }
  }

  /** The last row group and the footer; the file is complete once this resolves. */
  async finish(): Promise<void> {
    await this.flushGroup();
    await this.writer.finish();
  }

  private async flushGroup(): Promise<void> {
    if (this.pendingRows === 0) return;
    const columnData = FOCUS_COLUMNS.map((name, index) => ({ name, data: this.pending[index]!, statistics: TIMESTAMP_COLUMNS.has(name) }));
    const rowGroupSize = this.pendingRows;
    this.pending = FOCUS_COLUMNS.map(() => []);
    this.pendingRows = 0;
    await this.writer.write({ columnData: columnData as never, rowGroupSize });
  }
}
