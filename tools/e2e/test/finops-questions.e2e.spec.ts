import { eventually } from '@agentledger/testing';
import { QUESTIONS } from './finops-questions.js';
import { costOf, DAY, dec, exact, fleetScenario, isCall, PRICES, sum, type Dec, type ScenarioEvent } from './fleet-scenario.js';
import { Stack } from './stack.js';

// the README (“Fourteen questions a FinOps lead asks”), each question against the running stack, on a fleet published over
// NATS; every figure is computed here from the events sent.

const ADMIN = 'fq-admin-key';
const events = fleetScenario('fq');
const callsOf = (agentId: string) => events.filter((event) => isCall(event) && event.data.agentId === agentId);
const costOfAgent = (agentId: string) => sum(callsOf(agentId).map(costOf));
const total = sum(events.map(costOf));
const span = (id: string) => events.find((event) => isCall(event) && event.data.spanId === id)!;
/** A quotient compared to 12 significant digits: the service chooses how many it keeps. */
const quotient = (value: string | null | undefined) => (value == null ? value : dec(value).toSignificantDigits(12).toFixed());
const q = (value: Dec) => value.toSignificantDigits(12).toFixed();
const byKey = <T extends Record<string, any>>(rows: T[], key: keyof T) => [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));

describe('questions 1–10 a FinOps lead asks (the README (“Fourteen questions a FinOps lead asks”))', () => {
  let stack: Stack;
  const ask = async <T = any>(query: string, variables: Record<string, unknown> = DAY): Promise<T> => {
    const result = await stack.graphql<T>(ADMIN, query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data as T;
  };

  beforeAll(async () => {
    stack = await Stack.start({ services: ['ingestion', 'pricing', 'attribution', 'inventory', 'gateway'], apiKeys: `${ADMIN}=fleet:admin` });
    for (const input of PRICES) {
      const set = await stack.graphql(ADMIN, 'mutation($input: PriceInput!) { setPrice(input: $input) { model } }', { input });
      expect(set.errors).toBeUndefined();
    }
    const encoder = new TextEncoder();
    for (const event of events) stack.bus.nc.publish(`${stack.bus.ns.subjectPrefix}finops.in.fleet.${event.type.replace('.', '_')}`, encoder.encode(JSON.stringify(event)));
    await stack.bus.nc.flush();
    await eventually(async () => exact((await ask(QUESTIONS.spend)).costSummary.totalCost) === total.toFixed(), 60_000, 'every cost to be applied');
    await eventually(async () => (await ask(QUESTIONS.oneRun, { traceId: 'fq-tC' })).run?.status === 'failed', 30_000, 'the runs to finish');
    await eventually(async () => (await stack.graphql<any>(ADMIN, '{ agents { id owner } }')).data?.agents?.filter((a: any) => a.owner).length === 3, 30_000, 'the inventory');
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('1. which agents are active, what they cost, who owns them', async () => {
    const { activeAgents } = await ask(QUESTIONS.activeAgents);
    const owners: Record<string, string> = { 'contract-summarizer': 'li', 'lead-qualifier': 'raj', 'support-assistant': 'ana' };
    expect(byKey(activeAgents, 'agentId').map((a: any) => [a.agentId, a.team, a.calls, exact(a.totalCost), a.agent?.owner])).toEqual(
      Object.keys(owners).map((agentId) => [agentId, callsOf(agentId)[0]!.data.team, callsOf(agentId).length, costOfAgent(agentId).toFixed(), owners[agentId]]),
    );
  });

  it('2. what did we spend, on how many calls and tokens', async () => {
    const { costSummary } = await ask(QUESTIONS.spend);
    const llm = events.filter((event) => event.type === 'llm.call');
    expect({ ...costSummary, totalCost: exact(costSummary.totalCost), retryCost: exact(costSummary.retryCost), escalationCost: exact(costSummary.escalationCost) }).toEqual({
      totalCost: total.toFixed(),
      llmCalls: llm.length,
      toolCalls: events.filter((event) => event.type === 'tool.call').length,
      inputTokens: llm.reduce((n, event) => n + event.data.usage.inputTokens, 0),
      outputTokens: llm.reduce((n, event) => n + event.data.usage.outputTokens, 0),
      retries: 1,
      retryCost: costOf(span('A3')).toFixed(),
      escalations: 1,
      escalationCost: costOf(span('A4')).toFixed(),
      unpricedCalls: 0,
    });
  });

  it('3. which teams spend the most', async () => {
    const { costBreakdown } = await ask(QUESTIONS.spendByTeam);
    const teams = ['legal', 'sales', 'support'];
    expect(byKey(costBreakdown, 'key').map((g: any) => [g.key, exact(g.totalCost), g.llmCalls])).toEqual(
      teams.map((team) => {
        const teamEvents = events.filter((event) => isCall(event) && event.data.team === team);
        return [team, sum(teamEvents.map(costOf)).toFixed(), teamEvents.filter((event) => event.type === 'llm.call').length];
      }),
    );
  });

  it('4. how spend moves day by day', async () => {
    const { spendOverTime } = await ask(QUESTIONS.spendTrend);
    expect(spendOverTime.map((p: any) => [p.bucketStart, p.key, exact(p.totalCost)])).toEqual([['2026-10-05T00:00:00.000Z', null, total.toFixed()]]);
  });

  it('5. which workflows deliver value: cost per outcome, value, time saved, ROI', async () => {
    const { outcomeEconomics } = await ask(QUESTIONS.valueByWorkflow);
    const row = (workflow: string, outcome: string, agentId: string, value: string, minutes: number) => {
      const cost = costOfAgent(agentId);
      return [workflow, outcome, 1, cost.toFixed(), q(cost), dec(value).toFixed(), minutes, q(dec(value).div(cost))];
    };
    expect(byKey(outcomeEconomics, 'key').map((r: any) => [r.key, r.outcome, r.successes, exact(r.totalCost), quotient(r.costPerOutcome), exact(r.value), r.timeSavedMinutes, quotient(r.roi)])).toEqual([
      row('qualify-lead', 'lead_qualified', 'lead-qualifier', '50.00', 20),
      row('resolve-ticket', 'ticket_resolved', 'support-assistant', '12.00', 15),
    ]);
  });

  it('6. where retries, escalations, errors and routing decisions happen and what they cost', async () => {
    const { operationalSummary: ops, routingDecisions } = await ask(QUESTIONS.retriesAndEscalations);
    const calls = events.filter(isCall);
    const errors = calls.filter((event) => event.data.status !== 'ok').length;
    expect([ops.calls, ops.retries, quotient(ops.retryRate), exact(ops.retryCost), ops.escalations, quotient(ops.escalationRate), exact(ops.escalationCost), ops.errors, quotient(ops.errorRate)]).toEqual([
      calls.length, 1, q(dec(1).div(calls.length)), costOf(span('A3')).toFixed(), 1, q(dec(1).div(calls.length)), costOf(span('A4')).toFixed(), errors, q(dec(errors).div(calls.length)),
    ]);
    expect(byKey(ops.latencyByModel, 'model').map((m: any) => [m.model, m.calls])).toEqual([['gpt-4o', 2], ['gpt-4o-mini', 3]]);
    expect(byKey(routingDecisions, 'decision').map((r: any) => [r.router, r.decision, r.count, exact(r.totalCost)])).toEqual([
      ['complexity-router', 'large', 1, costOf(span('A4')).toFixed()],
      ['complexity-router', 'small', 1, costOf(span('B1')).toFixed()],
    ]);
  });

  it('7. what runs without a successful outcome cost (waste)', async () => {
    const { waste } = await ask(QUESTIONS.waste);
    expect(byKey(waste, 'key').map((w: any) => [w.key, w.runs, w.unsuccessfulRuns, exact(w.wastedCost), exact(w.totalCost)])).toEqual([
      ['contract-summarizer', 1, 1, costOfAgent('contract-summarizer').toFixed(), costOfAgent('contract-summarizer').toFixed()],
      ['lead-qualifier', 1, 0, '0', costOfAgent('lead-qualifier').toFixed()],
      ['support-assistant', 1, 0, '0', costOfAgent('support-assistant').toFixed()],
    ]);
  });

  it('8. which agents consume disproportionate resources relative to their outcomes', async () => {
    const { agentEfficiency } = await ask(QUESTIONS.disproportionateAgents);
    const expected = (agentId: string, successes: number, value: string) => {
      const cost = costOfAgent(agentId);
      return [agentId, cost.toFixed(), q(cost.div(total)), successes, q(dec(successes).div(2)), dec(value).toFixed(), successes ? q(cost.div(successes)) : null, cost.isZero() ? null : q(dec(value).div(cost))];
    };
    expect(byKey(agentEfficiency, 'agentId').map((a: any) => [a.agentId, exact(a.totalCost), quotient(a.shareOfCost), a.successes, quotient(a.shareOfSuccesses), exact(a.value), quotient(a.costPerOutcome), quotient(a.roi)])).toEqual([
      expected('contract-summarizer', 0, '0'),
      expected('lead-qualifier', 1, '50.00'),
      expected('support-assistant', 1, '12.00'),
    ]);
    expect(agentEfficiency[0].agentId).toBe('contract-summarizer'); // the biggest share of cost for no outcome comes first
  });

  it('9. what a passing evaluation costs', async () => {
    const { evaluationSummary } = await ask(QUESTIONS.qualityPerDollar);
    const cost = costOfAgent('support-assistant');
    expect(evaluationSummary.map((e: any) => [e.key, e.evaluator, e.metric, e.count, e.passed, String(e.averageScore), exact(e.totalCost), quotient(e.costPerPassing)])).toEqual([
      ['support-assistant', 'groundedness-judge', 'faithfulness', 1, 1, '0.9', cost.toFixed(), q(cost)],
    ]);
  });

  it('10. what one run cost, step by step', async () => {
    const { run } = await ask(QUESTIONS.oneRun, { traceId: 'fq-tA' });
    expect([run.traceId, run.agentId, run.status, exact(run.totalCost), run.agent?.owner]).toEqual(['fq-tA', 'support-assistant', 'succeeded', costOfAgent('support-assistant').toFixed(), 'ana']);
    const steps = byKey(run.spans.filter((s: any) => s.spanId !== 'A0'), 'spanId').map((s: any) => [s.spanId, s.parentSpanId, exact(s.cost), s.attempt, s.model, s.escalatedFrom]);
    expect(steps).toEqual(
      ['A1', 'A2', 'A3', 'A4'].map((id) => {
        const e: ScenarioEvent = span(id);
        return [id, 'A0', costOf(e).toFixed(), e.data.attempt ?? 1, e.data.model ?? null, e.data.escalatedFrom ?? null];
      }),
    );
    // The run's own evaluation, on the step it judged.
    expect(run.evaluations).toEqual([{ evaluator: 'groundedness-judge', metric: 'faithfulness', score: 0.9, passed: true, spanId: 'A4' }]);
    expect((await ask(QUESTIONS.oneRun, { traceId: 'fq-tB' })).run.evaluations).toEqual([]);
  });
});
