import { CONSUMERS, provisionConsumers, DeadLetterPublisher, subjectIn } from '@agentledger/jetstream';
import { ProjectionRunner, type QueryRequest } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, type TestBus, type TestDatabase } from '@agentledger/testing';
import { fileURLToPath } from 'node:url';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { costEntriesProjection } from '../src/costs/cost-entries.projection.js';
import { costBreakdown, costSummary } from '../src/costs/cost-queries.js';
import { FACTS_PROJECTION, factsProjection } from '../src/facts/facts.projection.js';
import { factRecordOf } from '../src/facts/fact-record.js';
import { applyOnce, projectionId } from '@agentledger/projections';
import { CallStatus } from '@agentledger/contracts';
import { LiveSpend } from '../src/live/live-spend.js';
import { activeAgents } from '../src/agents/active-agents.js';
import { agentActivity } from '../src/agents/agent-activity.js';
import { operationalSummary, routingDecisions } from '../src/operations/operational-queries.js';
import { evaluationSummary } from '../src/outcomes/evaluation-queries.js';
import { agentEfficiency, outcomeEconomics, waste } from '../src/outcomes/outcome-queries.js';
import { run, runs } from '../src/runs/run-queries.js';
import { costMessage } from './priced-costs.js';
import { fact, factMessage } from './facts.js';
import { COSTS, FACTS } from './scenario.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const DAY = { from: '2026-11-27T00:00:00Z', to: '2026-11-28T00:00:00Z' };

describe('attribution facts: runs, spans, outcomes, evaluations, waste (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let db: PrismaClient;
  const runners: Array<ProjectionRunner<never, never>> = [];
  const ticks: Array<{ minute: string; totalCost: string }> = [];

  const ask = <A, T>(query: (db: PrismaClient, request: QueryRequest<A>) => Promise<T>, args: NoInfer<A>, tenant = 'acme') => query(db, { tenant, args });
  const deps = () => ({ js: bus.js, jsm: bus.jsm, ns: bus.ns, db, service: 'attribution', deadLetters: new DeadLetterPublisher(bus.publisher, bus.ns) });

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    db = schema.db;
    await provisionConsumers(bus.jsm, bus.ns, [CONSUMERS.attributionCosts, CONSUMERS.attributionFacts]);
    const subscription = bus.nc.subscribe(subjectIn(bus.ns, 'finops.live.acme.spend'), {
      callback: (_error, msg) => void ticks.push(JSON.parse(new TextDecoder().decode(msg.data)) as { minute: string; totalCost: string }),
    });
    void subscription;
    // Costs first, facts after: the two sides meet at query time whatever their order.
    await bus.publisher.publishAll(COSTS.map((cost) => costMessage(bus.ns, cost)));
    await bus.publisher.publishAll(FACTS.map((value) => factMessage(bus.ns, value)));
    const live = new LiveSpend(bus.nc, bus.ns);
    runners.push(new ProjectionRunner({ ...deps(), db: live.committing(db) }, live.staging(costEntriesProjection)) as never);
    runners.push(new ProjectionRunner(deps(), factsProjection) as never);
    for (const runner of runners) runner.start();
    for (const runner of runners) await runner.caughtUp();
    await bus.nc.flush();
  });

  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await schema.cleanup();
    await bus.cleanup();
  });

  it('costs: the correction prices the unpriced call', async () => {
    expect(await ask(costSummary, DAY)).toMatchObject({ totalCost: '0.1', llmCalls: 5, toolCalls: 3, unpricedCalls: 0, retries: 1, retryCost: '0.002' });
  });

  it('live: spend per minute of event time, after each committed batch', async () => {
    const perMinute = new Map<string, number>();
    for (const tick of ticks) perMinute.set(tick.minute, (perMinute.get(tick.minute) ?? 0) + Math.round(Number(tick.totalCost) * 1e6));
    expect(Object.fromEntries(perMinute)).toEqual({ '2026-11-27T09:00:00.000Z': 63_000, '2026-11-27T10:00:00.000Z': 37_000 });
  });

  it('run: the span tree with self and total cost of every step', async () => {
    const t1 = await ask(run, { traceId: 'T1' });
    expect(t1).toMatchObject({
      traceId: 'T1',
      agentId: 'support-bot',
      team: 'support',
      workflow: 'resolve-ticket',
      status: 'succeeded',
      startedAt: '2026-11-27T09:00:00.000Z',
      finishedAt: '2026-11-27T09:00:08.500Z',
      totalCost: '0.063',
    });
    expect(t1!.spans).toEqual([
      { spanId: 'R1', parentSpanId: null, kind: 'run', name: 'resolve-ticket', cost: '0', totalCost: '0.063', attempt: 1, status: 'succeeded', model: null, tool: null, latencyMs: 8500, escalatedFrom: null },
      { spanId: 'S1', parentSpanId: 'R1', kind: 'llm', name: 'gpt-4o-mini', cost: '0.001', totalCost: '0.001', attempt: 1, status: 'error', model: 'gpt-4o-mini', tool: null, latencyMs: 100, escalatedFrom: null },
      { spanId: 'S2', parentSpanId: 'R1', kind: 'llm', name: 'gpt-4o-mini', cost: '0.002', totalCost: '0.002', attempt: 2, status: 'ok', model: 'gpt-4o-mini', tool: null, latencyMs: 200, escalatedFrom: null },
      { spanId: 'S3', parentSpanId: 'R1', kind: 'llm', name: 'gpt-4o', cost: '0.05', totalCost: '0.06', attempt: 1, status: 'ok', model: 'gpt-4o', tool: null, latencyMs: 400, escalatedFrom: 'gpt-4o-mini' },
      { spanId: 'S4', parentSpanId: 'S3', kind: 'tool', name: 'kb-search', cost: '0.01', totalCost: '0.01', attempt: 1, status: 'ok', model: null, tool: 'kb-search', latencyMs: 50, escalatedFrom: null },
    ]);
    // T2 arrived out of order: its start still comes from run.started.
    expect(await ask(run, { traceId: 'T2' })).toMatchObject({ status: 'failed', startedAt: '2026-11-27T10:00:00.000Z', totalCost: '0.037' });
    expect(await ask(run, { traceId: 'T9' })).toBeNull(); // another tenant's
  });

  it('runs: newest first, a page at a time', async () => {
    const t2 = { traceId: 'T2', agentId: 'lead-bot', status: 'failed', startedAt: '2026-11-27T10:00:00.000Z', totalCost: '0.037', outcome: null, success: null };
    const t1 = { traceId: 'T1', agentId: 'support-bot', status: 'succeeded', startedAt: '2026-11-27T09:00:00.000Z', totalCost: '0.063', outcome: 'ticket_resolved', success: true };
    expect((await ask(runs, { ...DAY, filter: { team: null } })).nodes).toEqual([t2, t1]);
    const first = await ask(runs, { ...DAY, first: 1 });
    expect(first).toMatchObject({ nodes: [t2], hasNextPage: true });
    expect(await ask(runs, { ...DAY, first: 1, after: first.endCursor })).toMatchObject({ nodes: [t1], hasNextPage: false });
    expect((await ask(runs, { ...DAY, filter: { model: 'gpt-4o' } })).nodes).toEqual([t1]);
  });

  it('operationalSummary: retries, escalations, errors and latency per model', async () => {
    expect(await ask(operationalSummary, DAY)).toEqual({
      calls: 8,
      retries: 1,
      retryRate: '0.125',
      retryCost: '0.002',
      escalations: 1,
      escalationRate: '0.125',
      escalationCost: '0.05',
      errors: 2,
      errorRate: '0.25',
      latencyByModel: [
        { model: 'gpt-4o', calls: 1, p50Ms: 400, p95Ms: 400 },
        { model: 'gpt-4o-mini', calls: 3, p50Ms: 200, p95Ms: 290 },
        { model: 'mystery', calls: 1, p50Ms: null, p95Ms: null },
      ],
    });
  });

  it('routingDecisions, evaluationSummary, outcomeEconomics', async () => {
    expect(await ask(routingDecisions, DAY)).toEqual([{ router: 'complexity', decision: 'escalate', count: 1, totalCost: '0.05' }]);
    const evaluation = { evaluator: 'llm-judge', metric: 'faithfulness', count: 1, passed: 1, averageScore: 0.9 };
    expect(await ask(evaluationSummary, { ...DAY, by: 'TEAM' })).toEqual([{ key: 'support', ...evaluation, totalCost: '0.063', costPerPassing: '0.063' }]);
    expect(await ask(evaluationSummary, { ...DAY, by: 'MODEL' })).toEqual([{ key: 'gpt-4o', ...evaluation, totalCost: '0.05', costPerPassing: '0.05' }]);
    expect(await ask(outcomeEconomics, { ...DAY, by: 'AGENT' })).toEqual([
      { key: 'support-bot', outcome: 'ticket_resolved', successes: 1, totalCost: '0.063', costPerOutcome: '0.063', value: '6.3', timeSavedMinutes: 15, roi: '100' },
    ]);
  });

  it('waste, agentEfficiency, activeAgents', async () => {
    expect(await ask(waste, { ...DAY, by: 'AGENT' })).toEqual([
      { key: 'lead-bot', runs: 1, unsuccessfulRuns: 1, wastedCost: '0.037', totalCost: '0.037' },
      { key: 'support-bot', runs: 1, unsuccessfulRuns: 0, wastedCost: '0', totalCost: '0.063' },
    ]);
    expect(await ask(waste, { ...DAY, by: 'TOOL' })).toEqual([
      { key: '', runs: 2, unsuccessfulRuns: 1, wastedCost: '0.033', totalCost: '0.086' }, // the LLM calls: no tool
      { key: 'crm-lookup', runs: 1, unsuccessfulRuns: 1, wastedCost: '0.004', totalCost: '0.004' },
      { key: 'kb-search', runs: 1, unsuccessfulRuns: 0, wastedCost: '0', totalCost: '0.01' },
    ]);
    expect(await ask(agentEfficiency, { ...DAY, limit: 5 })).toEqual([
      { agentId: 'lead-bot', totalCost: '0.037', shareOfCost: '0.37', successes: 0, shareOfSuccesses: '0', value: '0', costPerOutcome: null, roi: '0' },
      { agentId: 'support-bot', totalCost: '0.063', shareOfCost: '0.63', successes: 1, shareOfSuccesses: '1', value: '6.3', costPerOutcome: '0.063', roi: '100' },
    ]);
    expect(await ask(activeAgents, DAY)).toEqual([
      { agentId: 'support-bot', team: 'support', calls: 4, totalCost: '0.063', lastSeen: '2026-11-27T09:00:08.500Z' },
      { agentId: 'lead-bot', team: 'sales', calls: 4, totalCost: '0.037', lastSeen: '2026-11-27T10:00:05.000Z' },
    ]);
  });

  it('agentActivity: each agent’s cost and calls as costBreakdown(by: AGENT) has them, its successes and evaluations, in one look-up', async () => {
    const support = {
      agentId: 'support-bot', totalCost: '0.063', llmCalls: 3, toolCalls: 1, successfulOutcomes: '1', evaluations: 1, passedEvaluations: 1,
      byEnvironment: [{ environment: 'production', totalCost: '0.063', evaluations: 1, passedEvaluations: 1 }],
    };
    const leads = {
      agentId: 'lead-bot', totalCost: '0.037', llmCalls: 2, toolCalls: 2, successfulOutcomes: '0', evaluations: 0, passedEvaluations: 0,
      byEnvironment: [{ environment: 'production', totalCost: '0.037', evaluations: 0, passedEvaluations: 0 }],
    };
    const idle = { agentId: 'idle-bot', totalCost: '0', llmCalls: 0, toolCalls: 0, successfulOutcomes: '0', evaluations: 0, passedEvaluations: 0, byEnvironment: [] };
    expect(await ask(agentActivity, { ...DAY, agentIds: ['support-bot', 'idle-bot', 'lead-bot'] })).toEqual([idle, leads, support]);
    expect(await ask(agentActivity, DAY)).toEqual([leads, support]);
    expect(await ask(agentActivity, { ...DAY, agentIds: [] })).toEqual([]);
    // A window of partial hours (the entries) and one of whole hours (the rollup) agree with costBreakdown.
    for (const window of [{ from: '2026-11-27T09:00:02Z', to: '2026-11-27T10:00:03Z' }, DAY]) {
      const groups = await ask(costBreakdown, { ...window, by: 'AGENT' });
      const activity = await ask(agentActivity, window);
      expect(activity.map((a) => [a.agentId, a.totalCost, a.llmCalls, a.toolCalls]).sort()).toEqual(groups.map((g) => [g.key, g.totalCost, g.llmCalls, g.toolCalls]).sort());
    }
    expect(await ask(agentActivity, DAY, 'other')).toEqual([]);
  });

  it('facts applied twice → unchanged; rebuild → the read model built live', async () => {
    const snapshot = async () => ({
      facts: await schema.query('SELECT * FROM fact_record ORDER BY tenant, fact_key'),
      run: await ask(run, { traceId: 'T1' }),
      waste: await ask(waste, { ...DAY, by: 'AGENT' }),
    });
    const live = await snapshot();
    expect(live.facts).toHaveLength(FACTS.length);
    // The same facts again under new message ids (past JetStream's duplicate window): fact_record's key drops them.
    await bus.publisher.publishAll(FACTS.map((value) => factMessage(bus.ns, value, `again:${value.eventId}`)));
    await runners[1]!.caughtUp();
    expect(await snapshot()).toEqual(live);
    await runners[1]!.rebuild();
    expect(await snapshot()).toEqual(live);
  });

  it('fact_record is the idempotency record: a batch half applied before, and a redelivered batch, change nothing; no ledger row', async () => {
    const common = { agentId: 'half-bot', team: 'support', workflow: 'resolve-ticket', traceId: 'H1' };
    const call = (id: string) =>
      fact('half', id, 'llm.call', '2026-11-27T11:00:00Z', { ...common, spanId: id }, {
        case: 'llmCall',
        value: { provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 10n, outputTokens: 1n }, attempt: 1, status: CallStatus.OK, latencyMs: 50n },
      });
    const keyed = ['h1', 'h2', 'h3', 'h4'].map((id) => {
      const row = factRecordOf(call(id))!;
      return { key: `${row.tenant}|${row.factKey}`, event: row };
    });
    const applyBatch = (batch: typeof keyed) => applyOnce(db, FACTS_PROJECTION, batch, (tx, rows) => factsProjection.apply(tx as never, rows), { idempotency: 'own-key' });
    const rows = () => schema.query('SELECT * FROM fact_record WHERE tenant = $1 ORDER BY fact_key', ['half']);

    expect(await applyBatch(keyed.slice(0, 2))).toEqual({ applied: 2, skipped: 0 });
    expect(await applyBatch(keyed)).toEqual({ applied: 2, skipped: 2 });
    const once = await rows();
    expect(once.map((row) => (row as { fact_key: string }).fact_key)).toEqual(['agent://test|h1', 'agent://test|h2', 'agent://test|h3', 'agent://test|h4']);
    expect(await applyBatch(keyed)).toEqual({ applied: 0, skipped: 4 });
    expect(await applyBatch([keyed[3]!, ...keyed])).toEqual({ applied: 0, skipped: 5 });
    expect(await rows()).toEqual(once);
    expect(await schema.query('SELECT count(*)::int AS n FROM applied_key WHERE projection = $1', [projectionId(FACTS_PROJECTION)])).toEqual([{ n: 0 }]);
  });
});
