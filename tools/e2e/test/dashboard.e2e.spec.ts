import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually } from '@agentledger/testing';
import { launchChromium, screenshot, tableRows } from './browser.js';
import { costOf, DAY, dec, exact, fleetScenario, PRICES, sum, type ScenarioEvent } from './fleet-scenario.js';
import { Stack } from './stack.js';

// The web dashboard in a real browser (Debian's Chromium driven by playwright-core) against the
// running stack: a fleet published over NATS, then every page opened as a person would. Each
// figure on screen is the one GraphQL answers, to the last decimal; a budget created in the form
// shows its spend; a pause set on the page blocks the next pre-call check over NATS.

const KEYS = { admin: 'dash-admin', viewer: 'dash-viewer' };
const TENANT = 'acme';
const events = fleetScenario('dash');
/** Three calls of support-assistant a few seconds ago: the current period of any budget holds them. */
const recentCalls: ScenarioEvent[] = [0, 1, 2].map((n) => ({
  specversion: '1.0',
  id: `dash-now-${n}`,
  source: 'agent://support-assistant',
  type: 'llm.call',
  time: new Date(Date.now() - 2_000).toISOString(),
  data: { agentId: 'support-assistant', team: 'support', workflow: 'resolve-ticket', provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1000, outputTokens: 100 } },
}));
const dayTotal = sum(events.map(costOf)).toFixed();
const recentTotal = sum(recentCalls.map(costOf)).toFixed();
const DAY_QUERY = `?from=${DAY.from}&to=${DAY.to}`;
const SHOTS = 'dashboard';

describe('the web dashboard in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const ask = async <T = any>(query: string, variables: Record<string, unknown> = DAY): Promise<T> => {
    const result = await stack.graphql<T>(KEYS.admin, query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data as T;
  };

  /** Opens the dashboard signed in with a key, at a path. */
  const signedIn = async (apiKey: string, path: string): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ baseURL: stack.url('gateway'), viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(path);
    await page.locator('input[name=apiKey]').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
    return { context, page };
  };

  /** The pre-call check of CONTRACT part D, over NATS request/reply. */
  const check = async (request: Record<string, unknown>) => {
    const reply = await stack.bus.nc.request(`${stack.bus.ns.subjectPrefix}finops.control.check.${TENANT}`, new TextEncoder().encode(JSON.stringify(request)), { timeout: 10_000 });
    return JSON.parse(new TextDecoder().decode(reply.data)) as { decision: string; paused: boolean; reservationId: string | null };
  };

  beforeAll(async () => {
    stack = await Stack.start({
      services: ['ingestion', 'pricing', 'attribution', 'budgeting', 'inventory', 'gateway'],
      apiKeys: `${KEYS.admin}=${TENANT}:admin,${KEYS.viewer}=${TENANT}:viewer`,
    });
    for (const input of PRICES) await ask('mutation($input: PriceInput!) { setPrice(input: $input) { model } }', { input });
    const encoder = new TextEncoder();
    for (const event of [...events, ...recentCalls]) stack.bus.nc.publish(`${stack.bus.ns.subjectPrefix}finops.in.${TENANT}.${event.type.replace('.', '_')}`, encoder.encode(JSON.stringify(event)));
    await stack.bus.nc.flush();
    await eventually(async () => exact((await ask('query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { totalCost } }')).costSummary.totalCost) === dayTotal, 90_000, 'the fleet’s costs');
    await eventually(async () => (await ask('query($traceId: ID!) { run(traceId: $traceId) { status } }', { traceId: 'dash-tC' })).run?.status === 'failed', 30_000, 'the runs to finish');
    await eventually(async () => (await ask('{ agents { id owner } }')).agents.filter((agent: any) => agent.owner).length === 3, 30_000, 'the inventory');
    browser = await launchChromium();
    ({ context, page } = await signedIn(KEYS.admin, `/${DAY_QUERY}`));
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it('overview: spend, calls and tokens, top agents and cost per outcome are the GraphQL answers, to the last decimal', async () => {
    const { costSummary: summary, costBreakdown, outcomeEconomics } = await ask(`query($from: DateTime!, $to: DateTime!) {
      costSummary(from: $from, to: $to) { totalCost llmCalls toolCalls inputTokensTotal outputTokensTotal }
      costBreakdown(from: $from, to: $to, by: AGENT) { key totalCost }
      outcomeEconomics(from: $from, to: $to, by: WORKFLOW) { key outcome successes costPerOutcome value roi } }`);
    expect(exact(summary.totalCost)).toBe(dayTotal);

    await page.getByTestId('total-cost-value').waitFor();
    expect(await page.getByTestId('total-cost-value').textContent()).toBe(`$${summary.totalCost}`);
    expect(await page.getByTestId('total-cost-value').getAttribute('value')).toBe(summary.totalCost);
    // The day before had nothing: the change is the whole spend.
    expect(await page.getByTestId('total-cost-change').textContent()).toBe(`▲ $${dec(summary.totalCost).toFixed()} (none before) vs the window before`);
    expect(await page.getByTestId('calls').locator('.card-value').textContent()).toBe(String(summary.llmCalls + summary.toolCalls));
    expect(await page.getByTestId('input-tokens').locator('.card-value').textContent()).toBe(summary.inputTokensTotal);
    expect(await page.getByTestId('output-tokens').locator('.card-value').textContent()).toBe(summary.outputTokensTotal);

    const topAgents = await tableRows(page, 'top-agent');
    const expectedTop = [...costBreakdown].sort((a: any, b: any) => dec(b.totalCost).comparedTo(dec(a.totalCost)));
    expect(topAgents.map((row) => [row[0], row[1]])).toEqual(expectedTop.map((group: any) => [group.key, `$${group.totalCost}`]));

    const outcomes = await tableRows(page, 'outcome-economics');
    expect(outcomes.map((row) => [row[0], row[1], row[4], row[5]])).toEqual(
      outcomeEconomics.map((row: any) => [row.key, row.outcome, row.costPerOutcome === null ? '—' : `$${row.costPerOutcome}`, `$${row.value}`]),
    );
    // ROI is shown rounded (a multiple to two decimals); the exact ratio is the element's value.
    expect((await tableRows(page, 'outcome-economics', { exact: true })).map((row) => row[6])).toEqual(outcomeEconomics.map((row: any) => row.roi ?? '—'));
    expect(outcomes.map((row) => row[6])).toEqual(outcomeEconomics.map((row: any) => (row.roi === null ? '—' : `${dec(row.roi).toDecimalPlaces(2).toFixed(2)}×`)));
    await page.getByTestId('spend-over-time').locator('svg').first().waitFor();
    await screenshot(page, SHOTS, '1-overview');
  });

  it('agents: the inventory with cost, outcomes and governance flags, filters kept in the URL, and one agent’s page', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Agents', exact: true }).click();
    expect(new URL(page.url()).searchParams.get('from')).toBe(DAY.from);
    const { agents } = await ask('query($from: DateTime!, $to: DateTime!) { agents { id owner status cost(from: $from, to: $to) calls(from: $from, to: $to) successfulOutcomes(from: $from, to: $to) } }');
    const rows = await tableRows(page, 'agents-table');
    expect(rows.map((row) => [row[0]!.match(/\(([^)]+)\)$/)?.[1] ?? row[0], row[1], row[2], row[6], row[7], row[8]])).toEqual(
      agents.map((agent: any) => [agent.id, agent.status, agent.owner, `$${agent.cost}`, String(agent.calls), agent.successfulOutcomes]),
    );
    await page.getByTestId('governance-unregistered').waitFor();
    await screenshot(page, SHOTS, '2-agents');

    // An admin registers an agent before it runs: listed as GraphQL lists it, owned, never seen.
    const register = page.getByRole('form', { name: 'Register an agent' });
    for (const [name, value] of Object.entries({ id: 'invoice-bot', name: 'Invoice bot', team: 'finance', owner: 'zoe' })) await register.locator(`input[name=${name}]`).fill(value);
    await register.locator('select[name=lifecycle]').selectOption('staging');
    await register.getByRole('button', { name: 'Register' }).click();
    await page.getByTestId('agents-table').getByText('Invoice bot (invoice-bot)').waitFor();
    const { agent: registered } = await ask('query($from: DateTime!, $to: DateTime!) { agent(id: "invoice-bot") { status owner team lifecycle registered cost(from: $from, to: $to) } }');
    expect(registered).toMatchObject({ owner: 'zoe', team: 'finance', lifecycle: 'staging', registered: true });
    const row = (await tableRows(page, 'agents-table')).find((cells) => cells[0] === 'Invoice bot (invoice-bot)')!;
    expect([row[1], row[2], row[3], row[5], row[6], row[10]]).toEqual([registered.status, 'zoe', 'finance', 'staging', `$${registered.cost}`, '']);

    await page.getByTestId('inventory').locator('select[name=lifecycle]').selectOption('experiment');
    await eventually(async () => (await page.getByTestId('agents-table').locator('tbody tr').count()) === 1, 10_000, 'the filtered inventory');
    expect(new URL(page.url()).searchParams.get('lifecycle')).toBe('experiment');
    expect((await tableRows(page, 'agents-table'))[0]![0]).toBe('Contract summarizer (contract-summarizer)');

    await page.goto(`/agents/support-assistant${DAY_QUERY}`);
    const { agent } = await ask('query($from: DateTime!, $to: DateTime!) { agent(id: "support-assistant") { cost(from: $from, to: $to) models tools } }');
    await page.getByTestId('agent-cost').waitFor();
    expect(await page.getByTestId('agent-cost').textContent()).toBe(`$${agent.cost}`);
    expect(await page.getByTestId('agent-models').textContent()).toBe(agent.models.join(', '));
    expect(await page.getByTestId('agent-tools').textContent()).toBe(agent.tools.join(', '));
    expect((await tableRows(page, 'runs-table')).map((row) => row[0])).toEqual(['dash-tA']);
    await page.getByTestId('agent-spend').locator('svg').first().waitFor();
    await screenshot(page, SHOTS, '3-agent');
  });

  it('runs: the list, and one run’s trace with each step’s cost, the retry and the escalation marked, its evaluation shown', async () => {
    await page.goto(`/runs${DAY_QUERY}`);
    const { runs } = await ask('query($from: DateTime!, $to: DateTime!) { runs(from: $from, to: $to) { nodes { traceId agentId status totalCost } } }');
    expect((await tableRows(page, 'runs-table')).map((row) => [row[0], row[1], row[3], row[5]])).toEqual(runs.nodes.map((run: any) => [run.traceId, run.agentId, run.status, `$${run.totalCost}`]));
    await screenshot(page, SHOTS, '4-runs');

    await page.getByTestId('runs-table').getByRole('link', { name: 'dash-tA' }).click();
    const { run } = await ask('query { run(traceId: "dash-tA") { totalCost spans { kind name cost totalCost } } }', {});
    await page.getByTestId('run-total-cost').waitFor();
    expect(await page.getByTestId('run-total-cost').textContent()).toBe(`$${run.totalCost}`);
    const steps = await tableRows(page, 'span-tree');
    const shown = steps.map((row) => [row[0]!.replace(/^└ /, ''), row[4], row[5]]).sort();
    expect(shown).toEqual(run.spans.map((span: any) => [`${span.kind}: ${span.name}`, `$${span.cost}`, `$${span.totalCost}`]).sort());
    expect(exact(steps.find((row) => row[2]?.includes('retry (attempt 2)'))?.[4]?.slice(1))).toBe(costOf(events.find((event) => event.data.spanId === 'A3')!).toFixed());
    expect(steps.find((row) => row[2]?.includes('escalated from gpt-4o-mini'))?.[1]).toBe('gpt-4o');
    // The run's own evaluation, listed and marked on the step it judged.
    const { run: judged } = await ask('query { run(traceId: "dash-tA") { spans { spanId kind name } evaluations { evaluator metric score passed spanId } } }', {});
    await page.getByTestId('run-evaluations-table').waitFor();
    expect((await tableRows(page, 'run-evaluations-table')).map((row) => row.slice(0, 5))).toEqual(
      judged.evaluations.map((evaluation: any) => {
        const step = judged.spans.find((span: any) => span.spanId === evaluation.spanId);
        return [evaluation.evaluator, evaluation.metric, String(evaluation.score), evaluation.passed ? 'yes' : 'no', `${step.kind}: ${step.name}`];
      }),
    );
    expect(judged.evaluations).toHaveLength(1);
    expect(steps.find((row) => row[2]?.includes('escalated from gpt-4o-mini'))?.[2]).toContain('faithfulness 0.9 passed');
    await screenshot(page, SHOTS, '5-run');
  });

  it('operations and waste: retry and escalation cost, latency per model, waste per agent', async () => {
    await page.goto(`/operations${DAY_QUERY}`);
    const { operationalSummary: ops, waste } = await ask(`query($from: DateTime!, $to: DateTime!) {
      operationalSummary(from: $from, to: $to) { retryCost escalationCost errors errorRate } waste(from: $from, to: $to, by: AGENT) { key wastedCost totalCost } }`);
    await page.getByTestId('ops-retry-cost').waitFor();
    expect(await page.getByTestId('ops-retry-cost').textContent()).toBe(`$${ops.retryCost}`);
    expect(await page.getByTestId('ops-escalation-cost').textContent()).toBe(`$${ops.escalationCost}`);
    expect(await page.getByTestId('ops-errors').locator('.card-value').textContent()).toBe(`${ops.errors} (${dec(ops.errorRate).times(100).toDecimalPlaces(1).toFixed(1)}%)`);
    expect(await page.getByTestId('ops-errors').locator('data').getAttribute('value')).toBe(ops.errorRate);
    expect((await tableRows(page, 'waste-table')).map((row) => [row[0], row[3], row[4]])).toEqual(waste.map((row: any) => [row.key, `$${row.wastedCost}`, `$${row.totalCost}`]));
    await page.getByTestId('latency').locator('svg').first().waitFor();
    await screenshot(page, SHOTS, '6-operations');
  });

  it('pricing: the tenant’s prices and their history, the catalog version', async () => {
    await page.goto(`/pricing${DAY_QUERY}`);
    const { prices, catalogVersion } = await ask('{ prices { provider model inputPer1M outputPer1M } catalogVersion { version } }', {});
    expect((await tableRows(page, 'prices-table')).map((row) => [row[0], row[1], row[2], row[3]])).toEqual(prices.map((price: any) => [price.provider, price.model, `$${price.inputPer1M}`, `$${price.outputPer1M}`]));
    expect(await page.getByTestId('catalog-version').textContent()).toContain(catalogVersion.version);
    await page.getByTestId('prices-table').locator('tbody tr').first().press('Enter');
    await page.getByTestId('price-history').locator('tbody tr').first().waitFor();
    await screenshot(page, SHOTS, '7-pricing');

    // An admin sets a negotiated price in the form; it is listed as GraphQL lists it, digits kept.
    const form = page.getByRole('form', { name: 'Set a price' });
    const price = { provider: 'anthropic', model: 'claude-e2e', inputPer1M: '3.000001', outputPer1M: '15', effectiveFrom: '2026-01-01T00:00:00Z' };
    for (const [name, value] of Object.entries(price)) await form.locator(`input[name=${name}]`).fill(value);
    await form.getByRole('button', { name: 'Set price' }).click();
    await page.getByTestId('prices-table').getByText('claude-e2e').waitFor();
    const after = (await ask('{ prices { provider model inputPer1M outputPer1M } }', {})).prices;
    expect(after.find((one: any) => one.model === 'claude-e2e')).toMatchObject({ provider: 'anthropic', inputPer1M: '3.000001' });
    expect((await tableRows(page, 'prices-table')).map((row) => [row[0], row[1], row[2], row[3]])).toEqual(after.map((one: any) => [one.provider, one.model, `$${one.inputPer1M}`, `$${one.outputPer1M}`]));
  });

  it('budgets and control: a budget created in the form shows its spend; a pause set on the page blocks the next check, resume lifts it', async () => {
    await page.goto('/budgets');
    const form = page.getByRole('form', { name: 'New budget' });
    await form.locator('input[name=name]').fill('Support this month');
    await form.locator('select[name=scope]').selectOption('TEAM');
    await form.locator('input[name=scopeId]').fill('support');
    await form.locator('select[name=period]').selectOption('MONTH');
    await form.locator('input[name=limit]').fill('10');
    await form.getByRole('button', { name: 'Create budget' }).click();
    await page.getByTestId('budget-table').getByText('Support this month').waitFor();

    const budget = await eventually(async () => {
      const { budgets } = await ask('{ budgets { id name spent remaining limit status } }', {});
      const created = budgets.find((one: any) => one.name === 'Support this month');
      return created && exact(created.spent) === recentTotal ? created : undefined;
    }, 30_000, 'the new budget’s spend');
    await page.reload();
    const row = (await tableRows(page, 'budget-table')).find((cells) => cells[0] === 'Support this month')!;
    expect(row[2]).toContain(`$${budget.spent} of $${budget.limit}`);
    expect(row[3]).toBe(`$${budget.remaining}`);
    expect(row[4]).toBe(budget.status);

    const request = { agentId: 'lead-qualifier', team: 'sales', workflow: 'qualify-lead', estimatedCost: '0.01', ttlSeconds: 5 };
    expect(await check(request)).toMatchObject({ decision: 'ALLOW', paused: false });
    const pauseForm = page.getByRole('form', { name: 'Pause a scope' });
    await pauseForm.locator('select[name=pauseScope]').selectOption('AGENT');
    await pauseForm.locator('input[name=pauseScopeId]').fill('lead-qualifier');
    await pauseForm.locator('input[name=pauseReason]').fill('cost review');
    await pauseForm.getByRole('button', { name: 'Pause' }).click();
    await page.getByTestId('paused-table').getByText('cost review').waitFor();
    expect(await check(request)).toMatchObject({ decision: 'BLOCK', paused: true, reservationId: null });
    await screenshot(page, SHOTS, '8-budgets');

    await page.getByTestId('paused-table').getByRole('button', { name: 'Resume' }).click();
    await page.getByTestId('paused-scopes').getByText('Nothing is paused.').waitFor();
    expect(await check(request)).toMatchObject({ decision: 'ALLOW', paused: false });

    // Edit the budget's limit, then delete it (after the browser's confirmation).
    await page.getByTestId('budget-table').getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit budget' });
    await edit.locator('input[name=limit]').fill('20.50');
    await edit.getByRole('button', { name: 'Save budget' }).click();
    await page.getByTestId('budget-table').getByText('of $20.5').waitFor();
    const [edited] = (await ask('{ budgets { id limit } }', {})).budgets;
    expect([edited.id, exact(edited.limit)]).toEqual([budget.id, '20.5']);
    expect((await tableRows(page, 'budget-table'))[0]![2]).toContain(`of $${edited.limit} (`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('budget-table').getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('budgets').getByText('No budgets yet').waitFor();
    expect((await ask('{ budgets { id } }', {})).budgets).toEqual([]);
  });

  it('overview: the live feed shows an alert as it is raised', async () => {
    await page.goto('/');
    await page.getByTestId('feed-status').getByText('Live').waitFor();
    // The feed re-reads recent alerts when it connects; once that is answered, only the subscription can bring a new one.
    await page.waitForLoadState('networkidle');
    const { setBudget } = await ask('mutation($input: BudgetInput!) { setBudget(input: $input) { id } }', { input: { name: 'Tiny', scope: 'AGENT', scopeId: 'support-assistant', period: 'DAY', limit: '0.0001' } });
    const alert = page.getByTestId('live-alerts').locator('li', { hasText: 'BUDGET_EXCEEDED' });
    await alert.first().waitFor({ timeout: 30_000 }).catch(async (error: unknown) => {
      await screenshot(page, SHOTS, 'failed-live-alert');
      throw error;
    });
    const { alerts } = await ask('query($from: DateTime!, $to: DateTime!) { alerts(from: $from, to: $to) { budgetId kind message } }', { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
    const exceeded = alerts.find((one: any) => one.budgetId === setBudget.id && one.kind === 'BUDGET_EXCEEDED');
    expect(await alert.first().textContent()).toContain(exceeded.message);
    await screenshot(page, SHOTS, '9-overview-live-alert');
  });

  it('downloads the FOCUS export of the window, the key in a header', async () => {
    await page.goto(`/${DAY_QUERY}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download FOCUS export (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('agentledger-focus-2026-10-05-2026-10-06.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toContain('BilledCost');
    expect(csv).toContain('support-assistant');
  });

  it('a wrong key is told in words; a viewer key sees the same pages without the forms, its key kept for the tab only', async () => {
    const stranger = await browser.newContext({ baseURL: stack.url('gateway') });
    const strangerPage = await stranger.newPage();
    await strangerPage.goto('/budgets');
    await strangerPage.locator('input[name=apiKey]').fill('not-a-key');
    await strangerPage.getByRole('button', { name: 'Sign in' }).click();
    expect(await strangerPage.getByRole('alert').textContent()).toBe('The API key is not valid');
    await stranger.close();

    const viewer = await signedIn(KEYS.viewer, '/budgets');
    try {
      expect(await viewer.page.getByTestId('who').textContent()).toBe(`${TENANT} · viewer`);
      // The page's storage, read in the page (this test's types have no DOM).
      expect(await viewer.page.evaluate('[sessionStorage.getItem("agentledger.apiKey"), localStorage.length]')).toEqual([KEYS.viewer, 0]);
      await viewer.page.getByTestId('budget-table').waitFor();
      expect(await viewer.page.getByTestId('budget-form').count()).toBe(0);
      expect(await viewer.page.getByRole('form', { name: 'Pause a scope' }).count()).toBe(0);
      expect(await viewer.page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
      await screenshot(viewer.page, SHOTS, '10-budgets-viewer');
    } finally {
      await viewer.context.close();
    }
  });

  it('serves client routes from the build and leaves the gateway’s own paths alone', async () => {
    const route = await fetch(stack.url('gateway', '/runs/some-trace?from=x'));
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<div id="root">');
    expect((await fetch(stack.url('gateway', '/healthz'))).status).toBe(200);
    expect(await (await fetch(stack.url('gateway', '/graphql'))).text()).not.toContain('<div id="root">');
    expect((await fetch(stack.url('gateway', '/v1/export/focus'))).status).toBe(401);
    expect((await fetch(stack.url('gateway', '/assets/missing.js'))).status).toBe(404);
  });
});
