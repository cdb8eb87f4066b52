import { fileURLToPath } from 'node:url';
import { deleteBudgetCommand, pauseCommand, pricedCostCodec, resumeCommand, setBudgetCommand } from '@agentledger/contracts';
import { JetStreamAggregateStore } from '@agentledger/event-sourcing';
import { controlBucketIn, openControlBucket, putControlKey, readControlKey, STREAMS, streamIn, subjects } from '@agentledger/jetstream';
import { checkedRequest, OutboxRelay, sqlPool, type ProjectionRunner } from '@agentledger/service-kit';
import type pg from 'pg';
import { createTestBus, createTestDatabase, createTestProjection, eventually, type TestBus, type TestDatabase } from '@agentledger/testing';
import { Kvm, type KV, type KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { budgetEventCodec } from '../src/budgets/budget-wire.js';
import { budgetsProjection } from '../src/budgets/budgets.projection.js';
import { handleDeleteBudget, handleSetBudget, type BudgetCommandDeps } from '../src/budgets/set-budget.handler.js';
import { PreCallChecks } from '../src/checks/check.js';
import { parseCheckRequest, type CheckRequest } from '../src/checks/check-request.js';
import { handlePause, handleResume, listPausedScopes, type PauseCommandDeps } from '../src/pauses/pause.handler.js';
import { PauseMirror } from '../src/pauses/pause-mirror.js';
import { sweepBudgetPauses } from '../src/pauses/pause-sweeper.js';
import { spendProjection } from '../src/spend/spend.projection.js';
import { pricedCost } from './priced-costs.js';

const migrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const decoder = new TextDecoder();

describe('pauses: the record in Postgres, mirrored to the KV bucket finops_control (real NATS JetStream + PostgreSQL)', () => {
  let bus: TestBus;
  let schema: TestDatabase<PrismaClient>;
  let kv: KV;
  let mirror: PauseMirror;
  let runners: Array<ProjectionRunner<unknown, never>>;
  let budgetDeps: BudgetCommandDeps;
  let pauseDeps: PauseCommandDeps;
  let pool: pg.Pool;
  let checks: PreCallChecks;
  let now = new Date('2026-12-02T10:00:00Z');
  const clock = () => now;
  /** What a watching agent has seen: the latest operation per key. */
  let watcher: QueuedIterator<KvWatchEntry>;
  const watched = new Map<string, { operation: string; value?: unknown }>();

  beforeAll(async () => {
    bus = await createTestBus();
    schema = await createTestDatabase({ migrationsDir, createClient: (adapter) => new PrismaClient({ adapter }) });
    kv = await openControlBucket(bus.js, bus.ns);
    mirror = new PauseMirror({ db: schema.db, kv, js: bus.js, ns: bus.ns, pollMs: 50 });
    const outbox = new OutboxRelay({ db: schema.db, publisher: bus.publisher });
    const reactions = { ns: bus.ns, clock, afterCommit: () => void mirror.flush() };
    runners = [
      (await createTestProjection(bus, schema.db, 'budgeting', spendProjection(reactions) as never, undefined, outbox)) as never,
      (await createTestProjection(bus, schema.db, 'budgeting', budgetsProjection(reactions) as never, undefined, outbox)) as never,
    ];
    for (const runner of runners) runner.start();
    const store = new JetStreamAggregateStore({ js: bus.js, jsm: bus.jsm, publisher: bus.publisher, stream: streamIn(bus.ns, STREAMS.budgets.name), codec: budgetEventCodec });
    budgetDeps = { store, db: schema.db, ns: bus.ns, clock, pauses: mirror };
    pauseDeps = { db: schema.db, clock, mirror };
    pool = sqlPool({ connectionString: schema.connectionString, schema: schema.schema });
    checks = new PreCallChecks({ pool });
    watcher = await (await new Kvm(bus.js).open(controlBucketIn(bus.ns))).watch({ key: 'paused.acme.>' });
    void (async () => {
      for await (const entry of watcher) {
        watched.set(entry.key, { operation: entry.operation, value: entry.operation === 'PUT' ? JSON.parse(decoder.decode(entry.value)) : undefined });
      }
    })();
  }, 30_000);

  afterAll(async () => {
    watcher.stop();
    await mirror.stop();
    await pool.end();
    for (const runner of runners) await runner.stop();
    await new Kvm(bus.js).open(controlBucketIn(bus.ns)).then((bucket) => bucket.destroy());
    await schema.cleanup();
    await bus.cleanup();
  }, 30_000);

  const setBudget = (id: string, args: Record<string, unknown>) => handleSetBudget({ ...budgetDeps, newId: () => id }, checkedRequest(setBudgetCommand, { tenant: 'acme', actor: 'key:admin', args }));
  const pause = (args: Record<string, unknown>) => handlePause(pauseDeps, checkedRequest(pauseCommand, { tenant: 'acme', actor: 'key:admin', args }));
  const resume = (args: Record<string, unknown>) => handleResume(pauseDeps, checkedRequest(resumeCommand, { tenant: 'acme', actor: 'key:admin', args }));
  const check = (body: Record<string, unknown>) => checks.check('acme', parseCheckRequest(body) as CheckRequest, now);
  const keyValue = async (key: string) => {
    const value = await readControlKey(bus.jsm, bus.ns, key);
    return value ? JSON.parse(decoder.decode(value)) : null;
  };
  const spend = async (id: string, agentId: string, amount: string, time = now.toISOString()) => {
    await bus.publisher.publish(subjects.cost(bus.ns, 'acme', 'priced'), pricedCostCodec.encode(pricedCost('acme', id, amount, time, undefined, 'research', { agentId })), { msgID: id });
    for (const runner of runners) await runner.caughtUp();
    // The projection wakes the mirror after its commit, without waiting for it; a flush now waits for that write.
    await mirror.flush();
  };

  it('a pause by hand stops every check of its scope at once and is in the bucket when pause answers; resume lifts it', async () => {
    const paused = await pause({ scope: 'AGENT', scopeId: 'bot-1', reason: 'investigating a loop' });
    expect(paused).toEqual({ scope: 'AGENT', scopeId: 'bot-1', reason: 'investigating a loop', by: 'key:admin', budgetId: null, pausedAt: now.toISOString() });
    expect(await keyValue('paused.acme.agent.bot-1')).toEqual({ reason: 'investigating a loop', by: 'key:admin', at: now.toISOString(), budgetId: null });
    expect(await listPausedScopes(schema.db, 'acme')).toEqual([paused]);

    const blocked = await check({ agentId: 'bot-1', estimatedCost: '0.01', spanId: 's1' });
    expect(blocked).toMatchObject({ decision: 'BLOCK', paused: true, reservationId: null, blockedBy: [] });
    expect(blocked.reason).toContain('agent bot-1 is paused: investigating a loop');
    expect(await check({ agentId: 'bot-2', estimatedCost: '0.01' })).toMatchObject({ decision: 'ALLOW', paused: false });

    expect(await resume({ scope: 'AGENT', scopeId: 'bot-1' })).toBe(true);
    expect(await resume({ scope: 'AGENT', scopeId: 'bot-1' })).toBe(false);
    expect(await keyValue('paused.acme.agent.bot-1')).toBeNull();
    await eventually(() => watched.get('paused.acme.agent.bot-1')?.operation === 'DEL', 5_000, 'the watcher to see the resume');
    expect(await check({ agentId: 'bot-1', estimatedCost: '0.01' })).toMatchObject({ decision: 'ALLOW', paused: false });
    expect(await listPausedScopes(schema.db, 'acme')).toEqual([]);
  }, 30_000);

  it('keys follow part D: tenant scope `_`, scope ids outside [A-Za-z0-9_-] as ~base64url; every scope of a call counts', async () => {
    await pause({ scope: 'TENANT', scopeId: 'ignored', reason: 'month-end freeze' });
    await pause({ scope: 'WORKFLOW', scopeId: 'resolve ticket/v2', reason: 'bad prompt' });
    expect(await keyValue('paused.acme.tenant._')).toMatchObject({ reason: 'month-end freeze' });
    expect(await keyValue(`paused.acme.workflow.~${Buffer.from('resolve ticket/v2').toString('base64url')}`)).toMatchObject({ reason: 'bad prompt' });
    expect(await listPausedScopes(schema.db, 'acme')).toEqual([
      expect.objectContaining({ scope: 'TENANT', scopeId: null }),
      expect.objectContaining({ scope: 'WORKFLOW', scopeId: 'resolve ticket/v2' }),
    ]);
    expect(await check({ agentId: 'anyone' })).toMatchObject({ decision: 'BLOCK', paused: true });
    await resume({ scope: 'TENANT' });
    expect(await check({ agentId: 'anyone', workflow: 'resolve ticket/v2' })).toMatchObject({ decision: 'BLOCK', paused: true });
    expect(await check({ agentId: 'anyone', workflow: 'other' })).toMatchObject({ decision: 'ALLOW' });
    await resume({ scope: 'WORKFLOW', scopeId: 'resolve ticket/v2' });
    await expect(pause({ scope: 'TEAM', reason: 'x' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('scopeId') });
  }, 30_000);

  it('an exceeded BLOCK budget pauses its scope with its budgetId; raising the limit above spent lifts it before setBudget answers', async () => {
    await setBudget('runaway-daily', { scope: 'AGENT', scopeId: 'runaway', period: 'DAY', limit: '1.00', enforcement: 'BLOCK' });
    await spend('c1', 'runaway', '0.60');
    expect(await keyValue('paused.acme.agent.runaway')).toBeNull();
    await spend('c2', 'runaway', '0.40');
    const value = await keyValue('paused.acme.agent.runaway');
    expect(value).toMatchObject({ by: 'budget:runaway-daily', budgetId: 'runaway-daily' });
    expect(value.reason).toContain('spent 1 of 1 USD');
    await eventually(() => (watched.get('paused.acme.agent.runaway')?.value as { budgetId?: string } | undefined)?.budgetId === 'runaway-daily', 5_000, 'the watcher to see the pause');
    expect(await listPausedScopes(schema.db, 'acme')).toEqual([expect.objectContaining({ scope: 'AGENT', scopeId: 'runaway', budgetId: 'runaway-daily', by: 'budget:runaway-daily' })]);
    expect(await check({ agentId: 'runaway', estimatedCost: '0' })).toMatchObject({ decision: 'BLOCK', paused: true, blockedBy: ['runaway-daily'] });

    await setBudget('runaway-daily', { id: 'runaway-daily', scope: 'AGENT', scopeId: 'runaway', period: 'DAY', limit: '2.00', enforcement: 'BLOCK' });
    expect(await keyValue('paused.acme.agent.runaway')).toBeNull();
    expect(await check({ agentId: 'runaway', estimatedCost: '0.5' })).toMatchObject({ decision: 'ALLOW', paused: false });
    await eventually(() => watched.get('paused.acme.agent.runaway')?.operation === 'DEL', 5_000, 'the watcher to see the lift');
  }, 30_000);

  it('a budget set below what is already spent pauses at once; the pause lifts itself when the period rolls over', async () => {
    await setBudget('research-daily', { scope: 'TEAM', scopeId: 'research', period: 'DAY', limit: '0.50', enforcement: 'BLOCK' });
    expect(await keyValue('paused.acme.team.research')).toMatchObject({ budgetId: 'research-daily' });
    now = new Date('2026-12-03T00:00:05Z');
    await sweepBudgetPauses(schema.db, now, mirror);
    expect(await keyValue('paused.acme.team.research')).toBeNull();
    expect(await check({ agentId: 'runaway', team: 'research', estimatedCost: '0.1' })).toMatchObject({ decision: 'ALLOW', paused: false });
  }, 30_000);

  it('a pause by hand is never lifted by a budget; deleting a budget lifts only the pause it set', async () => {
    await spend('c3', 'runaway', '2.00');
    expect(await keyValue('paused.acme.agent.runaway')).toMatchObject({ budgetId: 'runaway-daily' });
    await pause({ scope: 'AGENT', scopeId: 'runaway', reason: 'held by finance' });
    await setBudget('runaway-daily', { id: 'runaway-daily', scope: 'AGENT', scopeId: 'runaway', period: 'DAY', limit: '100', enforcement: 'BLOCK' });
    expect(await keyValue('paused.acme.agent.runaway')).toMatchObject({ reason: 'held by finance', budgetId: null });
    await resume({ scope: 'AGENT', scopeId: 'runaway' });

    await setBudget('runaway-daily', { id: 'runaway-daily', scope: 'AGENT', scopeId: 'runaway', period: 'DAY', limit: '1', enforcement: 'BLOCK' });
    expect(await keyValue('paused.acme.agent.runaway')).toMatchObject({ budgetId: 'runaway-daily' });
    await handleDeleteBudget(budgetDeps, checkedRequest(deleteBudgetCommand, { tenant: 'acme', actor: 'key:admin', args: { id: 'runaway-daily' } }));
    expect(await keyValue('paused.acme.agent.runaway')).toBeNull();
  }, 30_000);

  it('the bucket is made to agree with the record: a lost key comes back, a stray key goes', async () => {
    await pause({ scope: 'ENVIRONMENT', scopeId: 'staging', reason: 'load test' });
    await kv.purge('paused.acme.environment.staging');
    await putControlKey(bus.js, bus.ns, 'paused.acme.agent.ghost', new TextEncoder().encode('{"reason":"stale","by":"x","at":"2026-01-01T00:00:00Z","budgetId":null}'));
    await mirror.reconcile();
    expect(await keyValue('paused.acme.environment.staging')).toMatchObject({ reason: 'load test' });
    expect(await keyValue('paused.acme.agent.ghost')).toBeNull();
  }, 30_000);

  it('two replicas writing the bucket for one key in any order end with the last committed state', async () => {
    const second = new PauseMirror({ db: schema.db, kv, js: bus.js, ns: bus.ns, pollMs: 10_000 });
    for (let round = 0; round < 20; round++) {
      const action = round % 2 === 0 ? pause({ scope: 'AGENT', scopeId: 'flappy', reason: `round ${round}` }) : resume({ scope: 'AGENT', scopeId: 'flappy' });
      await Promise.all([action, second.flush(), mirror.flush()]);
    }
    await Promise.all([second.flush(), mirror.flush()]);
    expect(await keyValue('paused.acme.agent.flappy')).toBeNull();
    await pause({ scope: 'AGENT', scopeId: 'flappy', reason: 'final' });
    await Promise.all([second.flush(), mirror.flush()]);
    expect(await keyValue('paused.acme.agent.flappy')).toMatchObject({ reason: 'final' });
  }, 30_000);
});
