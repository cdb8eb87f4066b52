import { jest } from '@jest/globals';
import { CONSUMERS, DeadLetterPublisher, provisionConsumers, provisionStreams, STREAMS, streamIn } from '@agentledger/jetstream';
import { applyOnce, appliedKeyHash, projectionId, type StreamMismatchError } from '@agentledger/projections';
import { ProjectionRunner } from '@agentledger/service-kit';
import { eventually } from '@agentledger/testing';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { factCodec, toTimestamp } from '@agentledger/contracts';
import { subjects } from '@agentledger/jetstream';
import { catalogProjection, CATALOG_PROJECTION, priceEventKey } from '../src/catalog/catalog.projection.js';
import { usagePricingProjection } from '../src/costing/usage-pricing.projection.js';
import { createPricingHarness, type PricingHarness } from './pricing-harness.js';

jest.setTimeout(30_000);

const PRICE = { provider: 'acme-ai', inputPer1M: '1', outputPer1M: '2', effectiveFrom: '2026-03-01T00:00:00Z' };

describe('price events keyed by their own identity, on the stream the catalog was built from (real NATS JetStream + PostgreSQL)', () => {
  let pricing: PricingHarness;

  beforeEach(async () => {
    pricing = await createPricingHarness();
  });

  const runners: Array<ProjectionRunner<unknown, never>> = [];
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await pricing.cleanup();
  });

  const models = async () =>
    (await pricing.schema.query<{ model: string; input_per_1m: string }>('SELECT model, input_per_1m::text FROM tenant_price ORDER BY model')).map((row) => `${row.model}=${Number(row.input_per_1m)}`);

  /** The price stream deleted and created again: a store lost or rebuilt, another nats-server over the same database. */
  async function recreatePriceStream(): Promise<void> {
    const { jsm, ns } = pricing.bus;
    await jsm.streams.delete(streamIn(ns, STREAMS.prices.name));
    await provisionStreams(jsm, ns, [STREAMS.prices]);
    await provisionConsumers(jsm, ns, [CONSUMERS.pricingCatalog]);
  }

  function catalogRunner(onMismatch?: (error: StreamMismatchError) => void, errors: string[] = [], definition: ReturnType<typeof catalogProjection> | ReturnType<typeof usagePricingProjection> = catalogProjection({})) {
    const { bus, db } = pricing;
    const logger = { info: () => undefined, warn: () => undefined, error: (msg: string, fields?: Record<string, unknown>) => void errors.push(`${msg}: ${String(fields?.reason)}`) };
    const runner = new ProjectionRunner(
      { js: bus.js, jsm: bus.jsm, ns: bus.ns, db, service: 'pricing', deadLetters: new DeadLetterPublisher(bus.publisher, bus.ns), outbox: pricing.outbox, logger, onStreamMismatch: onMismatch },
      definition as ReturnType<typeof catalogProjection>,
    );
    runners.push(runner as never);
    return runner;
  }

  it('a recreated price stream is refused loudly, its price neither applied nor skipped nor dead-lettered; rebuild takes it', async () => {
    const first = catalogRunner();
    first.start();
    await pricing.setPrice({ ...PRICE, model: 'old-store-model' });
    await first.caughtUp();
    await first.stop();
    expect(await models()).toEqual(['old-store-model=1']);

    await recreatePriceStream();
    const mismatches: StreamMismatchError[] = [];
    const errors: string[] = [];
    const runner = catalogRunner((error) => mismatches.push(error), errors);
    runner.start();
    await pricing.setPrice({ ...PRICE, model: 'new-store-model', inputPer1M: '3' });

    await eventually(() => runner.refused?.mismatch.kind === 'recreated');
    expect(mismatches).toHaveLength(1);
    expect(errors).toEqual([expect.stringMatching(/^stream recreated under the read model: projection stopped: stream .*FINOPS_PRICES was created at .*, but this read model was built from a stream created at /)]);
    await eventually(() => !runner.isBound);
    expect(await models()).toEqual(['old-store-model=1']);
    // Still on the stream for whoever resolves it: not acked, not dead-lettered.
    expect(await runner.backlog()).toBe(1);
    expect((await pricing.bus.jsm.streams.info(streamIn(pricing.bus.ns, STREAMS.deadLetters.name))).state.messages).toBe(0);

    await runner.rebuild();
    expect(runner.refused).toBeUndefined();
    expect(await models()).toEqual(['new-store-model=3']);
  });

  it('a database from before the stream was recorded meets a recreated stream: the new price is applied, not skipped as an old sequence', async () => {
    const first = catalogRunner();
    first.start();
    await pricing.setPrice({ ...PRICE, model: 'old-store-model' });
    await first.caughtUp();
    await first.stop();
    await recreatePriceStream();
    // As a database migrated from before `projection_stream` existed: only the applied keys remain.
    await pricing.schema.query('DELETE FROM projection_stream');

    const runner = catalogRunner();
    runner.start();
    await pricing.setPrice({ ...PRICE, model: 'new-store-model', inputPer1M: '3' });
    await runner.caughtUp();
    expect(runner.refused).toBeUndefined();
    expect(await models()).toEqual(['new-store-model=3', 'old-store-model=1']);
    // Keyed by the event's id (its Nats-Msg-Id), not its sequence: the new stream's price is in the ledger under that key.
    const ledger = await pricing.schema.query<{ key_hash: string }>(`SELECT encode(key_hash, 'hex') AS key_hash FROM applied_key WHERE projection = $1`, [projectionId(CATALOG_PROJECTION)]);
    expect(ledger).toHaveLength(2); // the old stream's price and the new one's
    const priceMsg = await pricing.bus.jsm.streams.getMessage(streamIn(pricing.bus.ns, STREAMS.prices.name), { seq: 1 });
    const key = priceEventKey({ headers: priceMsg!.header, data: priceMsg!.data });
    expect(key).toMatch(/^price:[0-9a-f-]{36}$/);
    expect(ledger.map((row) => row.key_hash)).toContain(appliedKeyHash(CATALOG_PROJECTION, key));
  });

  it('a read model keyed by event identity only (priced usage) reports a recreated facts stream loudly, then follows it', async () => {
    const publishCall = async (id: string) => {
      const time = toTimestamp(new Date('2026-03-05T10:00:00Z'));
      const fact = factCodec.create({
        schemaVersion: 1, tenant: 'acme', eventId: id, source: 'agent://bot', type: 'llm.call', time, receivedAt: time, common: { agentId: 'bot' },
        payload: { case: 'llmCall', value: { provider: 'acme-ai', model: 'none', usage: { inputTokens: 10n, outputTokens: 1n }, attempt: 1, reportedCost: '' } },
      });
      const headers = natsHeaders();
      headers.set('Content-Type', factCodec.contentType);
      await pricing.bus.publisher.publish(subjects.fact(pricing.bus.ns, 'acme', 'llm_call'), factCodec.encode(fact), { msgID: `acme|${id}`, headers });
    };
    const usage = () => usagePricingProjection({ ns: pricing.bus.ns, catalogVersion: 'test' });
    const first = catalogRunner(undefined, [], usage());
    first.start();
    await publishCall('before');
    await first.caughtUp();
    await first.stop();
    const { jsm, ns } = pricing.bus;
    await jsm.streams.delete(streamIn(ns, STREAMS.facts.name));
    await provisionStreams(jsm, ns, [STREAMS.facts]);
    await provisionConsumers(jsm, ns, [CONSUMERS.pricingFacts]);

    const mismatches: StreamMismatchError[] = [];
    const errors: string[] = [];
    const runner = catalogRunner((error) => mismatches.push(error), errors, usage());
    runner.start();
    await publishCall('after');
    await runner.caughtUp();
    expect(runner.refused).toBeUndefined();
    expect(mismatches.map((error) => error.mismatch.kind)).toEqual(['recreated']);
    expect(errors).toEqual([expect.stringMatching(/^stream recreated under the read model: followed, its keys are event identities: .*FINOPS_FACTS created at .*, recorded /)]);
    const keys = await pricing.schema.query<{ fact_key: string }>('SELECT fact_key FROM priced_usage ORDER BY fact_key');
    expect(keys.map((row) => row.fact_key)).toEqual(['agent://bot|after', 'agent://bot|before']);
  });

  it('an older price delivered after a newer one (reordered, then redelivered) never replaces it', async () => {
    const { bus, db } = pricing;
    await pricing.setPrice({ ...PRICE, model: 'm', inputPer1M: '1.5' });
    await pricing.setPrice({ ...PRICE, model: 'm', inputPer1M: '2.5' });
    const projection = catalogProjection({});
    const stream = streamIn(bus.ns, STREAMS.prices.name);
    const consumer = await bus.js.consumers.get(stream);
    const [older, newer] = [(await consumer.next())!, (await consumer.next())!].map((msg) => projection.decode(msg)!);
    await consumer.delete();
    const apply = (event: typeof older) => applyOnce(db, CATALOG_PROJECTION, [event], (tx, events) => projection.apply(tx as never, events));

    expect(await apply(newer)).toEqual({ applied: 1, skipped: 0 });
    expect(await apply(older)).toEqual({ applied: 1, skipped: 0 });
    expect(await apply(older)).toEqual({ applied: 0, skipped: 1 });
    expect(await apply(newer)).toEqual({ applied: 0, skipped: 1 });
    expect(await models()).toEqual(['m=2.5']);
    // Both decisions stay in the audit trail, in stream order.
    const history = await pricing.schema.query<{ input_per_1m: string }>('SELECT input_per_1m::text FROM price_history ORDER BY stream_sequence');
    expect(history.map((row) => Number(row.input_per_1m))).toEqual([1.5, 2.5]);
  });
});
