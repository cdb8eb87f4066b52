import { jest } from '@jest/globals';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { CostKind, factCodec, toTimestamp } from '@agentledger/contracts';
import { STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal } from '@agentledger/money';
import type { TestBus, TestDatabase } from '@agentledger/testing';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import { unitPriceHistory } from '../src/unit-prices/unit-price-history.query.js';
import { listUnitPrices } from '../src/unit-prices/unit-prices.query.js';
import { createPricingHarness, type PricingHarness } from './pricing-harness.js';

jest.setTimeout(30_000);

describe('tool and SaaS unit prices (real NATS JetStream + PostgreSQL)', () => {
  let pricing: PricingHarness;
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let db: PrismaClient;

  // No default catalog: it has no tool or SaaS prices anyway.
  beforeEach(async () => {
    pricing = await createPricingHarness();
    ({ bus, schema, db } = pricing);
  });

  afterEach(() => pricing.cleanup());

  const usageRunner = () => pricing.usageRunner();
  /** Sets a unit price and waits for its re-pricing to be done. */
  const setUnitPrice = async (args: Record<string, string | null>, tenant = 'acme', actor = 'key:admin', at = '2026-03-05T09:00:00Z') => {
    pricing.startRepricing();
    const price = await pricing.setUnitPrice(args, tenant, actor, at);
    await pricing.settled();
    return price;
  };
  /** What a downstream ledger sees: every cost once by (tenant, cost_id), corrections as deltas. */
  const downstream = async (tenant = 'acme') => {
    const seen = await pricing.downstream(tenant);
    return { ...seen, unpriced: seen.unpricedCalls };
  };

  async function publishFact(id: string, time: string, payload: NonNullable<Parameters<typeof factCodec.create>[0]>['payload'], tenant = 'acme') {
    const type = payload?.case === 'toolCall' ? 'tool.call' : 'saas.usage';
    const fact = factCodec.create({
      schemaVersion: 1,
      tenant,
      eventId: id,
      source: 'agent://research-bot',
      type,
      time: toTimestamp(new Date(time)),
      receivedAt: toTimestamp(new Date(time)),
      common: { agentId: 'research-bot', team: 'research' },
      payload,
    });
    const headers = natsHeaders();
    headers.set('Content-Type', factCodec.contentType);
    await bus.publisher.publish(subjects.fact(bus.ns, tenant, type.replace('.', '_')), factCodec.encode(fact), { msgID: `${tenant}|${id}`, headers });
  }
  const toolCall = (id: string, time: string, vendor: string, units: string, cost = '', tenant = 'acme') =>
    publishFact(id, time, { case: 'toolCall', value: { tool: 'Web_Search', vendor, units, unit: 'search', cost, attempt: 1 } }, tenant);
  const saasUsage = (id: string, time: string, quantity: string, cost = '') =>
    publishFact(id, time, {
      case: 'saasUsage',
      value: { vendor: 'Intercom', product: 'Fin', quantity, unit: 'resolution', periodStart: time, periodEnd: time, cost },
    });

  async function pricedUsageTotal(tenant = 'acme'): Promise<string> {
    const [row] = await schema.query<{ total: string }>(`SELECT coalesce(sum(cost), 0)::text AS total FROM priced_usage WHERE tenant = $1`, [tenant]);
    return formatDecimal(parseDecimal(row!.total));
  }

  it('a unit price set after tool and SaaS events prices them, moves totals by exactly their cost; a reported cost wins', async () => {
    await toolCall('t1', '2026-03-01T10:00:00Z', 'SerpAPI', '3');
    await toolCall('t2', '2026-03-01T10:05:00Z', 'serpapi', '1000000000000', '0.42');
    await toolCall('t3', '2026-03-01T10:10:00Z', 'other-search', '2');
    await toolCall('t4', '2026-02-28T23:59:59.999Z', 'serpapi', '5');
    await saasUsage('s1', '2026-03-01T00:00:00Z', '12.5');
    await saasUsage('s2', '2026-03-01T00:00:00Z', '3', '5');
    const usage = usageRunner();
    await usage.caughtUp();
    expect(await downstream()).toMatchObject({ total: '5.42', unpriced: 4 });

    // A tool price without vendor covers every vendor's calls from effectiveFrom on; t4 is before it, t2 reported its cost.
    expect(
      await setUnitPrice({ kind: 'TOOL', vendor: null, name: 'web_search', unit: 'SEARCH', pricePerUnit: '0.005', effectiveFrom: '2026-03-01T00:00:00Z' }),
    ).toEqual({ kind: 'TOOL', vendor: null, name: 'web_search', unit: 'search', pricePerUnit: '0.005', effectiveFrom: '2026-03-01T00:00:00.000Z', effectiveTo: null });
    // t1: 3 × 0.005 = 0.015; t3: 2 × 0.005 = 0.01
    expect(await downstream()).toMatchObject({ total: '5.445', unpriced: 2 });

    await setUnitPrice({ kind: 'SAAS', vendor: 'intercom', name: 'fin', unit: 'resolution', pricePerUnit: '0.99', effectiveFrom: '2026-03-01T00:00:00Z' });
    // s1: 12.5 × 0.99 = 12.375 (s2 reported 5 and keeps it)
    expect(await downstream()).toMatchObject({ total: '17.82', unpriced: 1 });

    // The vendor's own price wins over the vendor-less one: t1 moves by 3 × (0.004 − 0.005), t3 stays.
    await setUnitPrice({ kind: 'TOOL', vendor: 'serpapi', name: 'web_search', unit: 'search', pricePerUnit: '0.004', effectiveFrom: '2026-03-01T00:00:00Z' });
    expect((await downstream()).total).toBe('17.817');

    // A fact arriving after the price is priced on arrival: 7 × 0.004.
    await toolCall('t5', '2026-03-01T12:00:00Z', 'serpapi', '7');
    await usage.caughtUp();
    const after = await downstream();
    expect(after).toMatchObject({ total: '17.845', unpriced: 1 });
    expect(await pricedUsageTotal()).toBe('17.845');

    const corrections = after.costs.filter((cost) => cost.kind === CostKind.CORRECTION);
    expect(corrections.map((cost) => [cost.costId.replace(/#\d+$/, '#n'), cost.cost, cost.breakdown?.other, cost.previouslyPriced, cost.priced, cost.tool])).toEqual([
      ['agent://research-bot|t1#n', '0.015', '0.015', false, true, 'Web_Search'],
      ['agent://research-bot|t3#n', '0.01', '0.01', false, true, 'Web_Search'],
      ['agent://research-bot|s1#n', '12.375', '12.375', false, true, 'Fin'],
      ['agent://research-bot|t1#n', '-0.003', '-0.003', true, true, 'Web_Search'],
    ]);
    expect(corrections[3]).toMatchObject({
      priceRef: 'tenant:acme:tool:serpapi/web_search/search@2026-03-01T00:00:00.000Z',
      previousPriceRef: 'tenant:acme:tool:/web_search/search@2026-03-01T00:00:00.000Z',
      correctedBy: 'key:admin',
      common: { agentId: 'research-bot', team: 'research' },
    });
    const t5 = after.costs.find((cost) => cost.costId === 'agent://research-bot|t5');
    expect(t5).toMatchObject({ kind: CostKind.PRICED, priced: true, cost: '0.028', breakdown: { other: '0.028' } });

    expect((await listUnitPrices(db, 'acme')).map((price) => [price.kind, price.vendor, price.name, price.unit, price.pricePerUnit])).toEqual([
      ['TOOL', null, 'web_search', 'search', '0.005'],
      ['TOOL', 'serpapi', 'web_search', 'search', '0.004'],
      ['SAAS', 'intercom', 'fin', 'resolution', '0.99'],
    ]);
    const history = await db.unitPriceHistory.findMany({ orderBy: { streamSequence: 'asc' } });
    expect(history.map((entry) => [entry.kind, entry.vendor, entry.repricedFacts, entry.repricingDelta.toFixed(), entry.previousRef])).toEqual([
      ['tool', '', 2, '0.025', ''],
      ['saas', 'intercom', 1, '12.375', ''],
      ['tool', 'serpapi', 1, '-0.003', 'tenant:acme:tool:/web_search/search@2026-03-01T00:00:00.000Z'],
    ]);

    // The catalog meets the same price events again (rebuilt from the log, its jobs recorded anew): nothing moves.
    const costsBefore = (await bus.jsm.streams.info(streamIn(bus.ns, STREAMS.costs.name))).state.messages;
    await pricing.rebuildCatalog();
    expect((await bus.jsm.streams.info(streamIn(bus.ns, STREAMS.costs.name))).state.messages).toBe(costsBefore);
    expect(await db.tenantUnitPrice.count()).toBe(3);
    expect((await downstream()).total).toBe('17.845');
  });

  it('unit prices are per tenant; concurrent writes to one unit price both land', async () => {
    await toolCall('t1', '2026-03-01T10:00:00Z', 'serpapi', '3');
    await toolCall('t1', '2026-03-01T10:00:00Z', 'serpapi', '3', '', 'other');
    await usageRunner().caughtUp();
    await Promise.all([
      setUnitPrice({ kind: 'TOOL', vendor: 'serpapi', name: 'web_search', unit: 'search', pricePerUnit: '0.01', effectiveFrom: '2026-03-01T00:00:00Z' }),
      setUnitPrice({ kind: 'TOOL', vendor: 'serpapi', name: 'web_search', unit: 'search', pricePerUnit: '0.02', effectiveFrom: '2026-03-01T10:00:00Z' }),
    ]);
    // t1 at 10:00 falls under the later entry: 3 × 0.02
    expect(await downstream()).toMatchObject({ total: '0.06', unpriced: 0 });
    expect(await downstream('other')).toMatchObject({ total: '0', unpriced: 1 });
    expect(await listUnitPrices(db, 'other')).toEqual([]);
    expect(await pricedUsageTotal('other')).toBe('0');
    expect(await db.tenantUnitPrice.count({ where: { tenant: 'acme' } })).toBe(2);
  });

  it('unitPriceHistory: who, when, old and new price per change, what each re-priced, exact decimals', async () => {
    const price = { kind: 'TOOL', vendor: 'serpapi', name: 'web_search', unit: 'search', effectiveFrom: '2026-03-01T00:00:00Z' };
    // First change: nothing to re-price yet.
    await setUnitPrice({ ...price, pricePerUnit: '0.0100' }, 'acme', 'key:alice', '2026-03-02T08:00:00Z');
    await toolCall('t1', '2026-03-01T10:00:00Z', 'serpapi', '3');
    await toolCall('t2', '2026-03-02T10:00:00Z', 'SerpAPI', '7');
    await toolCall('t3', '2026-03-02T11:00:00Z', 'serpapi', '5', '0.5'); // reported cost: never re-priced
    await usageRunner().caughtUp();
    expect((await downstream()).total).toBe('0.6');
    // Second change at the same instant replaces the first: t1 and t2 move by 10 × 0.0025.
    await setUnitPrice({ ...price, pricePerUnit: '0.0125' }, 'acme', 'key:bob', '2026-03-03T09:30:00Z');
    expect((await downstream()).total).toBe('0.625');

    const history = await unitPriceHistory(db, { tenant: 'acme', args: { kind: 'TOOL', vendor: 'SerpAPI', name: 'Web_Search', unit: 'SEARCH' } });
    expect(history).toEqual([
      {
        kind: 'TOOL',
        vendor: 'serpapi',
        name: 'web_search',
        unit: 'search',
        pricePerUnit: '0.01',
        currency: 'USD',
        effectiveFrom: '2026-03-01T00:00:00.000Z',
        effectiveTo: null,
        setBy: 'key:alice',
        setAt: '2026-03-02T08:00:00.000Z',
        previousPriceRef: null,
        previousPricePerUnit: null,
        repricedFacts: 0,
        repricingDelta: '0',
        repricingDone: true,
      },
      {
        kind: 'TOOL',
        vendor: 'serpapi',
        name: 'web_search',
        unit: 'search',
        pricePerUnit: '0.0125',
        currency: 'USD',
        effectiveFrom: '2026-03-01T00:00:00.000Z',
        effectiveTo: null,
        setBy: 'key:bob',
        setAt: '2026-03-03T09:30:00.000Z',
        previousPriceRef: 'tenant:acme:tool:serpapi/web_search/search@2026-03-01T00:00:00.000Z',
        previousPricePerUnit: '0.01',
        repricedFacts: 2,
        repricingDelta: '0.025',
        repricingDone: true,
      },
    ]);
    // The any-vendor tool price is another price; other tenants see nothing; bad arguments are the caller's.
    expect(await unitPriceHistory(db, { tenant: 'acme', args: { kind: 'TOOL', vendor: null, name: 'web_search', unit: 'search' } })).toEqual([]);
    expect(await unitPriceHistory(db, { tenant: 'other', args: { kind: 'TOOL', vendor: 'serpapi', name: 'web_search', unit: 'search' } })).toEqual([]);
    await expect(unitPriceHistory(db, { tenant: 'acme', args: { kind: 'SAAS', name: 'fin', unit: 'resolution' } })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(unitPriceHistory(db, { tenant: 'acme', args: { kind: 'LLM', name: 'x', unit: 'y' } })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
