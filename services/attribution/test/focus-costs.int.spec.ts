import { fileURLToPath } from 'node:url';
import { CONSUMERS, DeadLetterPublisher, provisionConsumers } from '@agentledger/jetstream';
import { parseDecimal, sum } from '@agentledger/money';
import { ProjectionRunner, type QueryRequest } from '@agentledger/service-kit';
import { createTestBus, createTestDatabase, type TestBus, type TestDatabase } from '@agentledger/testing';
import type { FocusCostView } from '@agentledger/contracts';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { costEntriesProjection } from '../src/costs/cost-entries.projection.js';
import { costSummary } from '../src/costs/cost-queries.js';
import { focusCosts } from '../src/costs/focus-costs.js';
import { costMessage, pricedCost } from './priced-costs.js';

// The FOCUS export's source, on real NATS JetStream and PostgreSQL: priced costs and their
// re-pricing corrections projected as attribution projects them, then read back in keyset pages
// as the gateway reads them. The pages' costs sum exactly (decimal) to costSummary's totalCost
// for the same window, corrections included, whatever the page size.

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const DAY = { from: '2026-11-27T00:00:00Z', to: '2026-11-28T00:00:00Z' };
const HALF_HOUR = { from: '2026-11-27T09:15:00Z', to: '2026-11-27T09:45:00Z' };

describe('focusCosts against costSummary (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let db: PrismaClient;
  let runner: ProjectionRunner<unknown, never> | undefined;

  /** Every page of the window, `limit` events a page, following each page's last event. */
  async function allPages(window: { from: string; to: string }, limit: number): Promise<{ rows: FocusCostView[]; pages: number }> {
    const rows: FocusCostView[] = [];
    let pages = 0;
    for (;;) {
      const last = rows.at(-1);
      const page = await focusCosts(db, { tenant: 'acme', args: { ...window, limit, ...(last ? { after: { time: last.time, factKey: last.factKey } } : {}) } } satisfies QueryRequest);
      pages++;
      rows.push(...page);
      if (page.length < limit) return { rows, pages };
    }
  }
  const total = (rows: FocusCostView[]) => sum(rows.map((row) => parseDecimal(row.cost))).toFixed();
  const summary = async (window: { from: string; to: string }) => (await costSummary(db, { tenant: 'acme', args: window } satisfies QueryRequest)).totalCost;

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    db = schema.db;
    await provisionConsumers(bus.jsm, bus.ns, [CONSUMERS.attributionCosts]);
    await bus.publisher.publishAll([
      costMessage(bus.ns, pricedCost('acme', { id: 'a', cost: '0.0003423', time: '2026-11-27T00:00:00Z' })),
      costMessage(bus.ns, pricedCost('acme', { id: 'b', cost: '0.01', time: '2026-11-27T09:30:00Z', attempt: 2 })),
      costMessage(bus.ns, pricedCost('acme', { id: 'c', cost: '0.05775', time: '2026-11-27T09:30:00Z', escalatedFrom: 'gpt-4o-mini' })),
      costMessage(bus.ns, pricedCost('acme', { id: 'd', cost: '0.000000001', time: '2026-11-27T09:44:59.999Z', factType: 'tool.call', tool: 'kb-search' })),
      costMessage(bus.ns, pricedCost('acme', { id: 'e', cost: '12.5', time: '2026-11-27T23:59:59.999Z', factType: 'saas.usage' })),
      // Re-priced twice: the export's row is the event's cost after both corrections.
      costMessage(bus.ns, pricedCost('acme', { id: 'b', cost: '-0.0025', time: '2026-11-27T09:30:00Z', attempt: 2, correction: { revision: 1, previouslyPriced: true } })),
      costMessage(bus.ns, pricedCost('acme', { id: 'b', cost: '0.0001111', time: '2026-11-27T09:30:00Z', attempt: 2, correction: { revision: 2, previouslyPriced: true } })),
      // Unpriced, then priced by a correction.
      costMessage(bus.ns, pricedCost('acme', { id: 'u', cost: '0', time: '2026-11-27T15:00:00Z', priced: false })),
      costMessage(bus.ns, pricedCost('acme', { id: 'u', cost: '0.125', time: '2026-11-27T15:00:00Z', correction: { revision: 1, previouslyPriced: false } })),
      // Outside the window, and another tenant's.
      costMessage(bus.ns, pricedCost('acme', { id: 'late', cost: '7', time: '2026-11-28T00:00:00Z' })),
      costMessage(bus.ns, pricedCost('other', { id: 'a', cost: '5', time: '2026-11-27T09:30:00Z' })),
    ]);
    runner = new ProjectionRunner(
      { js: bus.js, jsm: bus.jsm, ns: bus.ns, db, service: 'attribution', deadLetters: new DeadLetterPublisher(bus.publisher, bus.ns) },
      costEntriesProjection,
    ) as ProjectionRunner<unknown, never>;
    runner.start();
    await runner.caughtUp();
  });

  afterAll(async () => {
    await runner?.stop();
    await schema?.cleanup();
    await bus?.cleanup();
  });

  it.each([1, 2, 4, 1_000])('the costs of every page of %i events sum exactly to costSummary.totalCost for the day', async (limit) => {
    const { rows, pages } = await allPages(DAY, limit);
    expect(rows.map((row) => row.factKey)).toEqual(['a', 'b', 'c', 'd', 'u', 'e'].map((id) => `agent://test|${id}`));
    expect(pages).toBe(Math.floor(6 / limit) + 1);
    expect(await summary(DAY)).toBe('12.690703401');
    expect(total(rows)).toBe('12.690703401');
  });

  it('nets each event’s corrections into its row', async () => {
    const { rows } = await allPages(DAY, 1_000);
    expect(Object.fromEntries(rows.map((row) => [row.factKey.split('|')[1], row.cost]))).toEqual({ a: '0.0003423', b: '0.0076111', c: '0.05775', d: '0.000000001', u: '0.125', e: '12.5' });
  });

  it('agrees with costSummary on a window that is not whole hours', async () => {
    const { rows } = await allPages(HALF_HOUR, 2);
    expect(total(rows)).toBe(await summary(HALF_HOUR));
    expect(total(rows)).toBe('0.065361101');
  });
});
