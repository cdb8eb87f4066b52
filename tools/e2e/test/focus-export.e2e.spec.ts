import { parse } from 'csv-parse/sync';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { eventually } from '@agentledger/testing';
import { costOf, dec, exact, fleetScenario, isCall, PRICES, sum, type ScenarioEvent } from './fleet-scenario.js';
import { Stack } from './stack.js';

// The FOCUS export over real processes: a fleet told in events over NATS, priced, then
// corrected by a new price; the CSV of GET /v1/export/focus read back and held against
// costSummary and against the events sent. Enough calls are sent for the export to read
// attribution in more than one page.

const KEYS = { admin: 'focus-e2e-admin', viewer: 'focus-e2e-viewer', other: 'focus-e2e-other' };
const WINDOW = { from: '2026-10-05T00:00:00Z', to: '2026-10-06T00:00:00Z' };
const BULK = 5_100;

const fleet = fleetScenario('focus');
const bulk: ScenarioEvent[] = Array.from({ length: BULK }, (_, i) => ({
  specversion: '1.0',
  id: `focus-bulk-${i}`,
  source: 'agent://bulk-bot',
  type: 'llm.call',
  time: new Date(Date.parse('2026-10-05T12:00:00Z') + i * 1000).toISOString(),
  data: { agentId: 'bulk-bot', team: 'ops', workflow: 'bulk', spanId: `bulk-${i}`, provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 100 + i, outputTokens: 7 }, status: 'ok', attempt: 1 },
}));
const EVENTS = [...fleet, ...bulk];
const PRICED = EVENTS.filter((event) => isCall(event));
/** gpt-4o-mini repriced from 2026-10-01: every mini call gets a correction. */
const NEW_MINI = { provider: 'openai', model: 'gpt-4o-mini', inputPer1M: '0.30', outputPer1M: '1.20', effectiveFrom: '2026-10-01T00:00:00Z' };

const costAfterRepricing = (event: ScenarioEvent) => (event.type === 'llm.call' && event.data.model === 'gpt-4o-mini' ? costOf(event).times(2) : costOf(event));

type Row = Record<string, string>;

describe('FOCUS export over NATS and HTTP', () => {
  let stack: Stack;
  const exportCsv = async (query: string, key: string | null = KEYS.viewer) =>
    fetch(stack.url('gateway', `/v1/export/focus?${query}`), { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const rowsOf = async (query: string, key: string = KEYS.viewer): Promise<Row[]> => {
    const response = await exportCsv(query, key);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    return parse(await response.text(), { columns: true, skip_empty_lines: true }) as Row[];
  };
  const window = `from=${WINDOW.from}&to=${WINDOW.to}`;

  beforeAll(async () => {
    stack = await Stack.start({ services: ['ingestion', 'pricing', 'attribution', 'gateway'], apiKeys: `${KEYS.admin}=acme:admin,${KEYS.viewer}=acme:viewer,${KEYS.other}=globex:viewer` });
    for (const input of PRICES) expect((await stack.graphql(KEYS.admin, 'mutation($input: PriceInput!) { setPrice(input: $input) { model } }', { input })).errors).toBeUndefined();
    const encoder = new TextEncoder();
    for (const e of EVENTS) stack.bus.nc.publish(`${stack.bus.ns.subjectPrefix}finops.in.acme.${e.type.replace('.', '_')}`, encoder.encode(JSON.stringify(e)));
    await stack.bus.nc.flush();
    expect((await stack.graphql(KEYS.admin, 'mutation($input: PriceInput!) { setPrice(input: $input) { model } }', { input: NEW_MINI })).errors).toBeUndefined();
    const total = sum(EVENTS.map(costAfterRepricing)).toFixed();
    await eventually(
      async () => exact(((await stack.graphql<any>(KEYS.viewer, 'query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { totalCost } }', WINDOW)).data?.costSummary.totalCost) as string) === total,
      120_000,
      'every cost and correction',
    );
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('answers 401 without a valid key and 400 naming a bad parameter', async () => {
    const missing = await exportCsv(window, null);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as any).error.code).toBe('UNAUTHENTICATED');
    expect((await exportCsv(window, 'not-a-key')).status).toBe(401);
    const bad = await exportCsv('from=yesterday&to=2026-10-06T00:00:00Z');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/^from:/);
    expect((await exportCsv(`${window}&granularity=hourly`)).status).toBe(400);
    expect((await exportCsv(`to=${WINDOW.from}&from=${WINDOW.to}`)).status).toBe(400);
  });

  it('has one row per priced event, net of corrections, whose BilledCost sums exactly to costSummary', async () => {
    const rows = await rowsOf(window);
    expect(rows).toHaveLength(PRICED.length);
    expect(new Set(rows.map((row) => row.x_EventId)).size).toBe(PRICED.length);
    const { data } = await stack.graphql<any>(KEYS.viewer, 'query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { totalCost } }', WINDOW);
    expect(sum(rows.map((row) => dec(row.BilledCost!))).toFixed()).toBe(exact(data.costSummary.totalCost));
    for (const event of PRICED) {
      const row = rows.find((candidate) => candidate.x_EventId.endsWith(`|${event.id}`));
      expect(row).toBeDefined();
      expect(exact(row!.BilledCost)).toBe(costAfterRepricing(event).toFixed());
      expect(row!.x_AgentId).toBe(event.data.agentId);
      expect(row!.x_EventType).toBe(event.type);
    }
  });

  it('fills the columns from the events: tokens, run, outcome, tags, tenant', async () => {
    const rows = await rowsOf(window);
    const escalated = rows.find((row) => row.x_SpanId === 'A4')!;
    expect(escalated).toMatchObject({
      BillingAccountId: 'acme',
      BillingCurrency: 'USD',
      BillingPeriodStart: '2026-10-01T00:00:00Z',
      BillingPeriodEnd: '2026-11-01T00:00:00Z',
      ChargePeriodStart: '2026-10-05T10:00:00Z',
      ChargePeriodEnd: '2026-10-05T11:00:00Z',
      ChargeCategory: 'Usage',
      ServiceCategory: 'AI and Machine Learning',
      ServiceName: 'gpt-4o',
      ProviderName: 'openai',
      ResourceId: 'support-assistant',
      x_Team: 'support',
      x_Workflow: 'resolve-ticket',
      x_RunId: 'focus-tA',
      x_InputTokens: '2000',
      x_OutputTokens: '300',
      x_Outcome: 'ticket_resolved',
      x_OutcomeSuccess: 'true',
      ConsumedQuantity: '2300',
      ConsumedUnit: 'Tokens',
    });
    expect(JSON.parse(escalated.Tags!)).toMatchObject({ team: 'support', workflow: 'resolve-ticket' });
    const tool = rows.find((row) => row.x_Tool === 'help-center-search')!;
    expect(exact(tool.BilledCost)).toBe('0.0004');
    expect(tool.x_EventType).toBe('tool.call');
  });

  it('splits each call into one row per token kind at granularity=sku, summing to the same cost', async () => {
    const rows = await rowsOf(`${window}&granularity=sku`);
    const byEvent = new Map<string, Row[]>();
    for (const row of rows) byEvent.set(row.x_EventId, [...(byEvent.get(row.x_EventId) ?? []), row]);
    expect(byEvent.size).toBe(PRICED.length);
    const escalated = rows.filter((row) => row.x_SpanId === 'A4');
    expect(escalated.map((row) => [row.SkuId, row.PricingQuantity, row.PricingUnit, exact(row.BilledCost)])).toEqual([
      ['openai/gpt-4o/input', '2000', 'Tokens', '0.005'],
      ['openai/gpt-4o/output', '300', 'Tokens', '0.003'],
    ]);
    const mini = rows.filter((row) => row.x_SpanId === 'B1');
    expect(mini.map((row) => [row.x_TokenKind, exact(row.BilledCost)])).toEqual([
      ['input', '0.0006'],
      ['output', '0.00012'],
    ]);
    const eventRows = await rowsOf(window);
    expect(sum(rows.map((row) => dec(row.BilledCost!))).toFixed()).toBe(sum(eventRows.map((row) => dec(row.BilledCost!))).toFixed());
  });

  it('writes the same rows as Parquet (format=parquet): exact DECIMAL(38, 18) costs, UTC timestamps', async () => {
    const response = await exportCsv(`${window}&format=parquet`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const file = await response.arrayBuffer();
    const metadata = parquetMetadata(file);
    expect(Number(metadata.num_rows)).toBe(PRICED.length);
    expect(metadata.row_groups.length).toBeGreaterThan(1);
    const billed = metadata.schema.find((element) => element.name === 'BilledCost')!;
    expect([billed.type, billed.converted_type, billed.precision, billed.scale]).toEqual(['FIXED_LEN_BYTE_ARRAY', 'DECIMAL', 38, 18]);
    expect(metadata.schema.find((element) => element.name === 'ChargePeriodStart')!.converted_type).toBe('TIMESTAMP_MILLIS');
    const rows = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
    const csvRows = await rowsOf(window);
    expect(rows.map((row) => row.x_EventId)).toEqual(csvRows.map((row) => row.x_EventId));
    // The reader turns DECIMAL into a float; the bytes are exact (unit-tested), the float is close.
    for (const [index, row] of rows.entries()) expect(Math.abs((row.BilledCost as number) - Number(csvRows[index]!.BilledCost))).toBeLessThan(1e-12);
    expect((rows[0]!.ChargePeriodStart as Date).toISOString()).toBe(new Date(csvRows[0]!.ChargePeriodStart!).toISOString());
  });

  it('shows a tenant only its own costs, and an empty window only the header', async () => {
    expect(await rowsOf(window, KEYS.other)).toEqual([]);
    const response = await exportCsv('from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z');
    expect((await response.text()).split('\r\n')[0]).toMatch(/^BilledCost,BillingAccountId,/);
  });
});
