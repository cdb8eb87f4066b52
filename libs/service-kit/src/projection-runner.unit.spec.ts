import { CONSUMERS } from '@agentledger/jetstream';
import { ProjectionRunner, type ProjectionDeps } from './projection-runner.js';
import type { SqlExecutor } from '@agentledger/projections';

/** A runner whose backlog is what the test says (no NATS is reached: nothing is started). */
function runnerWithBacklog(backlogs: () => number) {
  const runner = new ProjectionRunner<never, SqlExecutor>({ ns: { subjectPrefix: '', streamPrefix: '' }, service: 'test' } as unknown as ProjectionDeps<SqlExecutor>, {
    name: 'test',
    consumer: CONSUMERS.pricingFacts,
    tables: [],
    decode: () => undefined,
    apply: async () => undefined,
  });
  return Object.assign(runner, { backlog: async () => backlogs() });
}

describe('ProjectionRunner.caughtUp', () => {
  it('waits past the stall limit as long as the backlog shrinks', async () => {
    let backlog = 40;
    const runner = runnerWithBacklog(() => Math.max(0, backlog--));
    const started = Date.now();
    await runner.caughtUp(200);
    // 40 polls 50 ms apart: about 2 s, ten times the stall limit.
    expect(Date.now() - started).toBeGreaterThan(1_000);
  });

  it('gives up when the backlog stops shrinking, saying how much is left', async () => {
    const runner = runnerWithBacklog(() => 7);
    await expect(runner.caughtUp(300)).rejects.toThrow('test made no progress for 300 ms (7 messages left)');
  });
});
