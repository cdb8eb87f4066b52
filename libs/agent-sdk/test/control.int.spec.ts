import { Kvm, type KV } from '@nats-io/kv';
import type { Subscription } from '@nats-io/transport-node';
import { STREAMS, streamIn } from '@agentledger/jetstream';
import { createTestBus, eventually, type TestBus } from '@agentledger/testing';
import { AgentLedger, Blocked, ControlPlaneUnavailable, type PauseChange } from '../src/index.js';

// check/release against a responder on the contract's subjects standing in for budgeting (our own
// port); pauses against a real JetStream KV bucket of this test's namespace.
describe('AgentLedger control (real NATS)', () => {
  let bus: TestBus;
  let responder: Subscription | undefined;
  const requests: Array<{ subject: string; body: Record<string, unknown> }> = [];

  const answerOn = (verb: 'check' | 'release', answer: (body: Record<string, unknown>) => unknown) => {
    responder = bus.nc.subscribe(`${bus.ns.subjectPrefix}finops.control.${verb}.acme`, {
      callback: (_error, msg) => {
        const body = msg.json<Record<string, unknown>>();
        requests.push({ subject: msg.subject, body });
        msg.respond(JSON.stringify(answer(body)));
      },
    });
  };
  const connect = (options: Partial<Parameters<typeof AgentLedger.connect>[0]> = {}) =>
    AgentLedger.connect({ nc: bus.nc, tenant: 'acme', agentId: 'support-bot', team: 'support', subjectPrefix: bus.ns.subjectPrefix, flushIntervalMs: 0, checkTimeoutMs: 500, ...options });
  const allowing = (body: Record<string, unknown>) => ({
    decision: 'ALLOW',
    reservationId: 'res-1',
    reason: 'within 1 matching budget',
    paused: false,
    blockedBy: [],
    warnings: [],
    budgets: [{ id: 'b1', scope: 'TEAM', scopeId: 'support', limit: '5', spent: '1.2', reserved: body.estimatedCost, remaining: '3.755', enforcement: 'BLOCK' }],
  });

  beforeEach(async () => {
    bus = await createTestBus();
    requests.length = 0;
  });
  afterEach(async () => {
    responder?.unsubscribe();
    responder = undefined;
    await bus.cleanup();
  });

  it('checks on finops.control.check.<tenant> with the contract body and reads the reply', async () => {
    answerOn('check', allowing);
    const ledger = await connect({ workflow: 'resolve-ticket' });
    const reply = await ledger.check({ estimatedCost: '0.045', spanId: 'b7ad6b7169203331', ttlSeconds: 60 });
    expect(requests).toEqual([
      {
        subject: `${bus.ns.subjectPrefix}finops.control.check.acme`,
        body: { agentId: 'support-bot', team: 'support', workflow: 'resolve-ticket', estimatedCost: '0.045', spanId: 'b7ad6b7169203331', ttlSeconds: 60 },
      },
    ]);
    expect(reply).toEqual({ ...allowing({ estimatedCost: '0.045' }), spanId: 'b7ad6b7169203331', unavailable: false });
    await ledger.close();
  });

  it('turns an error reply into CheckRejected, and releases on finops.control.release.<tenant>', async () => {
    answerOn('check', () => ({ error: { code: 'BAD_REQUEST', message: 'estimatedCost: required for now' } }));
    const ledger = await connect();
    await expect(ledger.check({ provider: 'openai', model: 'gpt-4o', estimatedInputTokens: 1000, estimatedOutputTokens: 200 })).rejects.toMatchObject({
      name: 'CheckRejected',
      code: 'BAD_REQUEST',
    });
    expect(requests[0]!.body).toMatchObject({ provider: 'openai', model: 'gpt-4o', estimatedInputTokens: 1000, estimatedOutputTokens: 200 });
    responder!.unsubscribe();
    answerOn('release', (body) => ({ released: body.reservationId === 'res-1' }));
    expect(await ledger.release('res-1')).toEqual({ released: true });
    expect(await ledger.release('res-2')).toEqual({ released: false });
    expect(requests.slice(1).map((request) => [request.subject, request.body])).toEqual([
      [`${bus.ns.subjectPrefix}finops.control.release.acme`, { reservationId: 'res-1' }],
      [`${bus.ns.subjectPrefix}finops.control.release.acme`, { reservationId: 'res-2' }],
    ]);
    await ledger.close();
  });

  it('says when no control plane answers, or decides as onUnavailable says', async () => {
    const estimate = { estimatedCost: '0.01', spanId: 's1' };
    await expect((await connect()).check(estimate)).rejects.toBeInstanceOf(ControlPlaneUnavailable);
    await expect((await connect()).check(estimate)).rejects.toThrow(`no answer on ${bus.ns.subjectPrefix}finops.control.check.acme: is the budgeting service running?`);
    expect(await (await connect({ onUnavailable: 'allow' })).check(estimate)).toMatchObject({ decision: 'ALLOW', reservationId: null, unavailable: true, spanId: 's1' });
    expect(await (await connect({ onUnavailable: 'block' })).check(estimate)).toMatchObject({ decision: 'BLOCK', unavailable: true });
    await expect((await connect()).release('res-1')).rejects.toBeInstanceOf(ControlPlaneUnavailable);
  });

  it('gives up on a control plane that takes the request but never answers, after checkTimeoutMs', async () => {
    responder = bus.nc.subscribe(`${bus.ns.subjectPrefix}finops.control.check.acme`, { callback: () => undefined });
    await bus.nc.flush();
    const started = Date.now();
    await expect((await connect({ checkTimeoutMs: 300 })).check({ estimatedCost: '0.01' })).rejects.toBeInstanceOf(ControlPlaneUnavailable);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await (await connect({ checkTimeoutMs: 300, onUnavailable: 'block' })).check({ estimatedCost: '0.01' })).toMatchObject({ decision: 'BLOCK', unavailable: true });
  });

  it('guards a model call: the llm.call is published with the spanId the check reserved for', async () => {
    answerOn('check', allowing);
    const ledger = await connect();
    const answer = await ledger.guard({ estimatedCost: '0.045', provider: 'openai', model: 'gpt-4o-mini', traceId: 't1' }, async () => ({ result: 'hello', usage: { inputTokens: 1834, outputTokens: 240 } }));
    expect(answer).toBe('hello');
    await ledger.close();
    const spanId = requests[0]!.body.spanId as string;
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    const stream = streamIn(bus.ns, STREAMS.in.name);
    await eventually(async () => (await bus.jsm.streams.info(stream)).state.messages === 1);
    const [event] = JSON.parse(new TextDecoder().decode((await bus.jsm.streams.getMessage(stream, { seq: 1 }))!.data)) as Array<{ type: string; data: Record<string, unknown> }>;
    expect(event).toMatchObject({ type: 'llm.call', data: { agentId: 'support-bot', team: 'support', traceId: 't1', spanId, provider: 'openai', model: 'gpt-4o-mini', status: 'ok' } });

    responder!.unsubscribe();
    answerOn('check', () => ({ ...allowing({}), decision: 'BLOCK', reservationId: null, reason: 'budget b1 is exceeded (spent 5.1 of 5)', blockedBy: ['b1'] }));
    const blocked = await connect();
    await expect(blocked.guard({ estimatedCost: '0.045', provider: 'openai', model: 'gpt-4o-mini' }, async () => ({ result: 'never', usage: { inputTokens: 1, outputTokens: 1 } }))).rejects.toBeInstanceOf(Blocked);
  });

  describe('pauses in the control bucket', () => {
    let kv: KV;
    let bucket: string;
    beforeEach(async () => {
      bucket = `${bus.ns.streamPrefix}finops_control`;
      kv = await new Kvm(bus.js).create(bucket, { history: 1 });
    });
    afterEach(async () => {
      await kv.destroy();
    });

    it('hears the pauses in place, then each pause and resume, and answers isPaused at once', async () => {
      const pausedByBudget = { reason: 'budget b1 exceeded', by: 'budgeting', at: '2026-11-27T09:00:00.000Z', budgetId: 'b1' };
      await kv.put('paused.acme.team.support', JSON.stringify(pausedByBudget));
      await kv.put('paused.acme.agent.old-bot', JSON.stringify(pausedByBudget));
      await kv.delete('paused.acme.agent.old-bot');
      await kv.put('paused.globex.tenant._', JSON.stringify(pausedByBudget));
      const ledger = await connect({ controlBucket: bucket });
      const changes: PauseChange[] = [];
      const watch = await ledger.watchPauses((change) => changes.push(change));

      expect(changes).toEqual([{ type: 'paused', initial: true, pause: { scope: 'TEAM', scopeId: 'support', ...pausedByBudget } }]);
      expect(ledger.isPaused()).toBe(true);
      expect(ledger.isPaused({ team: 'sales' })).toBe(false);

      const byHand = { reason: 'looping on one ticket', by: 'ops@example.com', at: '2026-11-27T09:05:00.000Z', budgetId: null };
      // nats.js refuses `~` in a KV key, so a `~base64url` key is written on its subject.
      await bus.js.publish(`$KV.${bucket}.paused.acme.workflow.~cmVzb2x2ZSB0aWNrZXQ`, JSON.stringify(byHand));
      await eventually(() => changes.length === 2, 5_000, 'the workflow pause');
      expect(changes[1]).toEqual({ type: 'paused', initial: false, pause: { scope: 'WORKFLOW', scopeId: 'resolve ticket', ...byHand } });
      expect(ledger.pauseCovering({ team: 'sales', workflow: 'resolve ticket' })).toEqual({ scope: 'WORKFLOW', scopeId: 'resolve ticket', ...byHand });

      await kv.delete('paused.acme.team.support');
      await eventually(() => changes.length === 3, 5_000, 'the resume');
      expect(changes[2]).toEqual({ type: 'resumed', scope: 'TEAM', scopeId: 'support' });
      expect(ledger.isPaused()).toBe(false);
      expect(watch.pauses().map((pause) => pause.scope)).toEqual(['WORKFLOW']);

      await watch.stop();
      expect(() => ledger.isPaused()).toThrow('isPaused: call watchPauses() first');
      await ledger.close();
    });

    it('starts on an empty bucket, and says plainly when the bucket is missing', async () => {
      const ledger = await connect({ controlBucket: bucket });
      const watch = await ledger.watchPauses();
      expect(watch.pauses()).toEqual([]);
      await watch.stop();
      await expect((await connect({ controlBucket: `${bus.ns.streamPrefix}nope` })).watchPauses()).rejects.toThrow(`watchPauses: cannot open the control bucket "${bus.ns.streamPrefix}nope"`);
      await ledger.close();
    });
  });
});
