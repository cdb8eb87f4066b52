import { fileURLToPath } from 'node:url';
import { jetstream } from '@nats-io/jetstream';
import { CostKind, factCodec, pricedCostCodec, setPriceCommand, setUnitPriceCommand, toTimestamp, type CanonicalFact, type Contract, type PricedCost } from '@agentledger/contracts';
import { JetStreamAggregateStore } from '@agentledger/event-sourcing';
import { CONSUMERS, DeadLetterPublisher, eventPayloads, provisionConsumers, STREAMS, streamIn } from '@agentledger/jetstream';
import { formatDecimal, parseDecimal, sum } from '@agentledger/money';
import { checkedRequest, OutboxRelay, ProjectionRunner } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, type TestBus, type TestDatabase } from '@agentledger/testing';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { catalogProjection } from '../src/catalog/catalog.projection.js';
import type { DefaultCatalog } from '@agentledger/model-pricing';
import { usagePricingProjection } from '../src/costing/usage-pricing.projection.js';
import { handleSetPrice } from '../src/prices/set-price.handler.js';
import { priceEventCodec } from '../src/prices/price-wire.js';
import { RepricingProcessor } from '../src/repricing/repricing-processor.js';
import { handleSetUnitPrice } from '../src/unit-prices/set-unit-price.handler.js';
import { unitPriceEventCodec } from '../src/unit-prices/unit-price-wire.js';

/** An `llm.call` of tenant acme's support-bot at 2026-03-05T10:00Z, on provider acme-ai, with so many input tokens and none out. */
export function supportBotCall(id: string, { model = 'm', inputTokens = 1000n }: { model?: string; inputTokens?: bigint } = {}): CanonicalFact {
  const at = toTimestamp(new Date('2026-03-05T10:00:00Z'));
  return factCodec.create({
    schemaVersion: 1,
    tenant: 'acme',
    eventId: id,
    source: 'agent://support-bot',
    type: 'llm.call',
    time: at,
    receivedAt: at,
    common: { agentId: 'support-bot' },
    payload: { case: 'llmCall', value: { provider: 'acme-ai', model, usage: { inputTokens, outputTokens: 0n }, attempt: 1, reportedCost: '' } },
  });
}

export const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

/** What a downstream ledger sees: every cost once by (tenant, cost_id), corrections as deltas. */
export interface Downstream {
  total: string;
  unpricedCalls: number;
  costs: PricedCost[];
}

/** Pricing's parts wired on a test bus and schema, as the service wires them (real NATS and Postgres). */
export interface PricingHarness {
  readonly bus: TestBus;
  readonly schema: TestDatabase<PrismaClient>;
  readonly db: PrismaClient;
  readonly outbox: OutboxRelay;
  readonly repricer: RepricingProcessor;
  usageRunner(): ProjectionRunner<unknown, never>;
  catalogRunner(): ProjectionRunner<unknown, never>;
  /** Starts the re-pricing processor (and the catalog projection it follows). */
  startRepricing(): void;
  setPrice(args: Record<string, string | null>, tenant?: string, at?: string): ReturnType<typeof handleSetPrice>;
  setUnitPrice(args: Record<string, string | null>, tenant?: string, actor?: string, at?: string): ReturnType<typeof handleSetUnitPrice>;
  /** Drops the catalog read model and replays the price stream (the `rebuild` command), then settles. */
  rebuildCatalog(): Promise<void>;
  /** Every price event projected, every re-pricing job done, every staged message published. */
  settled(): Promise<void>;
  downstream(tenant?: string): Promise<Downstream>;
  cleanup(): Promise<void>;
}

export async function createPricingHarness(options: { catalog?: DefaultCatalog; catalogVersion?: string; pageSize?: number } = {}): Promise<PricingHarness> {
  const bus = await createTestBus();
  const schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
  const db = schema.db;
  await provisionConsumers(bus.jsm, bus.ns, [CONSUMERS.pricingCatalog, CONSUMERS.pricingFacts]);
  const repricing = { ns: bus.ns, catalog: options.catalog, catalogVersion: options.catalogVersion ?? options.catalog?.version ?? 'test' };
  const outbox = new OutboxRelay({ db, publisher: bus.publisher, pollMs: 100 });
  const repricer = new RepricingProcessor({ db, deps: repricing, outbox, pageSize: options.pageSize, idleMs: 20 });
  const deps = { js: bus.js, jsm: bus.jsm, ns: bus.ns, db, service: 'pricing', deadLetters: new DeadLetterPublisher(bus.publisher, bus.ns), outbox };
  const runners: Array<ProjectionRunner<unknown, never>> = [];
  const start = (runner: ProjectionRunner<unknown, never>) => {
    runners.push(runner);
    runner.start();
    return runner;
  };
  let catalog: ProjectionRunner<unknown, never> | undefined;
  const catalogRunner = () => (catalog = start(new ProjectionRunner(deps, catalogProjection(repricing)) as never));
  const prices = { js: jetstream(bus.nc), jsm: bus.jsm, publisher: bus.publisher, stream: streamIn(bus.ns, STREAMS.prices.name) };
  const modelPrices = new JetStreamAggregateStore({ ...prices, codec: priceEventCodec });
  const unitPrices = new JetStreamAggregateStore({ ...prices, codec: unitPriceEventCodec });
  /** A request as the query server hands it over: its args checked by the contract's schema. */
  const request = <C extends Contract>(contract: C, tenant: string, actor: string, args: object) => checkedRequest(contract, { tenant, actor, args });
  let repricingStarted = false;

  const settled = async () => {
    for (const runner of runners) await runner.caughtUp();
    await repricer.idle();
    await outbox.flush();
  };
  return {
    bus,
    schema,
    db,
    outbox,
    repricer,
    usageRunner: () => start(new ProjectionRunner(deps, usagePricingProjection(repricing)) as never),
    catalogRunner,
    startRepricing() {
      if (repricingStarted) return;
      repricingStarted = true;
      if (!catalog) catalogRunner();
      repricer.start();
    },
    setPrice: (args, tenant = 'acme', at = '2026-03-05T09:00:00Z') =>
      handleSetPrice({ store: modelPrices, ns: bus.ns, clock: () => new Date(at) }, request(setPriceCommand, tenant, 'key:admin', args)),
    setUnitPrice: (args, tenant = 'acme', actor = 'key:admin', at = '2026-03-05T09:00:00Z') =>
      handleSetUnitPrice({ store: unitPrices, ns: bus.ns, clock: () => new Date(at) }, request(setUnitPriceCommand, tenant, actor, args)),
    async rebuildCatalog() {
      await (catalog ?? catalogRunner()).rebuild();
      await settled();
    },
    settled,
    async downstream(tenant = 'acme') {
      const costs = await readCosts(bus, tenant);
      let unpricedCalls = 0;
      for (const cost of costs) {
        if (cost.kind === CostKind.PRICED && !cost.priced) unpricedCalls++;
        if (cost.kind === CostKind.CORRECTION && cost.previouslyPriced !== cost.priced) unpricedCalls += cost.priced ? -1 : 1;
      }
      return { total: formatDecimal(sum(costs.map((cost) => parseDecimal(cost.cost)))), unpricedCalls, costs };
    },
    async cleanup() {
      await repricer.stop();
      for (const runner of runners) await runner.stop();
      await outbox.stop();
      await schema.cleanup();
      await bus.cleanup();
    },
  };
}

/** The tenant's costs on FINOPS_COSTS in stream order, each cost_id once (as every downstream ledger keeps them). */
export async function readCosts(bus: TestBus, tenant: string): Promise<PricedCost[]> {
  const stream = streamIn(bus.ns, STREAMS.costs.name);
  const last = (await bus.jsm.streams.info(stream)).state.last_seq;
  const seen = new Map<string, PricedCost>();
  if (last === 0) return [];
  const consumer = await bus.js.consumers.get(stream);
  try {
    for (;;) {
      const msg = await consumer.next({ expires: 5_000 });
      if (!msg) throw new Error('reading the costs stream timed out');
      for (const bytes of eventPayloads(msg)) {
        const cost = pricedCostCodec.decode(bytes);
        if (cost.tenant === tenant && !seen.has(cost.costId)) seen.set(cost.costId, cost);
      }
      if (msg.seq >= last) break;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
  return [...seen.values()];
}
