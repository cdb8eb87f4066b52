import { Decimal } from 'decimal.js';

// A small fleet told in events, and what every question should answer, computed here from
// what is sent by the contract's formulas (never by our services' code).

export const DAY = { from: '2026-10-05T00:00:00Z', to: '2026-10-06T00:00:00Z' };
export const PRICES = [
  { provider: 'openai', model: 'gpt-4o-mini', inputPer1M: '0.15', outputPer1M: '0.60', effectiveFrom: '2026-01-01T00:00:00Z' },
  { provider: 'openai', model: 'gpt-4o', inputPer1M: '2.50', outputPer1M: '10.00', effectiveFrom: '2026-01-01T00:00:00Z' },
];

export interface ScenarioEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly data: Record<string, any>;
}

export function fleetScenario(tag: string): ScenarioEvent[] {
  let n = 0;
  const at = (minute: number) => `2026-10-05T10:${String(minute).padStart(2, '0')}:00Z`;
  const event = (type: string, minute: number, data: Record<string, unknown>): ScenarioEvent => ({
    specversion: '1.0',
    id: `${tag}-${++n}`,
    source: `agent://${String(data.agentId)}`,
    type,
    time: at(minute),
    data,
  });
  const support = { agentId: 'support-assistant', team: 'support', workflow: 'resolve-ticket', traceId: `${tag}-tA` };
  const sales = { agentId: 'lead-qualifier', team: 'sales', workflow: 'qualify-lead', traceId: `${tag}-tB` };
  const legal = { agentId: 'contract-summarizer', team: 'legal', workflow: 'summarize-contract', traceId: `${tag}-tC` };
  return [
    event('agent.registered', 0, { agentId: 'support-assistant', name: 'Support assistant', team: 'support', owner: 'ana', platform: 'internal', lifecycle: 'production' }),
    event('agent.registered', 0, { agentId: 'lead-qualifier', name: 'Lead qualifier', team: 'sales', owner: 'raj', platform: 'internal', lifecycle: 'production' }),
    event('agent.registered', 0, { agentId: 'contract-summarizer', name: 'Contract summarizer', team: 'legal', owner: 'li', platform: 'internal', lifecycle: 'experiment' }),
    event('run.started', 1, { ...support, spanId: 'A0' }),
    event('tool.call', 2, { ...support, spanId: 'A1', parentSpanId: 'A0', tool: 'help-center-search', cost: '0.0004', latencyMs: 80, status: 'ok' }),
    event('llm.call', 3, { ...support, spanId: 'A2', parentSpanId: 'A0', provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1000, outputTokens: 0 }, latencyMs: 30000, status: 'timeout', attempt: 1 }),
    event('llm.call', 4, { ...support, spanId: 'A3', parentSpanId: 'A0', provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1000, outputTokens: 200 }, latencyMs: 900, status: 'ok', attempt: 2, retryOf: 'A2' }),
    event('llm.call', 5, { ...support, spanId: 'A4', parentSpanId: 'A0', provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 2000, outputTokens: 300 }, latencyMs: 2000, status: 'ok', attempt: 1, escalatedFrom: 'gpt-4o-mini', routing: { router: 'complexity-router', decision: 'large' } }),
    event('evaluation.scored', 6, { ...support, spanId: 'A4', evaluator: 'groundedness-judge', metric: 'faithfulness', score: 0.9, passed: true }),
    event('outcome.recorded', 6, { ...support, outcome: 'ticket_resolved', success: true, value: '12.00', timeSavedMinutes: 15 }),
    event('run.finished', 7, { ...support, spanId: 'A0', status: 'succeeded' }),
    event('run.started', 11, { ...sales, spanId: 'B0' }),
    event('llm.call', 12, { ...sales, spanId: 'B1', parentSpanId: 'B0', provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 2000, outputTokens: 100 }, latencyMs: 700, status: 'ok', attempt: 1, routing: { router: 'complexity-router', decision: 'small' } }),
    event('outcome.recorded', 13, { ...sales, outcome: 'lead_qualified', success: true, value: '50.00', timeSavedMinutes: 20 }),
    event('run.finished', 14, { ...sales, spanId: 'B0', status: 'succeeded' }),
    event('run.started', 21, { ...legal, spanId: 'C0' }),
    event('llm.call', 22, { ...legal, spanId: 'C1', parentSpanId: 'C0', provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 10000, outputTokens: 0 }, latencyMs: 60000, status: 'error', attempt: 1 }),
    event('run.finished', 23, { ...legal, spanId: 'C0', status: 'failed' }),
  ];
}

const D = Decimal.clone({ precision: 60 });
export type Dec = InstanceType<typeof D>;
export const dec = (value: string | number) => new D(value);
/** A decimal as the test compares it: exact value, trailing zeros dropped. */
export const exact = (value: string | null | undefined) => (value === null || value === undefined ? value : new D(value).toFixed());

/** The cost of one event by the contract's formula (no cache or reasoning tokens here). */
export function costOf(event: ScenarioEvent): Dec {
  if (event.type === 'llm.call') {
    const price = PRICES.find((p) => p.model === event.data.model)!;
    return dec(price.inputPer1M).div(1_000_000).times(event.data.usage.inputTokens).plus(dec(price.outputPer1M).div(1_000_000).times(event.data.usage.outputTokens));
  }
  if (event.type === 'tool.call' || event.type === 'saas.usage') return dec(event.data.cost ?? '0');
  return dec(0);
}

export const sum = (values: Dec[]) => values.reduce((total, value) => total.plus(value), dec(0));
export const isCall = (event: ScenarioEvent) => event.type === 'llm.call' || event.type === 'tool.call';
