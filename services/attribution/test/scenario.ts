import { CallStatus, RunStatus, type CanonicalFact } from '@agentledger/contracts';
import type { PricedCost } from '@agentledger/contracts';
import { fact } from './facts.js';
import { pricedCost } from './priced-costs.js';

/**
 * Two runs on 2026-11-27. T1: a support run with a failed call and its retry, an escalation
 * chosen by a router, a tool call under it, an evaluation of the escalated step and a
 * successful outcome. T2: a lead run that fails with no outcome (waste), with an unpriced call
 * priced later by a correction and a timed-out tool call.
 */
const support = { agentId: 'support-bot', team: 'support', workflow: 'resolve-ticket', traceId: 'T1' };
const leads = { agentId: 'lead-bot', team: 'sales', workflow: 'qualify-lead', traceId: 'T2' };
const usage = { inputTokens: 100n, outputTokens: 10n };

export const FACTS: CanonicalFact[] = [
  fact('acme', 'r1-start', 'run.started', '2026-11-27T09:00:00Z', { ...support, spanId: 'R1' }, { case: 'runStarted', value: { trigger: 'ticket' } }),
  fact('acme', 's1', 'llm.call', '2026-11-27T09:00:01Z', { ...support, spanId: 'S1', parentSpanId: 'R1' }, {
    case: 'llmCall',
    value: { provider: 'openai', model: 'gpt-4o-mini', usage, attempt: 1, status: CallStatus.ERROR, latencyMs: 100n },
  }),
  fact('acme', 's2', 'llm.call', '2026-11-27T09:00:02Z', { ...support, spanId: 'S2', parentSpanId: 'R1' }, {
    case: 'llmCall',
    value: { provider: 'openai', model: 'gpt-4o-mini', usage, attempt: 2, retryOf: 'S1', status: CallStatus.OK, latencyMs: 200n },
  }),
  fact('acme', 's3', 'llm.call', '2026-11-27T09:00:03Z', { ...support, spanId: 'S3', parentSpanId: 'R1' }, {
    case: 'llmCall',
    value: {
      provider: 'openai',
      model: 'gpt-4o',
      usage,
      attempt: 1,
      status: CallStatus.OK,
      latencyMs: 400n,
      escalatedFrom: 'gpt-4o-mini',
      routing: { router: 'complexity', decision: 'escalate', reason: 'hard', candidates: [] },
    },
  }),
  fact('acme', 's4', 'tool.call', '2026-11-27T09:00:04Z', { ...support, spanId: 'S4', parentSpanId: 'S3' }, {
    case: 'toolCall',
    value: { tool: 'kb-search', attempt: 1, status: CallStatus.OK, latencyMs: 50n },
  }),
  fact('acme', 'e1', 'evaluation.scored', '2026-11-27T09:00:07Z', { agentId: 'support-bot', workflow: 'resolve-ticket', traceId: 'T1', spanId: 'S3' }, {
    case: 'evaluationScored',
    value: { evaluator: 'llm-judge', metric: 'faithfulness', score: 0.9, passed: true },
  }),
  fact('acme', 'r1-end', 'run.finished', '2026-11-27T09:00:08.500Z', { ...support, spanId: 'R1' }, {
    case: 'runFinished',
    value: { status: RunStatus.SUCCEEDED, durationMs: 8500n },
  }),
  // T2 told out of order: its finish first.
  fact('acme', 'r2-end', 'run.finished', '2026-11-27T10:00:05Z', { ...leads, spanId: 'R2' }, { case: 'runFinished', value: { status: RunStatus.FAILED } }),
  fact('acme', 's5', 'llm.call', '2026-11-27T10:00:01Z', { ...leads, spanId: 'S5', parentSpanId: 'R2' }, {
    case: 'llmCall',
    value: { provider: 'openai', model: 'gpt-4o-mini', usage, attempt: 1, status: CallStatus.OK, latencyMs: 300n },
  }),
  fact('acme', 's6', 'llm.call', '2026-11-27T10:00:02Z', { ...leads, spanId: 'S6', parentSpanId: 'R2' }, {
    case: 'llmCall',
    value: { provider: 'acme-ai', model: 'mystery', usage, attempt: 1, status: CallStatus.OK },
  }),
  fact('acme', 's7', 'tool.call', '2026-11-27T10:00:03Z', { ...leads, spanId: 'S7', parentSpanId: 'R2' }, {
    case: 'toolCall',
    value: { tool: 'crm-lookup', attempt: 1, status: CallStatus.TIMEOUT, latencyMs: 1000n },
  }),
  fact('acme', 's8', 'tool.call', '2026-11-27T10:00:04Z', { ...leads, spanId: 'S8', parentSpanId: 'R2' }, {
    case: 'toolCall',
    value: { tool: 'crm-lookup', attempt: 1, status: CallStatus.OK, latencyMs: 20n },
  }),
  fact('acme', 'r2-start', 'run.started', '2026-11-27T10:00:00Z', { ...leads, spanId: 'R2' }, { case: 'runStarted', value: { trigger: 'form' } }),
  // T1's outcome arrives last.
  fact('acme', 'o1', 'outcome.recorded', '2026-11-27T09:00:08Z', support, {
    case: 'outcomeRecorded',
    value: { outcome: 'ticket_resolved', success: true, quantity: '1', value: '6.3', timeSavedMinutes: 15 },
  }),
  // Another tenant's run, never visible to acme.
  fact('other', 'x1', 'run.started', '2026-11-27T11:00:00Z', { agentId: 'spy', traceId: 'T9', spanId: 'R9' }, { case: 'runStarted', value: { trigger: '' } }),
];

const at = (time: string) => `2026-11-27T${time}Z`;
const on = (trace: typeof support, spanId: string) => ({ agentId: trace.agentId, team: trace.team, workflow: trace.workflow, traceId: trace.traceId, spanId });

export const COSTS: PricedCost[] = [
  pricedCost('acme', { id: 's1', cost: '0.001', time: at('09:00:01'), ...on(support, 'S1') }),
  pricedCost('acme', { id: 's2', cost: '0.002', time: at('09:00:02'), attempt: 2, ...on(support, 'S2') }),
  pricedCost('acme', { id: 's3', cost: '0.05', time: at('09:00:03'), escalatedFrom: 'gpt-4o-mini', model: 'gpt-4o', ...on(support, 'S3') }),
  pricedCost('acme', { id: 's4', cost: '0.01', time: at('09:00:04'), factType: 'tool.call', tool: 'kb-search', ...on(support, 'S4') }),
  pricedCost('acme', { id: 's5', cost: '0.004', time: at('10:00:01'), ...on(leads, 'S5') }),
  pricedCost('acme', { id: 's6', cost: '0', priced: false, time: at('10:00:02'), model: 'mystery', ...on(leads, 'S6') }),
  pricedCost('acme', { id: 's7', cost: '0.002', time: at('10:00:03'), factType: 'tool.call', tool: 'crm-lookup', ...on(leads, 'S7') }),
  pricedCost('acme', { id: 's8', cost: '0.002', time: at('10:00:04'), factType: 'tool.call', tool: 'crm-lookup', ...on(leads, 'S8') }),
  pricedCost('acme', { id: 's6', cost: '0.029', time: at('10:00:02'), model: 'mystery', correction: { revision: 1, previouslyPriced: false }, ...on(leads, 'S6') }),
];
