import pg from 'pg';
import { columnsOf, insertRows } from './insert-rows.js';
import type { SqlExecutor } from './sql-executor.js';

const connectionString = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const COLUMNS = columnsOf<Record<string, unknown>>({
  id: 'integer',
  label: 'text',
  amount: 'numeric',
  tokens: 'bigint',
  flag: 'boolean',
  at: 'timestamptz',
  doc: 'jsonb',
  bytes: 'bytea',
  score: 'double precision',
});

describe('insertRows (real PostgreSQL): every value arrives as it was', () => {
  const schema = `test_insert_rows_${process.pid}_${Date.now() % 100000}`;
  const client = new pg.Client({ connectionString });
  const tx: Pick<SqlExecutor, '$executeRawUnsafe'> = {
    $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await client.query(query, values)).rowCount ?? 0,
  };

  beforeAll(async () => {
    await client.connect();
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(
      `CREATE TABLE sample (id integer PRIMARY KEY, label text, amount numeric, tokens bigint, flag boolean, at timestamptz, doc jsonb, bytes bytea, score double precision)`,
    );
  });
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('text with quotes, backslashes, commas, braces, NULL as a word, empty and unicode; exact decimals and bigints; bytes; JSON; nulls', async () => {
    const rows = [
      { id: 1, label: 'say "hi", {all}', amount: '0.000000000000000001', tokens: 9007199254740993n, flag: true, at: new Date('2026-03-29T01:30:00.123Z'), doc: { a: 'x"y\\z', n: [1, 2] }, bytes: new Uint8Array([0, 92, 34, 255]), score: 0.5 },
      { id: 2, label: 'C:\\path\\to\\"file"', amount: '-123456789012345678901234567890.5', tokens: -1n, flag: false, at: new Date(0), doc: [], bytes: new Uint8Array(0), score: -1e-300 },
      { id: 3, label: 'NULL', amount: '0', tokens: 0n, flag: null, at: null, doc: null, bytes: null, score: null },
      { id: 4, label: '', amount: null, tokens: null, flag: undefined, at: undefined, doc: JSON.stringify('JSON text of a string'), bytes: undefined, score: undefined },
      { id: 5, label: 'naïve — 東京 🚀', amount: '1e-3', tokens: 42n, flag: true, at: new Date('2026-12-08T00:00:00Z'), doc: { '': null }, bytes: Buffer.from('subarray of this buffer').subarray(3, 8), score: 3 },
      { id: 6, label: null, amount: '1', tokens: 1n, flag: true, at: new Date('2026-12-08T00:00:00Z'), doc: {}, bytes: new Uint8Array([1]), score: 0 },
    ];
    expect(await insertRows(tx, 'sample', COLUMNS, rows)).toBe(rows.length);

    const read = await client.query(
      `SELECT id, label, amount::text, tokens::text, flag, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS at, doc, encode(bytes, 'hex') AS bytes, score
         FROM sample ORDER BY id`,
    );
    expect(read.rows).toEqual([
      { id: 1, label: 'say "hi", {all}', amount: '0.000000000000000001', tokens: '9007199254740993', flag: true, at: '2026-03-29T01:30:00.123', doc: { a: 'x"y\\z', n: [1, 2] }, bytes: '005c22ff', score: 0.5 },
      { id: 2, label: 'C:\\path\\to\\"file"', amount: '-123456789012345678901234567890.5', tokens: '-1', flag: false, at: '1970-01-01T00:00:00.000', doc: [], bytes: '', score: -1e-300 },
      { id: 3, label: 'NULL', amount: '0', tokens: '0', flag: null, at: null, doc: null, bytes: null, score: null },
      { id: 4, label: '', amount: null, tokens: null, flag: null, at: null, doc: 'JSON text of a string', bytes: null, score: null },
      { id: 5, label: 'naïve — 東京 🚀', amount: '0.001', tokens: '42', flag: true, at: '2026-12-08T00:00:00.000', doc: { '': null }, bytes: Buffer.from('array').toString('hex'), score: 3 },
      { id: 6, label: null, amount: '1', tokens: '1', flag: true, at: '2026-12-08T00:00:00.000', doc: {}, bytes: '01', score: 0 },
    ]);
  });
});
