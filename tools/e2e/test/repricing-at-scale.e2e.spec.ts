import { Decimal } from 'decimal.js';
import pg from 'pg';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { CostKind, factCodec, pricedCostCodec, toTimestamp, type PricedCost } from '@agentledger/contracts';
import { eventPayloads, STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { eventually, testDatabaseUrl } from '@agentledger/testing';
import { Stack } from './stack.js';

const ADMIN = 'repricing-admin-key';
const FACTS = 50_000;
const DAY_MS = 86_400_000;
const NOW = Date.now();
const SET_PRICE = 'mutation($input: PriceInput!) { setPrice(input: $input) { model inputPer1M } }';
const HISTORY = '{ priceHistory(provider: "openai", model: "gpt-4o-mini") { repricedFacts repricingDone repricingDelta } }';

/** Fact n: a gpt-4o-mini call with its own token counts, spread over the last 29 days by event time. */
const usageOf = (n: number) => ({ input: 1000 + (n % 997), output: 10 + (n % 89) });
const timeOf = (n: number) => new Date(NOW - 60_000 - (n % 1_000) * 40 * 60_000);
const costAt = (n: number, inputPer1M: string, outputPer1M: string) => {
  const { input, output } = usageOf(n);
  return new Decimal(input).times(inputPer1M).plus(new Decimal(output).times(outputPer1M)).div(1_000_000);
};

describe('setPrice over a busy history: answered at once, re-priced off the request path, exact across kill -9', () => {
  let stack: Stack;
  let db: pg.Client;

  beforeAll(async () => {
    stack = await Stack.start({ services: ['pricing', 'gateway'], apiKeys: `${ADMIN}=acme:admin` });
    db = new pg.Client({ connectionString: testDatabaseUrl(), options: `-c search_path="${stack.schemaOf('pricing')}"` });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  }, 60_000);

  /** Canonical facts straight onto FINOPS_FACTS (what ingestion would publish), 500 publishes in flight at a time. */
  async function publishFacts(): Promise<void> {
    const headers = natsHeaders();
    headers.set('Content-Type', factCodec.contentType);
    const subject = subjects.fact(stack.bus.ns, 'acme', 'llm_call');
    for (let start = 0; start < FACTS; start += 500) {
      const acks = [];
      for (let n = start; n < Math.min(FACTS, start + 500); n++) {
        const { input, output } = usageOf(n);
        const fact = factCodec.create({
          schemaVersion: 1,
          tenant: 'acme',
          eventId: `f${n}`,
          source: 'agent://load',
          type: 'llm.call',
          time: toTimestamp(timeOf(n)),
          receivedAt: toTimestamp(timeOf(n)),
          common: { agentId: `agent-${n % 7}` },
          payload: { case: 'llmCall', value: { provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: BigInt(input), outputTokens: BigInt(output) }, attempt: 1 } },
        });
        acks.push(stack.bus.publisher.publish(subject, factCodec.encode(fact), { msgID: `acme|f${n}`, headers }));
      }
      await Promise.all(acks);
    }
  }

  /** The tenant's costs as a downstream ledger keeps them: each cost_id once, in stream order. */
  async function costs(): Promise<{ distinct: PricedCost[]; messages: number }> {
    const stream = streamIn(stack.bus.ns, STREAMS.costs.name);
    const last = (await stack.bus.jsm.streams.info(stream)).state.last_seq;
    const seen = new Map<string, PricedCost>();
    const consumer = await stack.bus.js.consumers.get(stream);
    let messages = 0;
    try {
      while (messages < last) {
        const batch = await consumer.fetch({ max_messages: 5_000, expires: 5_000 });
        for await (const msg of batch) {
          messages++;
          for (const bytes of eventPayloads(msg)) {
            const cost = pricedCostCodec.decode(bytes);
            if (!seen.has(cost.costId)) seen.set(cost.costId, cost);
          }
          if (msg.seq >= last) break;
        }
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
    return { distinct: [...seen.values()], messages };
  }

  const jobProgress = async () => (await db.query<{ repriced_facts: number; done: boolean }>('SELECT repriced_facts, done FROM repricing_job')).rows[0];

  it('prices 50,000 facts, then a price 30 days back answers in under a second and re-prices them all exactly, through a kill -9', async () => {
    await publishFacts();
    // Costs leave in bundles: what pricing recorded, once its outbox is empty, is what was published.
    const count = async (sql: string) => Number((await db.query<{ count: string }>(sql)).rows[0]!.count);
    const staged = () => count('SELECT count(*) AS count FROM outbox');
    await eventually(async () => (await count('SELECT count(*) AS count FROM priced_usage')) >= FACTS && (await staged()) === 0, 180_000, 'every fact priced at the default catalog');

    const started = performance.now();
    const input = { provider: 'openai', model: 'gpt-4o-mini', inputPer1M: '0.11', outputPer1M: '0.47', effectiveFrom: new Date(NOW - 30 * DAY_MS).toISOString() };
    const set = await stack.graphql(ADMIN, SET_PRICE, { input });
    const answeredInMs = performance.now() - started;
    expect(set.errors).toBeUndefined();
    expect(answeredInMs).toBeLessThan(1_000);

    // Re-pricing moves in bounded pages: progress is seen part-way, then pricing dies mid-way.
    const partWay = await eventually(async () => {
      const job = await jobProgress();
      return job && !job.done && job.repriced_facts > 0 && job.repriced_facts < FACTS ? job.repriced_facts : undefined;
    }, 120_000, 're-pricing under way');
    const history = await stack.graphql<{ priceHistory: Array<{ repricedFacts: number; repricingDone: boolean }> }>(ADMIN, HISTORY);
    expect(history.data?.priceHistory[0]?.repricingDone).toBe(false);
    await stack.kill('pricing');
    const atKill = (await jobProgress())!;
    expect(atKill.done).toBe(false);
    expect(atKill.repriced_facts).toBeGreaterThanOrEqual(partWay);

    await stack.startService('pricing');
    await eventually(async () => (await jobProgress())?.done === true, 180_000, 're-pricing done after the restart');
    const done = await stack.graphql<{ priceHistory: Array<{ repricedFacts: number; repricingDone: boolean; repricingDelta: string }> }>(ADMIN, HISTORY);

    // Exact downstream: every fact once priced and once corrected; the corrections add up to the new price.
    const expectedOld = Array.from({ length: FACTS }, (_, n) => costAt(n, '0.15', '0.6')).reduce((a, b) => a.plus(b));
    const expectedNew = Array.from({ length: FACTS }, (_, n) => costAt(n, '0.11', '0.47')).reduce((a, b) => a.plus(b));
    // Each page's corrections are published after its commit (a page in flight at the kill is published by the restarted relay).
    await eventually(async () => (await staged()) === 0 && (await jobProgress())?.done === true, 60_000, 'every correction published');
    const { distinct } = await costs();
    const priced = distinct.filter((cost) => cost.kind === CostKind.PRICED);
    const corrections = distinct.filter((cost) => cost.kind === CostKind.CORRECTION);
    const factKeys = new Set(Array.from({ length: FACTS }, (_, n) => `agent://load|f${n}`));
    expect(priced.length).toBe(FACTS);
    expect(corrections.length).toBe(FACTS);
    // No cost without its fact; no fact corrected twice.
    expect(distinct.every((cost) => factKeys.has(cost.factKey))).toBe(true);
    expect(new Set(corrections.map((cost) => cost.factKey)).size).toBe(FACTS);
    const sum = (list: PricedCost[]) => list.reduce((total, cost) => total.plus(cost.cost), new Decimal(0));
    expect(sum(priced).toFixed()).toBe(expectedOld.toFixed());
    expect(sum(priced).plus(sum(corrections)).toFixed()).toBe(expectedNew.toFixed());
    expect(done.data?.priceHistory[0]).toEqual({ repricedFacts: FACTS, repricingDone: true, repricingDelta: expectedNew.minus(expectedOld).toFixed() });
    const [{ total }] = (await db.query<{ total: string }>('SELECT sum(cost)::text AS total FROM priced_usage')).rows as [{ total: string }];
    expect(new Decimal(total).toFixed()).toBe(expectedNew.toFixed());
  }, 600_000);
});
