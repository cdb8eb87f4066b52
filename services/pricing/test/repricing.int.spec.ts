import { jest } from '@jest/globals';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { CostKind, factCodec, toTimestamp } from '@agentledger/contracts';
import { STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal } from '@agentledger/money';
import type { TestBus, TestDatabase } from '@agentledger/testing';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import { catalogVersion, priceHistory } from '../src/catalog/catalog.queries.js';
import { recordCatalogVersion } from '../src/catalog/catalog-import.js';
import { loadDefaultCatalog, type DefaultCatalog } from '@agentledger/model-pricing';
import { reconciliation, unpricedModels } from '../src/costing/cost.queries.js';
import { createPricingHarness, type PricingHarness } from './pricing-harness.js';

jest.setTimeout(30_000);

const WINDOW = { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' };

describe('re-pricing history (real NATS JetStream + PostgreSQL)', () => {
  let defaultCatalog: DefaultCatalog;
  let pricing: PricingHarness;
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let db: PrismaClient;

  beforeAll(async () => {
    defaultCatalog = await loadDefaultCatalog();
  });

  beforeEach(async () => {
    pricing = await createPricingHarness({ catalog: defaultCatalog });
    ({ bus, schema, db } = pricing);
  });

  afterEach(() => pricing.cleanup());

  const usageRunner = () => pricing.usageRunner();
  const catalogRunner = () => pricing.catalogRunner();
  const downstream = (tenant?: string) => pricing.downstream(tenant);
  /** Sets a price and waits for its re-pricing to be done, as a user reading priceHistory until repricingDone would. */
  const setPrice = async (args: Record<string, string | null>, tenant = 'acme') => {
    pricing.startRepricing();
    const price = await pricing.setPrice(args, tenant);
    await pricing.settled();
    return price;
  };

  async function publishCall(id: string, time: string, provider: string, model: string, input: number, output: number, reportedCost = '', tenant = 'acme') {
    const fact = factCodec.create({
      schemaVersion: 1,
      tenant,
      eventId: id,
      source: 'agent://support-bot',
      type: 'llm.call',
      time: toTimestamp(new Date(time)),
      receivedAt: toTimestamp(new Date(time)),
      common: { agentId: 'support-bot', team: 'support' },
      payload: { case: 'llmCall', value: { provider, model, usage: { inputTokens: BigInt(input), outputTokens: BigInt(output) }, attempt: 1, reportedCost } },
    });
    const headers = natsHeaders();
    headers.set('Content-Type', factCodec.contentType);
    await bus.publisher.publish(subjects.fact(bus.ns, tenant, 'llm_call'), factCodec.encode(fact), { msgID: `${tenant}|${id}`, headers });
  }

  async function pricedUsageTotal(tenant = 'acme'): Promise<string> {
    const [row] = await schema.query<{ total: string }>(`SELECT coalesce(sum(cost), 0)::text AS total FROM priced_usage WHERE tenant = $1`, [tenant]);
    return formatDecimal(parseDecimal(row!.total));
  }

  it('a price set after its events (effective in the past) prices them, moves totals by exactly their cost, and is audited', async () => {
    await publishCall('a', '2026-03-01T10:00:00Z', 'acme-ai', 'house-model-1', 1000, 500, '0.004');
    await publishCall('b', '2026-03-01T11:00:00Z', 'acme-ai', 'house-model-1', 2000, 250);
    await publishCall('c', '2026-03-01T12:00:00Z', 'openai', 'gpt-4o-mini', 1834, 240, '0.0005');
    await usageRunner().caughtUp();

    // gpt-4o-mini from the default catalog: 1834·0.15 + 240·0.6 per 1M
    expect(await downstream()).toMatchObject({ total: '0.0004191', unpricedCalls: 2 });
    expect(await unpricedModels(db, { tenant: 'acme', args: WINDOW })).toEqual([
      { provider: 'acme-ai', model: 'house-model-1', calls: 2, inputTokens: '3000', outputTokens: '750', reportedCost: '0.004' },
    ]);

    await setPrice({ provider: 'acme-ai', model: 'house-model-1', inputPer1M: '1.5', outputPer1M: '6', effectiveFrom: '2026-03-01T00:00:00Z' });
    // a: 1000·1.5 + 500·6 = 4500 → 0.0045; b: 2000·1.5 + 250·6 = 4500 → 0.0045
    expect(await downstream()).toMatchObject({ total: '0.0094191', unpricedCalls: 0 });
    expect(await unpricedModels(db, { tenant: 'acme', args: WINDOW })).toEqual([]);

    // A correction of the same entry moves totals by exactly the difference.
    await setPrice({ provider: 'acme-ai', model: 'house-model-1', inputPer1M: '1', outputPer1M: '6', effectiveFrom: '2026-03-01T00:00:00Z' });
    expect((await downstream()).total).toBe('0.0079191');

    // A price change at the exact instant of call b: a stays, b (at that instant) moves.
    await setPrice({ provider: 'acme-ai', model: 'house-model-1', inputPer1M: '2', outputPer1M: '6', effectiveFrom: '2026-03-01T11:00:00Z' });
    expect((await downstream()).total).toBe('0.0099191');

    // Tenant override vs default: the tenant's own gpt-4o-mini price wins for this tenant only.
    await setPrice({ provider: 'openai', model: 'gpt-4o-mini', inputPer1M: '0.1', outputPer1M: '0.4', effectiveFrom: '2026-01-01T00:00:00Z' });
    const after = await downstream();
    // c: 1834·0.1 + 240·0.4 = 279.4 → 0.0002794 (was 0.0004191)
    expect(after.total).toBe('0.0097794');
    const corrections = after.costs.filter((cost) => cost.kind === CostKind.CORRECTION);
    expect(corrections.map((cost) => [cost.costId.replace(/#\d+$/, '#n'), cost.cost, cost.previouslyPriced, cost.priced])).toEqual([
      ['agent://support-bot|a#n', '0.0045', false, true],
      ['agent://support-bot|b#n', '0.0045', false, true],
      ['agent://support-bot|a#n', '-0.0005', true, true],
      ['agent://support-bot|b#n', '-0.001', true, true],
      ['agent://support-bot|b#n', '0.002', true, true],
      ['agent://support-bot|c#n', '-0.0001397', true, true],
    ]);
    expect(corrections[0]).toMatchObject({ correctedBy: 'key:admin', previousPriceRef: '', common: { agentId: 'support-bot', team: 'support' } });
    // A correction carries the event's keys, usage and dimensions as its first pricing did, though
    // priced_usage keeps of that event only what its columns do not hold.
    const first = after.costs.find((cost) => cost.kind === CostKind.PRICED && cost.factKey === 'agent://support-bot|c')!;
    const corrected = corrections.find((cost) => cost.factKey === 'agent://support-bot|c')!;
    const sameEvent = (cost: typeof first) => [cost.tenant, cost.factKey, cost.factType, cost.time, cost.common, cost.provider, cost.model, cost.tool, cost.vendor, cost.usage, cost.attempt, cost.escalatedFrom, cost.status, cost.currency, cost.reportedCost];
    expect(sameEvent(corrected)).toEqual(sameEvent(first));
    const stored = await pricing.schema.query<{ bytes: number }>(`SELECT octet_length(priced_cost) AS bytes FROM priced_usage WHERE fact_key = 'agent://support-bot|c'`);
    expect(stored[0]!.bytes).toBeLessThan(60);
    expect(await pricedUsageTotal()).toBe('0.0097794');

    const history = await priceHistory(db, { tenant: 'acme', args: { provider: 'ACME-AI', model: 'house-model-1' } });
    expect(history.map((entry) => [entry.inputPer1M, entry.effectiveFrom, entry.setBy, entry.previousPriceRef, entry.repricedFacts, entry.repricingDelta])).toEqual([
      ['1.5', '2026-03-01T00:00:00.000Z', 'key:admin', null, 2, '0.009'],
      ['1', '2026-03-01T00:00:00.000Z', 'key:admin', 'tenant:acme:acme-ai/house-model-1@2026-03-01T00:00:00.000Z', 2, '-0.0015'],
      ['2', '2026-03-01T11:00:00.000Z', 'key:admin', 'tenant:acme:acme-ai/house-model-1@2026-03-01T00:00:00.000Z', 1, '0.002'],
    ]);
    expect(history[1]!.previousRates).toBe('{"inputPer1M":"1.5","outputPer1M":"6"}');
    const [openai] = await priceHistory(db, { tenant: 'acme', args: { provider: 'openai', model: 'gpt-4o-mini' } });
    expect(openai).toMatchObject({ previousPriceRef: 'default:openai/gpt-4o-mini@base', repricedFacts: 1, repricingDelta: '-0.0001397' });

    // Reconciliation: what agents reported against what we computed.
    expect(await reconciliation(db, { tenant: 'acme', args: WINDOW })).toEqual([
      { provider: 'acme-ai', model: 'house-model-1', calls: 1, pricedCalls: 1, reportedCost: '0.004', computedCost: '0.004', difference: '0' },
      { provider: 'openai', model: 'gpt-4o-mini', calls: 1, pricedCalls: 1, reportedCost: '0.0005', computedCost: '0.0002794', difference: '0.0002206' },
    ]);

    // The catalog meets the same price events again (rebuilt from the log, its jobs recorded anew): nothing moves.
    const costsBefore = (await bus.jsm.streams.info(streamIn(bus.ns, STREAMS.costs.name))).state.messages;
    await pricing.rebuildCatalog();
    expect((await bus.jsm.streams.info(streamIn(bus.ns, STREAMS.costs.name))).state.messages).toBe(costsBefore);
    expect((await downstream()).total).toBe('0.0097794');
  });

  it('rebuild from the log gives the same totals; another tenant never sees the override', async () => {
    await publishCall('a', '2026-03-01T10:00:00Z', 'acme-ai', 'house-model-1', 1000, 500);
    await publishCall('a', '2026-03-01T10:00:00Z', 'acme-ai', 'house-model-1', 1000, 500, '', 'other');
    const usage = usageRunner();
    const catalog = catalogRunner();
    await usage.caughtUp();
    await setPrice({ provider: 'acme-ai', model: 'house-model-1', inputPer1M: '1.5', outputPer1M: '6', effectiveFrom: '2026-03-01T00:00:00Z' });
    await publishCall('b', '2026-03-01T11:00:00Z', 'acme-ai', 'house-model-1', 2000, 250);
    await usage.caughtUp();
    await catalog.caughtUp();
    expect(await downstream()).toMatchObject({ total: '0.009', unpricedCalls: 0 });
    expect(await downstream('other')).toMatchObject({ total: '0', unpricedCalls: 1 });

    await catalog.rebuild();
    await usage.rebuild();
    await pricing.settled();
    expect(await pricedUsageTotal()).toBe('0.009');
    expect(await downstream()).toMatchObject({ total: '0.009', unpricedCalls: 0 });
    expect(await pricedUsageTotal('other')).toBe('0');
    expect((await db.tenantPrice.count())).toBe(1);
  });

  it('records each default catalog version once, as an event on the price stream', async () => {
    const importDeps = { jsm: bus.jsm, publisher: bus.publisher, ns: bus.ns, clock: () => new Date('2026-03-05T09:00:00Z') };
    expect((await recordCatalogVersion(importDeps, defaultCatalog))?.data).toMatchObject({ version: defaultCatalog.version, previousVersion: '' });
    expect(await recordCatalogVersion(importDeps, defaultCatalog)).toBeUndefined();
    await catalogRunner().caughtUp();
    expect(await catalogVersion(db, defaultCatalog)).toEqual({
      version: defaultCatalog.version,
      packageVersion: '0.1.8',
      dataHash: defaultCatalog.dataHash,
      models: defaultCatalog.modelCount,
      importedAt: '2026-03-05T09:00:00.000Z',
      previousVersion: null,
    });
  });
});
