import { Decimal } from 'decimal.js';
import type { FocusCostView } from '@agentledger/contracts';
import { CSV_HEADER, csvField, csvRow, FOCUS_COLUMNS, focusRowsOf, type FocusRow } from './focus-rows.js';

// How the rows of an event are built and written; the FOCUS 1.2 requirements they meet are
// checked one by one in focus-spec.unit.spec.ts.

const llm: FocusCostView = {
  factKey: 'nats|e-1',
  factType: 'llm.call',
  time: '2026-10-31T23:59:59.500Z',
  agentId: 'support-bot',
  team: 'support',
  workflow: 'resolve-ticket',
  environment: 'production',
  provider: 'openai',
  model: 'gpt-4o',
  tool: '',
  vendor: '',
  traceId: 'run-1',
  spanId: 's-1',
  inputTokens: '2000',
  outputTokens: '300',
  cacheReadTokens: '500',
  cacheWriteTokens: '0',
  reasoningTokens: '0',
  cost: '0.0090625',
  breakdown: { input: '0.005', cacheRead: '0.0000625', output: '0.003', requestFee: '0.001' },
  attributes: { customer: 'acme, "inc"' },
  outcome: 'ticket_resolved',
  outcomeSuccess: true,
};
const tool: FocusCostView = { ...llm, factKey: 'nats|e-2', factType: 'tool.call', provider: '', model: '', tool: 'kb-search', inputTokens: '0', outputTokens: '0', cacheReadTokens: '0', cost: '0.0004', breakdown: { other: '0.0004' }, outcome: '', outcomeSuccess: null };
const saas: FocusCostView = { ...tool, factKey: 'nats|e-3', factType: 'saas.usage', tool: '', vendor: 'zendesk', cost: '4.5', breakdown: { other: '4.5' } };
const legacy: FocusCostView = { ...llm, factKey: 'nats|e-4', breakdown: null };

const EVENTS = [llm, tool, saas, legacy];

describe('the rows of one event', () => {
  const total = (rows: FocusRow[]) => rows.reduce((sum, row) => sum.plus(row.BilledCost!), new Decimal(0)).toFixed();

  it('one row per event by default, costing what the event cost', () => {
    for (const event of EVENTS) {
      const rows = focusRowsOf(event, 'acme', 'USD', 'event');
      expect(rows).toHaveLength(1);
      expect(rows[0]!.BilledCost).toBe(event.cost);
    }
  });

  it('granularity=sku: one row per token kind used, then the request fee, summing exactly to the event', () => {
    const rows = focusRowsOf(llm, 'acme', 'USD', 'sku');
    expect(rows.map((row) => [row.SkuId, row.x_TokenKind, row.PricingQuantity, row.PricingUnit, row.BilledCost])).toEqual([
      ['openai/gpt-4o/input', 'input', '2000', 'Tokens', '0.005'],
      ['openai/gpt-4o/cache-read', 'cache-read', '500', 'Tokens', '0.0000625'],
      ['openai/gpt-4o/output', 'output', '300', 'Tokens', '0.003'],
      ['openai/gpt-4o/request', 'request', '1', 'Requests', '0.001'],
    ]);
    expect(total(rows)).toBe(new Decimal(llm.cost).toFixed());
  });

  it('granularity=sku keeps tool, SaaS and breakdown-less events whole', () => {
    for (const event of [tool, saas, legacy]) expect(focusRowsOf(event, 'acme', 'USD', 'sku')).toEqual(focusRowsOf(event, 'acme', 'USD', 'event'));
  });

  it('names the seller of each kind of event', () => {
    expect(focusRowsOf(tool, 'acme', 'USD', 'event')[0]).toMatchObject({ ProviderName: 'kb-search', ServiceName: 'kb-search', x_Tool: 'kb-search', x_Model: null });
    expect(focusRowsOf(saas, 'acme', 'USD', 'event')[0]).toMatchObject({ ProviderName: 'zendesk', ServiceName: 'zendesk' });
  });
});

describe('the CSV', () => {
  it('quotes fields holding commas, quotes or line breaks (RFC 4180), and writes null as empty', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField('plain')).toBe('plain');
  });

  it('writes one line per row with every column, ending in CRLF', () => {
    const line = csvRow(focusRowsOf(llm, 'acme', 'USD', 'event')[0]!);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(CSV_HEADER.split(',')).toHaveLength(FOCUS_COLUMNS.length);
  });
});
