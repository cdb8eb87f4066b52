import { Decimal } from 'decimal.js';
import type { FocusCostView } from '@agentledger/contracts';
import { CSV_HEADER, csvField, csvRow, FOCUS_COLUMNS, focusRowsOf, type FocusRow } from './focus-rows.js';

// The FOCUS 1.2 column requirements (specification/columns/*.md), one rule per test, held
// against the rows of each kind of event at both granularities.

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
const ROWS: FocusRow[] = EVENTS.flatMap((event) => [...focusRowsOf(event, 'acme', 'USD', 'event'), ...focusRowsOf(event, 'acme', 'USD', 'sku')]);

const MANDATORY = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory', 'ChargeClass',
  'ChargeDescription', 'ChargePeriodEnd', 'ChargePeriodStart', 'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'PricingQuantity',
  'PricingUnit', 'ProviderName', 'PublisherName', 'ServiceCategory', 'ServiceName',
];
const COST_COLUMNS = ['BilledCost', 'ContractedCost', 'EffectiveCost', 'ListCost'] as const;
const DATE_COLUMNS = ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd'] as const;
/** FOCUS's date-time format: ISO 8601 in UTC with a Z, to the second. */
const FOCUS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const SERVICE_CATEGORIES = ['AI and Machine Learning', 'Analytics', 'Business Applications', 'Compute', 'Databases', 'Developer Tools', 'Multicloud', 'Identity', 'Integration', 'Internet of Things', 'Management and Governance', 'Media', 'Migration', 'Mobile', 'Networking', 'Security', 'Storage', 'Web', 'Other'];
const at = (text: string | null) => Date.parse(text!);

describe('the FOCUS 1.2 column requirements', () => {
  it('every mandatory column is present, in the header too', () => {
    for (const column of MANDATORY) expect(FOCUS_COLUMNS).toContain(column);
    for (const column of MANDATORY) expect(CSV_HEADER.split(',').map((name) => name.trim())).toContain(column);
  });

  it('custom columns carry the x_ prefix; the others are FOCUS column names in PascalCase', () => {
    for (const column of FOCUS_COLUMNS) expect(column).toMatch(/^(x_[A-Za-z]+|[A-Z][A-Za-z]+)$/);
    expect(FOCUS_COLUMNS.filter((column) => column.startsWith('x_'))).toEqual(expect.arrayContaining(['x_AgentId', 'x_Team', 'x_Workflow', 'x_RunId', 'x_InputTokens', 'x_OutputTokens', 'x_Outcome']));
  });

  it.each(COST_COLUMNS)('%s is a decimal, never null', (column) => {
    for (const row of ROWS) expect(row[column]).toMatch(DECIMAL);
  });

  it('BillingCurrency is an ISO 4217 code, never null', () => {
    for (const row of ROWS) expect(row.BillingCurrency).toMatch(/^[A-Z]{3}$/);
  });

  it('BillingAccountId and BillingAccountName are never null', () => {
    for (const row of ROWS) expect([row.BillingAccountId, row.BillingAccountName]).toEqual(['acme', 'acme']);
  });

  it.each(DATE_COLUMNS)('%s is an ISO 8601 UTC date-time, never null', (column) => {
    for (const row of ROWS) expect(row[column]).toMatch(FOCUS_DATE_TIME);
  });

  it('the billing period is a whole calendar month, start inclusive and end exclusive', () => {
    const row = focusRowsOf(llm, 'acme', 'USD', 'event')[0]!;
    expect([row.BillingPeriodStart, row.BillingPeriodEnd]).toEqual(['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z']);
  });

  it('the charge period starts before it ends and lies inside the billing period', () => {
    for (const row of ROWS) {
      expect(at(row.ChargePeriodStart)).toBeLessThan(at(row.ChargePeriodEnd));
      expect(at(row.ChargePeriodStart)).toBeGreaterThanOrEqual(at(row.BillingPeriodStart));
      expect(at(row.ChargePeriodEnd)).toBeLessThanOrEqual(at(row.BillingPeriodEnd));
    }
  });

  it('the charge period holds the event (its hour, so an event at 23:59:59.5 stays in its month)', () => {
    const row = focusRowsOf(llm, 'acme', 'USD', 'event')[0]!;
    expect([row.ChargePeriodStart, row.ChargePeriodEnd]).toEqual(['2026-10-31T23:00:00Z', '2026-11-01T00:00:00Z']);
  });

  it('ChargeCategory is one of the allowed values', () => {
    for (const row of ROWS) expect(['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment']).toContain(row.ChargeCategory);
  });

  it('ChargeClass is null or "Correction"', () => {
    for (const row of ROWS) expect([null, 'Correction']).toContain(row.ChargeClass);
  });

  it('ChargeFrequency is one of the allowed values, and usage is usage-based', () => {
    for (const row of ROWS) expect(row.ChargeFrequency).toBe(row.ChargeCategory === 'Usage' ? 'Usage-Based' : expect.stringMatching(/^(One-Time|Recurring|Usage-Based)$/));
  });

  it('ChargeDescription is never null', () => {
    for (const row of ROWS) expect(row.ChargeDescription).toMatch(/\S/);
  });

  it('ServiceCategory is an allowed value, "AI and Machine Learning" for every AgentLedger charge', () => {
    for (const row of ROWS) {
      expect(SERVICE_CATEGORIES).toContain(row.ServiceCategory);
      expect(row.ServiceCategory).toBe('AI and Machine Learning');
    }
  });

  it('ServiceName, ProviderName, PublisherName and InvoiceIssuerName are never null', () => {
    for (const row of ROWS) for (const column of ['ServiceName', 'ProviderName', 'PublisherName', 'InvoiceIssuerName'] as const) expect(row[column]).toMatch(/\S/);
  });

  it('PricingQuantity is a decimal and PricingUnit is set whenever it is', () => {
    for (const row of ROWS) {
      expect(row.PricingQuantity).toMatch(DECIMAL);
      expect(row.PricingUnit).toMatch(/\S/);
    }
  });

  it('ConsumedQuantity and ConsumedUnit are set on usage that is not a correction, and the quantity is a decimal', () => {
    for (const row of ROWS.filter((candidate) => candidate.ChargeCategory === 'Usage' && candidate.ChargeClass !== 'Correction')) {
      expect(row.ConsumedQuantity).toMatch(DECIMAL);
      expect(row.ConsumedUnit).toMatch(/\S/);
    }
  });

  it('with no negotiated discounts, the four costs of a row are equal', () => {
    for (const row of ROWS) for (const column of COST_COLUMNS) expect(row[column]).toBe(row.BilledCost);
  });

  it('Tags is a JSON object of string values', () => {
    for (const row of ROWS) {
      const tags = JSON.parse(row.Tags!);
      expect(tags).toEqual(expect.any(Object));
      for (const value of Object.values(tags)) expect(typeof value).toBe('string');
    }
    expect(JSON.parse(focusRowsOf(llm, 'acme', 'USD', 'event')[0]!.Tags!)).toEqual({ team: 'support', workflow: 'resolve-ticket', environment: 'production', customer: 'acme, "inc"' });
  });

  it('ResourceId is the agent; SkuId is set on every row', () => {
    for (const row of ROWS) {
      expect(row.ResourceId).toBe('support-bot');
      expect(row.SkuId).toMatch(/\S/);
    }
  });
});

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
