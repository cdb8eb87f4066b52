import type { FocusCostView } from '@agentledger/contracts';
import { parseDecimal, sum } from '@agentledger/money';
import { CSV_HEADER, FOCUS_COLUMNS, focusRowsOf, type FocusRow } from './focus-rows.js';
import { breaches, DATASET_RULES, ROW_RULES, ruleName } from './focus-spec-rules.js';

// FOCUS 1.2 (specification/columns/*.md and attributes/*.md of the FOCUS_Spec repository, tag
// v1.2), one test per requirement, held against the rows the export builds from every kind of
// priced event, at both granularities.

const call: FocusCostView = {
  factKey: 'nats|call-1',
  factType: 'llm.call',
  time: '2026-12-31T23:59:59.999Z',
  agentId: 'research-agent',
  team: 'research',
  workflow: 'literature-review',
  environment: 'staging',
  provider: 'anthropic',
  model: 'claude-sonnet-4',
  tool: '',
  vendor: '',
  traceId: 'run-9',
  spanId: 'span-3',
  inputTokens: '12000',
  outputTokens: '800',
  cacheReadTokens: '0',
  cacheWriteTokens: '4000',
  reasoningTokens: '1500',
  cost: '0.0945',
  breakdown: { input: '0.036', cacheWrite: '0.015', output: '0.012', reasoning: '0.0225', requestFee: '0.009' },
  attributes: { customer: 'initech', 'cost-center': '4711' },
  outcome: 'review_done',
  outcomeSuccess: false,
};
/** Repriced downwards after it was billed: its corrections net it below zero. */
const refunded: FocusCostView = { ...call, factKey: 'nats|call-2', time: '2026-12-01T00:00:00.000Z', cost: '-0.0005', breakdown: { input: '-0.0005' }, outcome: '', outcomeSuccess: null };
/** No team, workflow, environment, run or attributes: the columns they fill are null, never empty. */
const bare: FocusCostView = { ...call, factKey: 'nats|call-3', team: '', workflow: '', environment: '', traceId: '', spanId: '', attributes: {}, breakdown: null, cost: '0.000000001', outcome: '', outcomeSuccess: null };
const tool: FocusCostView = { ...call, factKey: 'nats|tool-1', factType: 'tool.call', provider: '', model: '', tool: 'web-search', inputTokens: '0', outputTokens: '0', cacheWriteTokens: '0', reasoningTokens: '0', cost: '0.01', breakdown: { other: '0.01' } };
const saas: FocusCostView = { ...tool, factKey: 'nats|saas-1', factType: 'saas.usage', tool: '', vendor: 'intercom', cost: '120', breakdown: { other: '120' } };

const EVENTS = [call, refunded, bare, tool, saas];
const rowsAt = (granularity: 'event' | 'sku', tenant = 'acme') => EVENTS.flatMap((event) => focusRowsOf(event, tenant, 'USD', granularity));
const ROWS: FocusRow[] = [...rowsAt('event'), ...rowsAt('sku')];
const HEADER = CSV_HEADER.trimEnd().split(',');

describe('FOCUS 1.2: each row the export builds', () => {
  it.each(ROW_RULES.map((rule) => [ruleName(rule), rule] as const))('%s', (_name, rule) => {
    expect(breaches(rule, ROWS)).toEqual([]);
  });
});

describe('FOCUS 1.2: the dataset', () => {
  it.each(DATASET_RULES.map((rule) => [ruleName(rule), rule] as const))('%s', (_name, rule) => {
    expect(rule.broken(HEADER, ROWS)).toBeUndefined();
  });

  it('the CSV header is the column list', () => {
    expect(HEADER).toEqual([...FOCUS_COLUMNS]);
  });
});

describe('FOCUS 1.2: rows split by SKU (granularity=sku)', () => {
  const byEvent = (rows: FocusRow[]) => {
    const grouped = new Map<string | null, FocusRow[]>();
    for (const row of rows) grouped.set(row.x_EventId, [...(grouped.get(row.x_EventId) ?? []), row]);
    return grouped;
  };
  const events = byEvent(rowsAt('event'));
  const skus = byEvent(rowsAt('sku'));

  it.each(['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'] as const)(
    'attributes/column_handling.md: rows split differently must keep the accuracy of summable values: %s of the SKU rows sums exactly to the event row',
    (column) => {
      for (const [event, [row]] of events) expect([event, sum(skus.get(event)!.map((sku) => parseDecimal(sku[column]))).toFixed()]).toEqual([event, parseDecimal(row![column]).toFixed()]);
    },
  );

  it('attributes/column_handling.md: ... and quantities: the Tokens consumed by the SKU rows sum to the event row', () => {
    for (const [event, [row]] of events) {
      if (row!.ConsumedUnit !== 'Tokens') continue;
      const tokens = skus.get(event)!.filter((sku) => sku.ConsumedUnit === 'Tokens').reduce((total, sku) => total + BigInt(sku.ConsumedQuantity!), 0n);
      expect([event, tokens.toString()]).toEqual([event, row!.ConsumedQuantity]);
    }
  });

  it('one row per token kind the call used, then its request fee (as FOCUS AI examples bill tokens by kind)', () => {
    expect(skus.get('nats|call-1')!.map((row) => [row.SkuId, row.PricingQuantity, row.PricingUnit, row.BilledCost])).toEqual([
      ['anthropic/claude-sonnet-4/input', '12000', 'Tokens', '0.036'],
      ['anthropic/claude-sonnet-4/cache-write', '4000', 'Tokens', '0.015'],
      ['anthropic/claude-sonnet-4/output', '800', 'Tokens', '0.012'],
      ['anthropic/claude-sonnet-4/reasoning', '1500', 'Tokens', '0.0225'],
      ['anthropic/claude-sonnet-4/request', '1', 'Requests', '0.009'],
    ]);
  });

  it('columns/skuid.md: SkuId MUST remain consistent across billing accounts: the same usage in two tenants has the same SkuIds', () => {
    expect(rowsAt('sku', 'globex').map((row) => row.SkuId)).toEqual(rowsAt('sku', 'acme').map((row) => row.SkuId));
  });
});
