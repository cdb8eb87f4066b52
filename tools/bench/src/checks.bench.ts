// The pre-call check (CONTRACT part D) as agents use it: latency p50/p99 of sequential checks,
// checks/s with 64 in flight, and the budgeting projection's priced costs/s — each printed next
// to the raw NATS request/reply figure of the same run. Expects a running stack (`npm start`).
//   npm run bench:checks -w @agentledger/bench -- [--sequential 2000] [--concurrent 20000] [--in-flight 64] [--costs 20000]
import { parseArgs } from 'node:util';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { CostKind, pricedCostCodec, toTimestamp } from '@agentledger/contracts';
import { parseDecimal } from '@agentledger/money';
import { graphql, NATS_URL, percentile, TENANT } from './load.js';

const { values } = parseArgs({
  options: {
    sequential: { type: 'string', default: '2000' },
    concurrent: { type: 'string', default: '20000' },
    'in-flight': { type: 'string', default: '64' },
    costs: { type: 'string', default: '20000' },
  },
});
const sequential = Number(values.sequential);
const concurrent = Number(values.concurrent);
const inFlight = Number(values['in-flight']);
const pricedCosts = Number(values.costs);
const prefix = process.env.FINOPS_NAMESPACE ? `${process.env.FINOPS_NAMESPACE}.` : '';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const SET_BUDGET = 'mutation($input: BudgetInput!) { setBudget(input: $input) { id } }';
const setBudget = async (input: Record<string, unknown>) => (await graphql<{ setBudget: { id: string } }>(SET_BUDGET, { input })).setBudget.id;
const deleteBudget = (id: string) => graphql('mutation($id: ID!) { deleteBudget(id: $id) }', { id });

interface Figures {
  p50: number;
  p99: number;
  perSecond: number;
}

/** `count` requests made by `lanes` callers at once, each waiting for its reply before the next. */
async function measure(count: number, lanes: number, request: (n: number) => Promise<void>): Promise<Figures> {
  const timings: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let n = next++; n < count; n = next++) {
        const sent = performance.now();
        await request(n);
        timings.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  timings.sort((a, b) => a - b);
  return { p50: percentile(timings, 50), p99: percentile(timings, 99), perSecond: count / seconds };
}

const line = (name: string, ours: Figures, raw: Figures) =>
  console.log(
    `${name.padEnd(34)} p50 ${ours.p50.toFixed(2)} ms, p99 ${ours.p99.toFixed(2)} ms, ${ours.perSecond.toFixed(0)}/s` +
      `   | raw NATS request/reply: p50 ${raw.p50.toFixed(2)} ms, p99 ${raw.p99.toFixed(2)} ms, ${raw.perSecond.toFixed(0)}/s`,
  );

async function rawFigures(nc: NatsConnection, runId: string, count: number, lanes: number): Promise<Figures> {
  const subject = `bench.echo.${runId}`;
  const responder = nc.subscribe(subject, { callback: (_, msg) => void msg.respond(msg.data) });
  const body = encoder.encode(JSON.stringify({ agentId: 'bench', estimatedCost: '0.0001' }));
  try {
    return await measure(count, lanes, async () => void (await nc.request(subject, body, { timeout: 5_000 })));
  } finally {
    responder.unsubscribe();
  }
}

const nc = await connect({ servers: NATS_URL, name: 'bench-checks' });
const runId = Date.now().toString(36);
const budgets: string[] = [];
try {
  // Every check meets two budgets: the tenant's (shared by all, so every check queues on its row)
  // and its agent's; limits far above what the run spends, so every check is an ALLOW that reserves.
  budgets.push(await setBudget({ name: `bench ${runId} tenant`, scope: 'TENANT', period: 'DAY', limit: '1000000', enforcement: 'BLOCK' }));
  for (let agent = 0; agent < inFlight; agent++) {
    budgets.push(await setBudget({ name: `bench ${runId} agent ${agent}`, scope: 'AGENT', scopeId: `bench-${runId}-${agent}`, period: 'DAY', limit: '100000', enforcement: 'BLOCK' }));
  }
  const check = async (n: number) => {
    const body = { agentId: `bench-${runId}-${n % inFlight}`, team: 'bench', estimatedCost: '0.0001', spanId: `${runId}-${n}`, ttlSeconds: 30 };
    const reply = JSON.parse(decoder.decode((await nc.request(`${prefix}finops.control.check.${TENANT}`, encoder.encode(JSON.stringify(body)), { timeout: 10_000 })).data));
    if (reply.decision !== 'ALLOW') throw new Error(`expected ALLOW, got ${JSON.stringify(reply)}`);
  };
  for (let n = 0; n < 200; n++) await check(n); // warm-up: connections, JIT, plans

  line(`check, sequential (${sequential})`, await measure(sequential, 1, check), await rawFigures(nc, runId, sequential, 1));
  line(`check, ${inFlight} in flight (${concurrent})`, await measure(concurrent, inFlight, check), await rawFigures(nc, runId, concurrent, inFlight));

  // The budgeting projection: priced costs published as pricing publishes them, until the budget holds them all.
  const agentId = `bench-${runId}-spend`;
  const spendBudget = await setBudget({ name: `bench ${runId} spend`, scope: 'AGENT', scopeId: agentId, period: 'DAY', limit: '1000000' });
  budgets.push(spendBudget);
  const js = jetstream(nc);
  const now = toTimestamp(new Date());
  const started = performance.now();
  const acks: Array<Promise<unknown>> = [];
  for (let n = 0; n < pricedCosts; n++) {
    const cost = pricedCostCodec.create({ kind: CostKind.PRICED, costId: `${runId}-${n}`, tenant: TENANT, factKey: `${runId}-${n}`, factType: 'llm.call', time: now, common: { agentId, team: 'bench' }, priced: true, cost: '0.001', currency: 'USD', attempt: 1 });
    acks.push(js.publish(`${prefix}finops.costs.${TENANT}.priced`, pricedCostCodec.encode(cost), { msgID: `bench-${runId}-${n}` }));
    if (acks.length >= 1000) await Promise.all(acks.splice(0));
  }
  await Promise.all(acks);
  const published = performance.now();
  const expected = parseDecimal('0.001').times(pricedCosts);
  for (;;) {
    const { budget } = await graphql<{ budget: { spent: string } }>('query($id: ID!) { budget(id: $id) { spent } }', { id: spendBudget });
    if (parseDecimal(budget.spent).eq(expected)) break;
    if (performance.now() - started > 600_000) throw new Error(`the budget holds ${budget.spent} of ${expected.toFixed()} after 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`budgeting projection (${pricedCosts} priced costs)   ${(pricedCosts / seconds).toFixed(0)} costs/s end to end (published in ${((published - started) / 1000).toFixed(1)} s)`);
} finally {
  for (const id of budgets) await deleteBudget(id).catch(() => undefined);
  await nc.close();
}
