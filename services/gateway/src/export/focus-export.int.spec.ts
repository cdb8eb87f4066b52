import { parse } from 'csv-parse/sync';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { focusCostsQuery, type FocusCostView } from '@agentledger/contracts';
import { parseDecimal, sum } from '@agentledger/money';
import { QueryError, QueryServer, startService, type RunningService } from '@agentledger/service-kit';
import { createTestBus, type TestBus } from '@agentledger/testing';
import { gatewayService } from '../gateway.service.js';
import { NOT_NULL_COLUMNS } from './focus-parquet.js';
import { FOCUS_PAGE_EVENTS } from './focus-pages.js';
import { FOCUS_COLUMNS, type FocusRow } from './focus-rows.js';
import { breaches, DATASET_RULES, ROW_RULES, ruleName } from './focus-spec-rules.js';

// GET /v1/export/focus through the real gateway on the real NATS, attribution a QueryServer
// answering focusCosts pages (keyset paging as attribution's) from events made here: the CSV and
// the Parquet file held against the FOCUS 1.2 rules, page after page; and a page that cannot be
// had midway breaks the download off instead of ending it like a whole file.

const KEY = 'focus-int-viewer';
const WINDOW = 'from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z';
const EVENTS = 2 * FOCUS_PAGE_EVENTS + 345;

function eventAt(n: number): FocusCostView {
  const base: FocusCostView = {
    factKey: `nats|${String(n).padStart(6, '0')}`,
    factType: 'llm.call',
    time: new Date(Date.parse('2026-10-01T00:00:00Z') + n * 997_000).toISOString(),
    agentId: `agent-${n % 7}`,
    team: n % 5 === 0 ? '' : `team-${n % 3}`,
    workflow: n % 4 === 0 ? '' : 'triage',
    environment: 'production',
    provider: 'openai',
    model: n % 2 ? 'gpt-4o' : 'gpt-4o-mini',
    tool: '',
    vendor: '',
    traceId: `run-${Math.floor(n / 4)}`,
    spanId: `span-${n}`,
    inputTokens: String(1_000 + n),
    outputTokens: '250',
    cacheReadTokens: n % 3 === 0 ? '400' : '0',
    cacheWriteTokens: '0',
    reasoningTokens: '0',
    cost: '0.0040001',
    breakdown: n % 3 === 0 ? { input: '0.0025', cacheRead: '0.0000001', output: '0.0015' } : { input: '0.0025', output: '0.0015001' },
    attributes: n % 6 === 0 ? { customer: `cust-${n % 11}` } : {},
    outcome: n % 4 === 3 ? 'ticket_resolved' : '',
    outcomeSuccess: n % 4 === 3 ? true : null,
  };
  if (n % 10 === 7) return { ...base, factType: 'tool.call', provider: '', model: '', tool: 'kb-search', inputTokens: '0', outputTokens: '0', cacheReadTokens: '0', cost: '0.0004', breakdown: { other: '0.0004' } };
  if (n % 50 === 49) return { ...base, factType: 'saas.usage', provider: '', model: '', vendor: 'zendesk', inputTokens: '0', outputTokens: '0', cacheReadTokens: '0', cost: '19.99', breakdown: { other: '19.99' } };
  return base;
}
const ALL = Array.from({ length: EVENTS }, (_, n) => eventAt(n));

/** A CSV download as rows, empty fields as the nulls they stand for. */
function csvRows(text: string): { header: string[]; rows: FocusRow[] } {
  const records = parse(text, { skip_empty_lines: true }) as string[][];
  const [header, ...body] = records;
  return { header: header!, rows: body.map((fields) => Object.fromEntries(header!.map((column, index) => [column, fields[index] === '' ? null : fields[index]!])) as FocusRow) };
}

describe('GET /v1/export/focus through the gateway', () => {
  let bus: TestBus;
  let gateway: RunningService<undefined>;
  let attribution: QueryServer;
  /** Pages from the one after this event on fail, as attribution gone would. */
  let failAfter: number | undefined;
  let pagesAsked = 0;

  const download = (query: string) => fetch(`http://127.0.0.1:${gateway.port}/v1/export/focus?${query}`, { headers: { authorization: `Bearer ${KEY}` } });

  beforeAll(async () => {
    bus = await createTestBus();
    gateway = await startService(gatewayService, { env: { NATS_URL: bus.natsUrl, FINOPS_NAMESPACE: bus.token, AGENTLEDGER_API_KEYS: `${KEY}=acme:viewer`, LOG_LEVEL: 'error' }, port: 0, logWrite: () => undefined });
    attribution = new QueryServer(bus.nc, bus.ns, 'attribution').handle(focusCostsQuery, async ({ args }) => {
      pagesAsked++;
      const start = args.after ? ALL.findIndex((event) => event.factKey > args.after!.factKey) : 0;
      if (failAfter !== undefined && start > failAfter) throw new QueryError('UNAVAILABLE', 'attribution is restarting');
      return start < 0 ? [] : ALL.slice(start, start + (args.limit ?? 2_000));
    });
    await bus.nc.flush();
  });

  afterAll(async () => {
    await attribution?.stop();
    await gateway?.stop();
    await bus?.cleanup();
  });

  describe('the CSV, over several pages', () => {
    let header: string[];
    let rows: FocusRow[];

    beforeAll(async () => {
      pagesAsked = 0;
      const response = await download(WINDOW);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      ({ header, rows } = csvRows(await response.text()));
    });

    it('holds one row per priced event by default, in order, read in pages of 1,000 events', () => {
      expect(rows.map((row) => row.x_EventId)).toEqual(ALL.map((event) => event.factKey));
      expect(pagesAsked).toBe(Math.ceil(EVENTS / FOCUS_PAGE_EVENTS));
      expect(sum(rows.map((row) => parseDecimal(row.BilledCost))).toFixed()).toBe(sum(ALL.map((event) => parseDecimal(event.cost))).toFixed());
    });

    it.each(ROW_RULES.map((rule) => [ruleName(rule), rule] as const))('%s', (_name, rule) => {
      expect(breaches(rule, rows)).toEqual([]);
    });

    it.each(DATASET_RULES.map((rule) => [ruleName(rule), rule] as const))('%s', (_name, rule) => {
      expect(rule.broken(header, rows)).toBeUndefined();
    });
  });

  it('granularity=sku: one row per token kind each call used, the same total to the last decimal', async () => {
    const { rows } = csvRows(await (await download(`${WINDOW}&granularity=sku`)).text());
    const kinds = (event: FocusCostView) => (event.factType === 'llm.call' ? Object.keys(event.breakdown!).length : 1);
    expect(rows).toHaveLength(ALL.reduce((total, event) => total + kinds(event), 0));
    expect(rows.filter((row) => row.x_EventId === 'nats|000003').map((row) => [row.x_TokenKind, row.PricingQuantity, row.PricingUnit, row.BilledCost])).toEqual([
      ['input', '1003', 'Tokens', '0.0025'],
      ['cache-read', '400', 'Tokens', '0.0000001'],
      ['output', '250', 'Tokens', '0.0015'],
    ]);
    expect(sum(rows.map((row) => parseDecimal(row.BilledCost))).toFixed()).toBe(sum(ALL.map((event) => parseDecimal(event.cost))).toFixed());
    for (const rule of ROW_RULES) expect([ruleName(rule), breaches(rule, rows)]).toEqual([ruleName(rule), []]);
  });

  it('format=parquet: the same rows, FOCUS types (Decimal, Date/Time, String, JSON) and its non-null columns REQUIRED', async () => {
    const response = await download(`${WINDOW}&format=parquet`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const file = await response.arrayBuffer();
    const metadata = parquetMetadata(file);
    expect(Number(metadata.num_rows)).toBe(EVENTS);
    const schema = new Map(metadata.schema.slice(1).map((element) => [element.name, element]));
    expect([...schema.keys()]).toEqual([...FOCUS_COLUMNS]);
    for (const column of ['BilledCost', 'ContractedCost', 'EffectiveCost', 'ListCost', 'PricingQuantity', 'ConsumedQuantity']) expect([column, schema.get(column)!.converted_type]).toEqual([column, 'DECIMAL']);
    for (const column of ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) expect([column, schema.get(column)!.converted_type]).toEqual([column, 'TIMESTAMP_MILLIS']);
    expect(schema.get('Tags')!.converted_type).toBe('JSON');
    expect(schema.get('ServiceName')!.converted_type).toBe('UTF8');
    for (const [name, element] of schema) expect([name, element.repetition_type]).toEqual([name, NOT_NULL_COLUMNS.has(name as never) ? 'REQUIRED' : 'OPTIONAL']);
    const rows = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
    expect(rows.map((row) => row.x_EventId)).toEqual(ALL.map((event) => event.factKey));
    expect(rows.filter((row) => row.x_Team === null)).toHaveLength(ALL.filter((event) => event.team === '').length);
    expect((rows[1]!.ChargePeriodStart as Date).toISOString()).toBe('2026-10-01T00:00:00.000Z');
  });

  it.each(['csv', 'parquet'])('a page that cannot be had midway breaks the %s download off: the client sees a failed transfer, not a shorter whole file', async (format) => {
    failAfter = FOCUS_PAGE_EVENTS + 10;
    try {
      const response = await download(`${WINDOW}&format=${format}`);
      expect(response.status).toBe(200);
      await expect(response.arrayBuffer()).rejects.toThrow();
    } finally {
      failAfter = undefined;
    }
  }, 30_000);
});
