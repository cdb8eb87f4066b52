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
});
