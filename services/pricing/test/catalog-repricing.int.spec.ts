import { jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { CostKind, factCodec, pricedCostCodec, toTimestamp, type PricedCost } from '@agentledger/contracts';
import { CONSUMERS, DeadLetterPublisher, eventPayloads, provisionConsumers, STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal, sum } from '@agentledger/money';
import { OutboxRelay, ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, type TestBus, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { recordCatalogVersion } from '../src/catalog/catalog-import.js';
import { lastCatalogImport, repriceForCatalogImport } from '../src/repricing/catalog-repricing.js';
import { loadDefaultCatalog, type DefaultCatalog } from '@agentledger/model-pricing';
import { usagePricingProjection } from '../src/costing/usage-pricing.projection.js';

jest.setTimeout(30_000);

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

describe('a new default catalog version prices what it now covers (real NATS JetStream + PostgreSQL)', () => {
  let defaultCatalog: DefaultCatalog;
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let db: PrismaClient;
  let runner: ProjectionRunner<unknown, never> | undefined;

  beforeAll(async () => {
    defaultCatalog = await loadDefaultCatalog();
  });

  beforeEach(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    db = schema.db;
    await provisionConsumers(bus.jsm, bus.ns, [CONSUMERS.pricingFacts]);
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await schema.cleanup();
    await bus.cleanup();
  });

  async function publishCall(id: string, provider: string, model: string, input: number, output: number, tenant = 'acme') {
    const time = '2026-03-01T10:00:00Z';
    const fact = factCodec.create({
      schemaVersion: 1,
      tenant,
      eventId: id,
      source: 'agent://support-bot',
      type: 'llm.call',
      time: toTimestamp(new Date(time)),
      receivedAt: toTimestamp(new Date(time)),
      common: { agentId: 'support-bot' },
      payload: { case: 'llmCall', value: { provider, model, usage: { inputTokens: BigInt(input), outputTokens: BigInt(output) }, attempt: 1 } },
    });
    const headers = natsHeaders();
    headers.set('Content-Type', factCodec.contentType);
    await bus.publisher.publish(subjects.fact(bus.ns, tenant, 'llm_call'), factCodec.encode(fact), { msgID: `${tenant}|${id}`, headers });
  }

  async function downstream(): Promise<{ total: string; unpriced: number; costs: PricedCost[] }> {
    const stream = streamIn(bus.ns, STREAMS.costs.name);
    const last = (await bus.jsm.streams.info(stream)).state.last_seq;
    const seen = new Map<string, PricedCost>();
    for (let seq = 1; seq <= last; seq++) {
      const message = await bus.jsm.streams.getMessage(stream, { seq });
      if (!message) continue;
      for (const bytes of eventPayloads({ data: message.data, headers: message.header })) {
        const cost = pricedCostCodec.decode(bytes);
        if (!seen.has(`${cost.tenant}|${cost.costId}`)) seen.set(`${cost.tenant}|${cost.costId}`, cost);
      }
    }
    const costs = [...seen.values()];
    let unpriced = 0;
    for (const cost of costs) {
      if (cost.kind === CostKind.PRICED && !cost.priced) unpriced++;
      if (cost.kind === CostKind.CORRECTION && cost.previouslyPriced !== cost.priced) unpriced += cost.priced ? -1 : 1;
    }
    return { total: formatDecimal(sum(costs.map((cost) => parseDecimal(cost.cost)))), unpriced, costs };
  }

  it('prices the unpriced calls the new data covers through corrections, in pages, once', async () => {
    // Facts priced by a process whose catalog did not know these models (an older version).
    const oldDeps = { ns: bus.ns, catalogVersion: 'genai-prices@old' };
    const outbox = new OutboxRelay({ db, publisher: bus.publisher });
    runner = new ProjectionRunner(
      { js: bus.js, jsm: bus.jsm, ns: bus.ns, db, service: 'pricing', deadLetters: new DeadLetterPublisher(bus.publisher, bus.ns), outbox },
      usagePricingProjection(oldDeps) as never,
    );
    runner.start();
    await publishCall('a', 'openai', 'gpt-4o-mini', 1834, 240);
    await publishCall('b', 'openai', 'gpt-4o-mini', 1000, 1000, 'other');
    await publishCall('c', 'acme-ai', 'house-model-1', 1000, 500);
    await publishCall('d', 'anthropic', 'claude-3-5-haiku-latest', 1_000_000, 0);
    await runner.caughtUp();
    expect(await downstream()).toMatchObject({ total: '0', unpriced: 4 });

    const clock = () => new Date('2026-03-05T09:00:00Z');
    await recordCatalogVersion({ jsm: bus.jsm, publisher: bus.publisher, ns: bus.ns, clock }, defaultCatalog);
    const recorded = (await lastCatalogImport(bus.jsm, bus.ns))!;
    const deps = { ns: bus.ns, catalog: defaultCatalog, catalogVersion: defaultCatalog.version };

    // A process with another version's data leaves the sweep to the one that has it.
    expect((await repriceForCatalogImport(db, { ...deps, catalogVersion: 'genai-prices@other' }, recorded)).status).toBe('not-this-version');

    const outcome = await repriceForCatalogImport(db, deps, recorded, { pageSize: 2, afterPage: () => outbox.flush() });
    // a: 1834·0.15 + 240·0.6 per 1M = 0.0004191; b: 1000·0.15 + 1000·0.6 = 0.00075; d: 1M · 0.8 per 1M = 0.8
    expect({ status: outcome.status, facts: outcome.facts, delta: formatDecimal(outcome.delta) }).toEqual({ status: 'done', facts: 3, delta: '0.8011691' });
    const after = await downstream();
    expect(after).toMatchObject({ total: '0.8011691', unpriced: 1 });
    const corrections = after.costs.filter((cost) => cost.kind === CostKind.CORRECTION);
    expect(corrections.map((cost) => [cost.tenant, cost.costId, cost.cost, cost.correctedBy, cost.catalogVersion])).toEqual(
      expect.arrayContaining([
        ['acme', `agent://support-bot|a#${recorded.streamSequence}`, '0.0004191', `catalog:${defaultCatalog.version}`, defaultCatalog.version],
        ['other', `agent://support-bot|b#${recorded.streamSequence}`, '0.00075', `catalog:${defaultCatalog.version}`, defaultCatalog.version],
      ]),
    );
    expect(corrections.find((cost) => cost.costId.includes('|a#'))?.breakdown).toMatchObject({ input: '0.0002751', output: '0.000144' });

    // Every later start-up runs it again: nothing moves.
    const messages = (await bus.jsm.streams.info(streamIn(bus.ns, STREAMS.costs.name))).state.messages;
    expect((await repriceForCatalogImport(db, deps, recorded)).status).toBe('already-done');
    await db.catalogRepricing.deleteMany();
    expect((await repriceForCatalogImport(db, deps, recorded, { afterPage: () => outbox.flush() })).facts).toBe(0);
    expect((await bus.jsm.streams.info(streamIn(bus.ns, STREAMS.costs.name))).state.messages).toBe(messages);
  });
});
