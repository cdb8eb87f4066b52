import { ensureRunawayBudget, RUNAWAY_BUDGET_NAME, type GraphqlCall } from './runaway-budget.js';

/** A fake gateway at our own port (the GraphqlCall), holding budgets as the contract's setBudget does. */
function fakeGateway(budgets: Array<Record<string, unknown>>) {
  const sent: Array<{ query: string; variables?: Record<string, unknown> }> = [];
  const graphql: GraphqlCall = async (query, variables) => {
    sent.push({ query, variables });
    if (!query.startsWith('mutation')) return { budgets };
    const { id, ...input } = (variables!.input ?? {}) as Record<string, unknown>;
    const existing = budgets.find((budget) => budget.id === id);
    const budget = { id: id ?? `b${budgets.length + 1}`, spent: existing?.spent ?? '0', ...input };
    if (!existing) budgets.push(budget);
    else Object.assign(existing, budget);
    return { setBudget: budget };
  };
  return { graphql, sent };
}

describe('the runaway agent’s budget', () => {
  it('is created as a daily BLOCK budget on its agent with the allowance as limit', async () => {
    const gateway = fakeGateway([]);
    expect(await ensureRunawayBudget(gateway.graphql, '2.00')).toMatchObject({ id: 'b1', limit: '2.00', spent: '0', enforcement: 'BLOCK' });
    expect(gateway.sent[1]!.variables).toEqual({
      input: { name: RUNAWAY_BUDGET_NAME, scope: 'AGENT', scopeId: 'runaway-researcher', period: 'DAY', limit: '2.00', thresholds: [50, 80, 100], enforcement: 'BLOCK' },
    });
  });

  it('is raised to today’s spend plus the allowance on the next run, exactly', async () => {
    const gateway = fakeGateway([{ id: 'b7', name: RUNAWAY_BUDGET_NAME, scope: 'AGENT', scopeId: 'runaway-researcher', enforcement: 'BLOCK', limit: '2.00', spent: '2.1374125' }]);
    expect(await ensureRunawayBudget(gateway.graphql, '2.00')).toMatchObject({ id: 'b7', limit: '4.1374125' });
    expect(gateway.sent).toHaveLength(2);
  });

  it('leaves a fresh budget as it is', async () => {
    const gateway = fakeGateway([{ id: 'b7', name: RUNAWAY_BUDGET_NAME, scope: 'AGENT', scopeId: 'runaway-researcher', enforcement: 'BLOCK', limit: '2.00', spent: '0' }]);
    await ensureRunawayBudget(gateway.graphql, '2.00');
    expect(gateway.sent).toHaveLength(1);
  });
});
