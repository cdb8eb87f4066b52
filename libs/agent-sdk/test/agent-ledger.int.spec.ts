import { STREAMS, streamIn } from '@agentledger/jetstream';
import { createTestBus, eventually, type TestBus } from '@agentledger/testing';
import { AgentLedger } from '../src/index.js';

describe('AgentLedger (real NATS JetStream)', () => {
  let bus: TestBus;
  beforeEach(async () => {
    bus = await createTestBus();
  });
  afterEach(async () => {
    await bus.cleanup();
  });

  it('batches events and publishes them to finops.in.<tenant>.batch with an ack, once per batch', async () => {
    const ledger = await AgentLedger.connect({ nc: bus.nc, tenant: 'acme', agentId: 'support-bot', team: 'support', subjectPrefix: bus.ns.subjectPrefix, maxBatch: 2, flushIntervalMs: 0 });
    ledger.runStarted({ traceId: 't1', workflow: 'resolve-ticket' });
    ledger.llmCall({ traceId: 't1', spanId: 's1', provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1834, outputTokens: 240 } });
    ledger.outcome({ traceId: 't1', outcome: 'ticket_resolved' });
    await ledger.close();
    const stream = streamIn(bus.ns, STREAMS.in.name);
    await eventually(async () => (await bus.jsm.streams.info(stream)).state.messages === 2);
    const first = (await bus.jsm.streams.getMessage(stream, { seq: 1 }))!;
    expect(first.subject).toBe(`${bus.ns.subjectPrefix}finops.in.acme.batch`);
    expect(first.header.get('Content-Type')).toBe('application/cloudevents-batch+json');
    const events = JSON.parse(new TextDecoder().decode(first.data)) as Array<{ type: string; source: string; data: Record<string, unknown> }>;
    expect(events.map((event) => event.type)).toEqual(['run.started', 'llm.call']);
    expect(events[1]).toMatchObject({ source: 'agent://support-bot', data: { agentId: 'support-bot', team: 'support', model: 'gpt-4o-mini' } });
  });

  it("splits a batch larger than the server's max payload into messages that fit, and drops (and counts) an event no message can carry", async () => {
    const drops: string[] = [];
    const ledger = await AgentLedger.connect({ nc: bus.nc, tenant: 'acme', agentId: 'bot', subjectPrefix: bus.ns.subjectPrefix, maxBatch: 1_000, flushIntervalMs: 0, onDrop: (reason, event) => drops.push(`${reason}:${event.id}`) });
    const note = 'x'.repeat(8_000);
    ledger.outcome({ traceId: 't1', outcome: 'too_big', attributes: { note: 'y'.repeat(1_100_000) } }, { id: 'huge' });
    for (let i = 0; i < 300; i++) ledger.outcome({ traceId: 't1', outcome: 'done', attributes: { note } }, { id: `e${i}` });
    await ledger.close();
    const stream = streamIn(bus.ns, STREAMS.in.name);
    const info = await bus.jsm.streams.info(stream);
    const ids: string[] = [];
    for (let seq = 1; seq <= info.state.last_seq; seq++) {
      const msg = (await bus.jsm.streams.getMessage(stream, { seq }))!;
      expect(msg.data.length).toBeLessThanOrEqual(bus.nc.info!.max_payload - 4 * 1024);
      ids.push(...(JSON.parse(new TextDecoder().decode(msg.data)) as Array<{ id: string }>).map((event) => event.id));
    }
    // 300 events of about 8 KB: 2.4 MB, three messages under 1 MiB each.
    expect(info.state.messages).toBe(3);
    expect(ids).toEqual(Array.from({ length: 300 }, (_, i) => `e${i}`));
    expect(drops).toEqual(['oversize:huge']);
    expect(ledger.stats()).toEqual({ queued: 0, queuedBytes: 0, published: 300, dropped: { queue_full: 0, oversize: 1 } });
  });
});
