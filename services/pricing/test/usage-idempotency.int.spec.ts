import { jest } from '@jest/globals';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { factCodec, factKey } from '@agentledger/contracts';
import { eventPayloads, STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { applyOnce, projectionId } from '@agentledger/projections';
import { USAGE_PRICING_PROJECTION, usagePricingProjection } from '../src/costing/usage-pricing.projection.js';
import { createPricingHarness, supportBotCall, type PricingHarness } from './pricing-harness.js';

jest.setTimeout(30_000);

/** An llm.call of `inputTokens` on model m, priced at 2 per 1M input tokens. */
describe('priced_usage is the usage projection’s idempotency record (real NATS JetStream + PostgreSQL)', () => {
  let pricing: PricingHarness;

  beforeEach(async () => {
    pricing = await createPricingHarness();
    await pricing.setPrice({ provider: 'acme-ai', model: 'm', inputPer1M: '2', outputPer1M: '0', effectiveFrom: '2026-03-01T00:00:00Z' });
    pricing.startRepricing();
    await pricing.settled();
  });
  afterEach(() => pricing.cleanup());

  it('a batch half applied before, and a redelivered batch, record, price and publish each fact once; no ledger row', async () => {
    const projection = usagePricingProjection({ ns: pricing.bus.ns, catalogVersion: 'test' });
    const facts = [1n, 2n, 3n, 4n].map((millions) => supportBotCall(`u${millions}`, { inputTokens: millions * 1_000_000n }));
    const keyed = facts.map((fact) => ({ key: `${fact.tenant}|${factKey(fact.source, fact.eventId)}`, event: fact }));
    const applyBatch = (batch: typeof keyed) =>
      applyOnce(pricing.db, USAGE_PRICING_PROJECTION, batch, (tx, events) => projection.apply(tx as never, events), { idempotency: 'own-key' });
    // Costs are staged in bundles: the outbox's count is the sum of their items.
    const staged = async () => (await pricing.schema.query<{ n: number }>(`SELECT coalesce(sum((headers->>'AgentLedger-Items')::int), 0)::int AS n FROM outbox`))[0]!.n;
    const recorded = () => pricing.schema.query('SELECT fact_key, cost::text, revision FROM priced_usage ORDER BY fact_key');

    expect(await applyBatch(keyed.slice(0, 2))).toEqual({ applied: 2, skipped: 0 });
    expect(await staged()).toBe(2);
    // The whole batch, half of it applied before: only u3 and u4 are priced and staged.
    expect(await applyBatch(keyed)).toEqual({ applied: 2, skipped: 2 });
    expect(await staged()).toBe(4);
    const once = await recorded();
    expect(once).toEqual([
      { fact_key: 'agent://support-bot|u1', cost: '2', revision: 0 },
      { fact_key: 'agent://support-bot|u2', cost: '4', revision: 0 },
      { fact_key: 'agent://support-bot|u3', cost: '6', revision: 0 },
      { fact_key: 'agent://support-bot|u4', cost: '8', revision: 0 },
    ]);
    // Redelivered as it was, and with a fact twice in one batch: nothing recorded, nothing staged.
    expect(await applyBatch(keyed)).toEqual({ applied: 0, skipped: 4 });
    expect(await applyBatch([keyed[2]!, ...keyed])).toEqual({ applied: 0, skipped: 5 });
    expect(await staged()).toBe(4);
    expect(await recorded()).toEqual(once);
    expect(await pricing.schema.query('SELECT count(*)::int AS n FROM applied_key WHERE projection = $1', [projectionId(USAGE_PRICING_PROJECTION)])).toEqual([{ n: 0 }]);

    // The same facts on the stream, under new message ids (past the duplicate window): the live projection skips them all.
    await pricing.outbox.flush();
    for (const fact of facts) {
      const headers = natsHeaders();
      headers.set('Content-Type', factCodec.contentType);
      await pricing.bus.publisher.publish(subjects.fact(pricing.bus.ns, 'acme', 'llm_call'), factCodec.encode(fact), { msgID: `again|${fact.eventId}`, headers });
    }
    pricing.usageRunner();
    await pricing.settled();
    expect(await staged()).toBe(0);
    expect(await recorded()).toEqual(once);
    const costs = streamIn(pricing.bus.ns, STREAMS.costs.name);
    // Each cost published once, in whatever bundles.
    let published = 0;
    for (let seq = 1; seq <= (await pricing.bus.jsm.streams.info(costs)).state.last_seq; seq++) {
      const message = await pricing.bus.jsm.streams.getMessage(costs, { seq });
      if (message) published += eventPayloads({ data: message.data, headers: message.header }).length;
    }
    expect(published).toBe(4);
    expect(await pricing.downstream()).toMatchObject({ total: '20', unpricedCalls: 0 });
  });
});
