import { jest } from '@jest/globals';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { factCodec } from '@agentledger/contracts';
import { DEAD_LETTER_REASON_HEADER, STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { eventually } from '@agentledger/testing';
import { createPricingHarness, supportBotCall, type PricingHarness } from './pricing-harness.js';

jest.setTimeout(30_000);

describe('a computed cost no read model could hold is dead-lettered at pricing (real NATS JetStream + PostgreSQL)', () => {
  let pricing: PricingHarness;

  beforeEach(async () => {
    pricing = await createPricingHarness();
  });
  afterEach(() => pricing.cleanup());

  async function publishCall(id: string, model: string, inputTokens: number, msgID = `acme|${id}`) {
    const fact = supportBotCall(id, { model, inputTokens: BigInt(inputTokens) });
    const headers = natsHeaders();
    headers.set('Content-Type', factCodec.contentType);
    await pricing.bus.publisher.publish(subjects.fact(pricing.bus.ns, 'acme', 'llm_call'), factCodec.encode(fact), { msgID, headers });
  }

  /** A call of 2,000,000,000 input tokens priced at 2 per million, then a price that would make it cost past the bound. */
  async function bigCallThenDearPrice(): Promise<string> {
    const at = { provider: 'acme-ai', outputPer1M: '0', effectiveFrom: '2026-03-01T00:00:00Z' };
    await pricing.setPrice({ ...at, model: 'm', inputPer1M: '2' });
    pricing.startRepricing();
    await pricing.settled();
    await publishCall('big', 'm', 2_000_000_000);
    pricing.usageRunner();
    await pricing.settled();
    const total = (await pricing.downstream()).total;
    await pricing.setPrice({ ...at, model: 'm', inputPer1M: '999999999999999' });
    await pricing.settled();
    return total;
  }

  it('price × tokens past the amount bound: that call dead-lettered with the reason, the others of its batch priced', async () => {
    const at = { provider: 'acme-ai', outputPer1M: '0', effectiveFrom: '2026-03-01T00:00:00Z' };
    await pricing.setPrice({ ...at, model: 'dear', inputPer1M: '999999999999999' });
    await pricing.setPrice({ ...at, model: 'cheap', inputPer1M: '2' });
    pricing.startRepricing();
    await pricing.settled();
    await publishCall('ok-1', 'cheap', 1_000_000);
    await publishCall('overflow', 'dear', 2_000_000_000);
    await publishCall('ok-2', 'dear', 1);
    pricing.usageRunner();
    await pricing.settled();

    const downstream = await pricing.downstream();
    expect(downstream.costs.map((cost) => [cost.factKey, cost.cost])).toEqual([
      ['agent://support-bot|ok-1', '2'],
      ['agent://support-bot|ok-2', '999999999.999999'],
    ]);
    const dlq = streamIn(pricing.bus.ns, STREAMS.deadLetters.name);
    await eventually(async () => (await pricing.bus.jsm.streams.info(dlq)).state.messages === 1);
    const letter = await pricing.bus.jsm.streams.getMessage(dlq, { seq: 1 });
    expect(letter!.header.get(DEAD_LETTER_REASON_HEADER)).toBe(
      'the cost of llm.call agent://support-bot|overflow (1999999999999998000) is not below 10^15: no read model can hold it; check the usage and the price ' +
        (await pricing.schema.query<{ ref: string }>("SELECT price_ref AS ref FROM priced_usage WHERE fact_key = 'agent://support-bot|ok-2'"))[0]!.ref,
    );
    expect(await pricing.schema.query("SELECT fact_key FROM priced_usage WHERE fact_key = 'agent://support-bot|overflow'")).toEqual([]);
  });

  it('a price set later that would make a recorded call cost past the bound re-prices it to unpriced, never to a correction no ledger can hold', async () => {
    expect(await bigCallThenDearPrice()).toBe('4000');
    const downstream = await pricing.downstream();
    expect(downstream.costs.map((cost) => [cost.costId.replace(/#\d+$/, '#rev'), cost.cost, cost.priced])).toEqual([
      ['agent://support-bot|big', '4000', true],
      ['agent://support-bot|big#rev', '-4000', false],
    ]);
    expect(downstream).toMatchObject({ total: '0', unpricedCalls: 1 });
  });

  it('a recorded call delivered again after such a price is skipped as already priced, not dead-lettered', async () => {
    await bigCallThenDearPrice();
    const before = (await pricing.downstream()).costs.length;

    // The same fact again under another msgID (published again after the duplicate window), batched with a new one.
    await publishCall('big', 'm', 2_000_000_000, 'acme|big|again');
    await publishCall('small', 'm', 1);
    await pricing.settled();

    const after = await pricing.downstream();
    expect(after.costs.slice(before).map((cost) => [cost.factKey, cost.cost])).toEqual([['agent://support-bot|small', '999999999.999999']]);
    expect((await pricing.bus.jsm.streams.info(streamIn(pricing.bus.ns, STREAMS.deadLetters.name))).state.messages).toBe(0);
  });
});
