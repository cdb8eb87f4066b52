import { fileURLToPath } from 'node:url';
import { PriceKind, priceSetCodec, toTimestamp } from '@agentledger/contracts';
import { encodeSubjectToken, resetConsumer, STREAMS, streamIn, subjectIn, subjects } from '@agentledger/jetstream';
import { loadDefaultCatalog, type DefaultCatalog } from '@agentledger/model-pricing';
import { formatDecimal } from '@agentledger/money';
import { appliedKeyHash } from '@agentledger/projections';
import type { ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, createTestProjection, type TestBus, type TestDatabase } from '@agentledger/testing';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { PriceBook, type TokenEstimate } from '../src/prices/price-book.js';
import type { ModelPriceSet } from '../src/prices/price-set.js';
import { tenantPricesProjection, TENANT_PRICES_PROJECTION } from '../src/prices/tenant-prices.projection.js';
import type { Tx } from '../src/db.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const NOW = new Date('2026-12-02T10:00:00Z');

interface Rates {
  inputPer1m: string;
  outputPer1m: string;
  cacheReadPer1m?: string;
}

describe('tenant prices and the price book (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let runner: ProjectionRunner<ModelPriceSet, Tx>;
  let catalog: DefaultCatalog;
  let book: PriceBook;
  /** A book of another replica: it never hears this projection's commits, only its own clock. */
  let otherReplica: PriceBook;
  let otherReplicaAge = 0;

  /** A PriceSet exactly as pricing appends it: protobuf, its content type, on the aggregate's subject. */
  const publishPrice = (tenant: string, provider: string, model: string, rates: Rates, effectiveFrom: string, effectiveTo?: string) => {
    const headers = natsHeaders();
    headers.set('Content-Type', priceSetCodec.contentType);
    const payload = priceSetCodec.encode(
      priceSetCodec.create({
        schemaVersion: 1,
        kind: PriceKind.MODEL_TOKENS,
        tenant,
        provider,
        model,
        rates,
        effectiveFrom: toTimestamp(new Date(effectiveFrom)),
        effectiveTo: effectiveTo ? toTimestamp(new Date(effectiveTo)) : undefined,
        setBy: 'key:admin',
        setAt: toTimestamp(NOW),
        currency: 'USD',
      }),
    );
    return bus.publisher.publish(subjects.price(bus.ns, tenant, encodeSubjectToken(provider), encodeSubjectToken(model)), payload, { headers });
  };
  const estimate = async (target: PriceBook, tenant: string, call: TokenEstimate, at = NOW) => {
    const result = await target.estimateCallCost(tenant, call, at);
    return result && { cost: formatDecimal(result.cost), source: result.source, priceRef: result.priceRef };
  };
  const gpt4oMini = (inputTokens: number, outputTokens: number, model = 'gpt-4o-mini', provider = 'openai'): TokenEstimate => ({ provider, model, inputTokens, outputTokens });
  const rows = () => schema.db.tenantModelPrice.findMany({ orderBy: [{ tenant: 'asc' }, { provider: 'asc' }, { model: 'asc' }, { effectiveFrom: 'asc' }] });

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    catalog = await loadDefaultCatalog();
    book = new PriceBook({ db: schema.db, catalog });
    otherReplica = new PriceBook({ db: schema.db, catalog, maxAgeMs: 5_000, ageClock: () => otherReplicaAge });
    runner = await createTestProjection(bus, schema.db, 'budgeting', tenantPricesProjection({ pricesChanged: (tenants) => book.pricesChanged(tenants) }));
    runner.start();
  });

  afterAll(async () => {
    await runner.stop();
    await schema.cleanup();
    await bus.cleanup();
  });

  it("answers the tenant's price in force now, by pricing's name matching, for that tenant only", async () => {
    await publishPrice('acme', 'openai', 'gpt-4o-mini', { inputPer1m: '0.15', outputPer1m: '0.6' }, '2026-01-01T00:00:00Z');
    await runner.caughtUp();
    // 1000 · 0.15 / 1M + 500 · 0.6 / 1M
    const tenantPrice = { cost: '0.00045', source: 'tenant', priceRef: 'tenant:acme:openai/gpt-4o-mini@2026-01-01T00:00:00.000Z' };
    expect(await estimate(book, 'acme', gpt4oMini(1000, 500))).toEqual(tenantPrice);
    expect(await estimate(book, 'acme', gpt4oMini(1000, 500, 'GPT-4o-Mini', ' OpenAI '))).toEqual(tenantPrice);
    expect(await estimate(book, 'acme', gpt4oMini(1000, 500, 'openai/gpt-4o-mini'))).toEqual(tenantPrice);
    // Before it took effect, and for another tenant, the default catalog's 0.15 / 0.6 apply (the same figure, another source).
    expect(await estimate(book, 'acme', gpt4oMini(1000, 500), new Date('2025-12-31T23:59:59.999Z'))).toEqual({ cost: '0.00045', source: 'catalog', priceRef: 'default:openai/gpt-4o-mini@base' });
    expect(await estimate(book, 'globex', gpt4oMini(1000, 500))).toEqual({ cost: '0.00045', source: 'catalog', priceRef: 'default:openai/gpt-4o-mini@base' });
    expect(await estimate(otherReplica, 'acme', gpt4oMini(1000, 500))).toEqual(tenantPrice);
  });

  it('a later effective_from takes over at its instant; a setting at the same instant replaces the earlier one at once in this replica', async () => {
    await publishPrice('acme', 'openai', 'gpt-4o-mini', { inputPer1m: '0.1', outputPer1m: '0.4' }, '2026-12-02T12:00:00Z');
    await publishPrice('acme', 'openai', 'gpt-4o-mini', { inputPer1m: '0.2', outputPer1m: '0.6', cacheReadPer1m: '0.05' }, '2026-01-01T00:00:00Z');
    await runner.caughtUp();
    expect(await estimate(book, 'acme', gpt4oMini(1000, 500))).toEqual({ cost: '0.0005', source: 'tenant', priceRef: 'tenant:acme:openai/gpt-4o-mini@2026-01-01T00:00:00.000Z' });
    expect(await estimate(book, 'acme', gpt4oMini(1000, 500), new Date('2026-12-02T11:59:59.999Z'))).toMatchObject({ cost: '0.0005' });
    expect(await estimate(book, 'acme', gpt4oMini(1000, 500), new Date('2026-12-02T12:00:00Z'))).toEqual({
      cost: '0.0003',
      source: 'tenant',
      priceRef: 'tenant:acme:openai/gpt-4o-mini@2026-12-02T12:00:00.000Z',
    });
    // Another replica's book sees what it read until its prices are older than maxAgeMs, then the new ones.
    otherReplicaAge += 4_999;
    expect(await estimate(otherReplica, 'acme', gpt4oMini(1000, 500))).toMatchObject({ cost: '0.00045' });
    otherReplicaAge += 1;
    expect(await estimate(otherReplica, 'acme', gpt4oMini(1000, 500))).toMatchObject({ cost: '0.0005' });
  });

  it('a price that ended leaves the call to the default catalog (gpt-4o at 2.5 / 10)', async () => {
    await publishPrice('acme', 'openai', 'gpt-4o', { inputPer1m: '2', outputPer1m: '8' }, '2026-01-01T00:00:00Z', '2026-12-01T00:00:00Z');
    await runner.caughtUp();
    expect(await estimate(book, 'acme', gpt4oMini(1000, 500, 'gpt-4o'), new Date('2026-11-30T23:59:59.999Z'))).toMatchObject({ cost: '0.006', source: 'tenant' });
    // 1000 · 2.5 / 1M + 500 · 10 / 1M
    expect(await estimate(book, 'acme', gpt4oMini(1000, 500, 'gpt-4o'))).toEqual({ cost: '0.0075', source: 'catalog', priceRef: 'default:openai/gpt-4o@base' });
  });

  it('prices a tiered model at its tier once the input exceeds the threshold (Claude Sonnet 4.5 above 200k: 6 / 22.5 on the whole call)', async () => {
    const sonnet = (inputTokens: number): TokenEstimate => ({ provider: 'anthropic', model: 'claude-sonnet-4-5', inputTokens, outputTokens: 1_000 });
    expect(await estimate(book, 'acme', sonnet(200_000))).toMatchObject({ cost: '0.615', source: 'catalog' });
    expect(await estimate(book, 'acme', sonnet(200_001))).toMatchObject({ cost: '1.222506', source: 'catalog' });
  });

  it('answers undefined when neither the tenant nor the catalog knows the model, and refuses counts that are not whole', async () => {
    expect(await book.estimateCallCost('acme', { provider: 'acme', model: 'our-finetune-7b', inputTokens: 1000, outputTokens: 500 }, NOW)).toBeUndefined();
    await expect(book.estimateCallCost('acme', gpt4oMini(-1, 500), NOW)).rejects.toThrow(RangeError);
    await expect(book.estimateCallCost('acme', gpt4oMini(1.5, 500), NOW)).rejects.toThrow(RangeError);
  });

  it('ignores unit prices and catalog imports on the price stream', async () => {
    const before = await rows();
    const unit = priceSetCodec.create({ schemaVersion: 1, kind: PriceKind.TOOL_UNIT, tenant: 'acme', provider: 'serpapi', model: 'search', unit: 'search', unitPrice: '0.005', effectiveFrom: toTimestamp(NOW), setAt: toTimestamp(NOW) });
    const headers = natsHeaders();
    headers.set('Content-Type', priceSetCodec.contentType);
    await bus.publisher.publish(subjectIn(bus.ns, 'finops.prices.acme.~tool.serpapi.search.search'), priceSetCodec.encode(unit), { headers });
    const imported = natsHeaders();
    imported.set('Content-Type', 'application/json; messageType=finops.v1.CatalogImported');
    await bus.publisher.publish(subjectIn(bus.ns, 'finops.prices.~catalog.default.imported'), new TextEncoder().encode('{"schemaVersion":1,"version":"x"}'), { headers: imported });
    await runner.caughtUp();
    expect(await rows()).toEqual(before);
    expect((await bus.jsm.streams.info(streamIn(bus.ns, STREAMS.deadLetters.name))).state.messages).toBe(0);
  });

  it('a redelivery, a replay of the whole stream, or an earlier setting applied again after a later one changes nothing', async () => {
    const before = await rows();
    expect(before.map((row) => [row.tenant, row.model, row.effectiveFrom.toISOString(), row.inputPer1M.toFixed(), row.streamSequence])).toEqual([
      ['acme', 'gpt-4o', '2026-01-01T00:00:00.000Z', '2', 4n],
      ['acme', 'gpt-4o-mini', '2026-01-01T00:00:00.000Z', '0.2', 3n],
      ['acme', 'gpt-4o-mini', '2026-12-02T12:00:00.000Z', '0.1', 2n],
    ]);
    const replay = async () => {
      await runner.stop();
      await resetConsumer(bus.jsm, bus.ns, tenantPricesProjection().consumer);
      runner = await createTestProjection(bus, schema.db, 'budgeting', tenantPricesProjection({ pricesChanged: (tenants) => book.pricesChanged(tenants) }));
      runner.start();
      await runner.caughtUp();
    };
    await replay();
    expect(await rows()).toEqual(before);
    // The first 2026-01-01 setting (seq 1) delivered again with its key forgotten, alone, after the later one (seq 3): order is by event, not arrival.
    await schema.db.$executeRawUnsafe(`DELETE FROM applied_key WHERE key_hash = decode($1, 'hex')`, appliedKeyHash(TENANT_PRICES_PROJECTION, 'price:1'));
    await replay();
    expect(await rows()).toEqual(before);
    expect(await estimate(book, 'acme', gpt4oMini(1000, 500))).toMatchObject({ cost: '0.0005', source: 'tenant' });
  });
});
