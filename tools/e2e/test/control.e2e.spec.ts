import { Decimal } from 'decimal.js';
import { AgentLedger, Blocked, type PauseChange } from '@agentledger/agent-sdk';
import { eventually } from '@agentledger/testing';
import { readFileSync } from 'node:fs';
import { CONTROL_QUESTIONS, QUESTIONS } from './finops-questions.js';
import { Stack } from './stack.js';

// Control over real processes: a runaway agent guarded by the SDK crosses 50/80/100 % of its BLOCK
// budget, gets BLOCK and stops; its pause is in the KV bucket for watchers; raising the limit lifts
// it. Two budgeting processes answer checks at once and never reserve more than a budget has left.

const KEYS = { admin: 'control-admin', viewer: 'control-viewer' };
const PRICE = { provider: 'openai', model: 'gpt-4o', inputPer1M: '2.50', outputPer1M: '10.00', effectiveFrom: '2026-01-01T00:00:00Z' };
const BUDGET_FIELDS = 'id scope scopeId limit spent reserved remaining status enforcement';
const SET_BUDGET = `mutation($input: BudgetInput!) { setBudget(input: $input) { ${BUDGET_FIELDS} } }`;
const ALERTS = 'query($from: DateTime!, $to: DateTime!) { alerts(from: $from, to: $to) { id kind budgetId threshold agentId spent limit } }';
/** 10,000 input and 1,000 output tokens of gpt-4o: 0.025 + 0.01 = 0.035 USD a call. */
const CALL_COST = new Decimal(10_000).times('2.50').plus(new Decimal(1_000).times('10.00')).div(1_000_000);

describe('control: budgets that stop a runaway agent, pauses agents can watch, checks on two budgeting processes', () => {
  let stack: Stack;
  let ledger: AgentLedger;
  const changes: PauseChange[] = [];

  beforeAll(async () => {
    stack = await Stack.start({ services: ['ingestion', 'pricing', 'budgeting', 'inventory', 'gateway'], apiKeys: `${KEYS.admin}=acme:admin,${KEYS.viewer}=acme:viewer` });
    await stack.startReplica('budgeting');
    expect((await stack.graphql(KEYS.admin, 'mutation($input: PriceInput!) { setPrice(input: $input) { model } }', { input: PRICE })).errors).toBeUndefined();
    ledger = await AgentLedger.connect({
      nc: stack.bus.nc,
      tenant: 'acme',
      agentId: 'runaway',
      team: 'research',
      subjectPrefix: stack.bus.ns.subjectPrefix,
      controlBucket: `${stack.bus.ns.streamPrefix}finops_control`,
      flushIntervalMs: 0,
    });
    await ledger.watchPauses((change) => void changes.push(change));
  }, 180_000);

  afterAll(async () => {
    await ledger?.close();
    await stack?.stop();
  }, 60_000);

  const budget = async (id: string) => (await stack.graphql<any>(KEYS.viewer, `query($id: ID!) { budget(id: $id) { ${BUDGET_FIELDS} } }`, { id })).data.budget;

  it('the runaway agent crosses 50, 80 and 100 %, is blocked on its next check, stops, and is paused in the KV bucket', async () => {
    const set = await stack.graphql<any>(KEYS.admin, SET_BUDGET, { input: { name: 'Runaway daily', scope: 'AGENT', scopeId: 'runaway', period: 'DAY', limit: '0.35', enforcement: 'BLOCK' } });
    expect(set.errors).toBeUndefined();
    const id = set.data.setBudget.id as string;

    let calls = 0;
    let blocked: Blocked | undefined;
    for (let attempt = 0; attempt < 30 && !blocked; attempt++) {
      try {
        await ledger.guard({ estimatedCost: CALL_COST.toFixed(), provider: 'openai', model: 'gpt-4o' }, async () => ({ result: undefined, usage: { inputTokens: 10_000, outputTokens: 1_000 } }));
        calls++;
        await ledger.flush();
        // Each call is priced before the next check: the agent's spend is what the budget holds.
        await eventually(async () => new Decimal((await budget(id)).spent).eq(CALL_COST.times(calls)), 30_000, `call ${calls} in the budget`);
      } catch (error) {
        if (!(error instanceof Blocked)) throw error;
        blocked = error;
      }
    }
    // 10 calls of 0.035 reach 0.35 exactly: the 11th check is blocked by the exceeded budget (≥).
    expect(calls).toBe(10);
    expect(blocked!.reply).toMatchObject({ decision: 'BLOCK', blockedBy: [id], reservationId: null });
    expect(await budget(id)).toMatchObject({ spent: '0.35', reserved: '0', remaining: '0', status: 'EXCEEDED' });

    const window = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
    const alerts = await eventually(async () => {
      const answer = await stack.graphql<any>(KEYS.viewer, ALERTS, window);
      const all = (answer.data?.alerts ?? []) as any[];
      return all.filter((alert) => alert.kind !== 'AGENT_DISCOVERED').length === 3 && all.some((alert) => alert.kind === 'AGENT_DISCOVERED') ? all : undefined;
    }, 30_000, 'three budget alerts and the discovery of the unregistered agent');
    expect(alerts.filter((alert: any) => alert.kind !== 'AGENT_DISCOVERED').map((alert: any) => [alert.kind, alert.threshold, alert.agentId])).toEqual([
      ['BUDGET_THRESHOLD', 50, 'runaway'],
      ['BUDGET_THRESHOLD', 80, 'runaway'],
      ['BUDGET_EXCEEDED', 100, 'runaway'],
    ]);
    // Nobody registered the runaway agent: the inventory noticed it once, when it started.
    expect(alerts.filter((alert: any) => alert.kind === 'AGENT_DISCOVERED').map((alert: any) => [alert.id, alert.agentId, alert.budgetId])).toEqual([['agent-discovered:runaway', 'runaway', null]]);

    await eventually(() => changes.some((change) => change.type === 'paused' && change.pause.budgetId === id), 10_000, 'the watcher to see the pause');
    expect(ledger.isPaused()).toBe(true);
    expect(ledger.isPaused({ agentId: 'someone-else' })).toBe(false);
    expect((await stack.graphql<any>(KEYS.viewer, '{ pausedScopes { scope scopeId budgetId by } }')).data.pausedScopes).toEqual([
      { scope: 'AGENT', scopeId: 'runaway', budgetId: id, by: `budget:${id}` },
    ]);
    expect(await ledger.check({ estimatedCost: '0.01' })).toMatchObject({ decision: 'BLOCK', paused: true, blockedBy: [id] });

    // README questions 11 and 12, word for word.
    const atRisk = (await stack.graphql<any>(KEYS.viewer, CONTROL_QUESTIONS.budgetsAtRisk)).data.budgets;
    expect(atRisk).toEqual([expect.objectContaining({ id, limit: '0.35', spent: '0.35', status: 'EXCEEDED', forecast: expect.any(String), projectedBreachAt: expect.any(String) })]);
    expect(new Decimal(atRisk[0].forecast).gte('0.35')).toBe(true);
    const stopped = (await stack.graphql<any>(KEYS.viewer, CONTROL_QUESTIONS.whoWasStopped, window)).data;
    expect(stopped.pausedScopes).toEqual([expect.objectContaining({ scope: 'AGENT', scopeId: 'runaway', budgetId: id, by: `budget:${id}` })]);
    expect(stopped.alerts.filter((alert: any) => alert.kind === 'BUDGET_EXCEEDED')).toEqual([expect.objectContaining({ budgetId: id, agentId: 'runaway', spent: '0.35', limit: '0.35' })]);

    // The limit raised above spent: the pause lifts before setBudget answers, the watcher sees it, the agent runs again.
    expect((await stack.graphql<any>(KEYS.admin, SET_BUDGET, { input: { id, name: 'Runaway daily', scope: 'AGENT', scopeId: 'runaway', period: 'DAY', limit: '1.00', enforcement: 'BLOCK' } })).errors).toBeUndefined();
    await eventually(() => !ledger.isPaused(), 10_000, 'the watcher to see the resume');
    expect(await ledger.check({ estimatedCost: CALL_COST.toFixed() })).toMatchObject({ decision: 'ALLOW', paused: false });
  }, 240_000);

  it('the README asks exactly these questions, word for word', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const query of [...Object.values(QUESTIONS), ...Object.values(CONTROL_QUESTIONS)]) expect(readme).toContain(query);
  });

  it('a pause by hand from GraphQL blocks the next check of its scope and is seen by watchers; resume lifts it', async () => {
    const paused = await stack.graphql<any>(KEYS.admin, 'mutation { pause(scope: TEAM, scopeId: "research", reason: "quarterly review") { scope scopeId reason by budgetId pausedAt } }');
    expect(paused.errors).toBeUndefined();
    expect(paused.data.pause).toMatchObject({ scope: 'TEAM', scopeId: 'research', reason: 'quarterly review', budgetId: null });
    expect((await stack.graphql<any>(KEYS.viewer, 'mutation { pause(scope: TENANT, reason: "x") { scope } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await ledger.check({ estimatedCost: '0.01' })).toMatchObject({ decision: 'BLOCK', paused: true, reason: 'team research is paused: quarterly review' });
    await eventually(() => ledger.pauseCovering()?.scope === 'TEAM', 10_000, 'the watcher to see the team pause');
    expect((await stack.graphql<any>(KEYS.admin, 'mutation { resume(scope: TEAM, scopeId: "research") }')).data.resume).toBe(true);
    expect(await ledger.check({ estimatedCost: '0.01' })).toMatchObject({ decision: 'ALLOW', paused: false });
    await eventually(() => !ledger.isPaused(), 10_000, 'the watcher to see the resume');
  }, 60_000);

  it('200 concurrent checks answered by two budgeting processes never reserve more than a BLOCK budget has left', async () => {
    const set = await stack.graphql<any>(KEYS.admin, SET_BUDGET, { input: { scope: 'WORKFLOW', scopeId: 'burst', period: 'DAY', limit: '1', enforcement: 'BLOCK' } });
    const id = set.data.setBudget.id as string;
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, n) => ledger.check({ agentId: `burst-${n % 7}`, workflow: 'burst', estimatedCost: '0.01', spanId: `burst-${n}`, ttlSeconds: 600 })),
    );
    expect(replies.filter((reply) => reply.decision === 'ALLOW')).toHaveLength(100);
    expect(await budget(id)).toMatchObject({ reserved: '1', remaining: '0' });
    // Both processes took their share of the queue group's checks.
    const answered = await Promise.all(
      ['budgeting', 'budgeting#2'].map(async (instance) => {
        const metrics = await (await fetch(stack.url(instance, '/metrics'))).text();
        return [...metrics.matchAll(/^agentledger_control_request_seconds_count\{[^}]*request="check"[^}]*\} (\d+)/gm)].reduce((total, match) => total + Number(match[1]), 0);
      }),
    );
    expect(answered.every((count) => count > 0)).toBe(true);
  }, 60_000);
});
