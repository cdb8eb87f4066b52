import { PauseBoard } from './pauses.js';

const put = (key: string, value: object | string) => ({ key, operation: 'PUT' as const, value: typeof value === 'string' ? value : JSON.stringify(value) });
const del = (key: string) => ({ key, operation: 'DEL' as const, value: '' });
const byHand = { reason: 'incident 42', by: 'ops@example.com', at: '2026-11-27T09:00:00Z', budgetId: null };

describe('PauseBoard', () => {
  it('reports a pause with its scope decoded, and its resume', () => {
    const board = new PauseBoard('acme');
    expect(board.apply(put('paused.acme.workflow.~cmVzb2x2ZSB0aWNrZXQ', { ...byHand, budgetId: 'b1' }), true)).toEqual({
      type: 'paused',
      initial: true,
      pause: { scope: 'WORKFLOW', scopeId: 'resolve ticket', reason: 'incident 42', by: 'ops@example.com', at: '2026-11-27T09:00:00Z', budgetId: 'b1' },
    });
    expect(board.pauses()).toHaveLength(1);
    expect(board.apply(del('paused.acme.workflow.~cmVzb2x2ZSB0aWNrZXQ'), false)).toEqual({ type: 'resumed', scope: 'WORKFLOW', scopeId: 'resolve ticket' });
    expect(board.pauses()).toEqual([]);
  });

  it('ignores the tombstone of a pause it never saw, other tenants and keys that are not pauses', () => {
    const board = new PauseBoard('acme');
    expect(board.apply(del('paused.acme.team.support'), true)).toBeUndefined();
    expect(board.apply(put('paused.globex.tenant._', byHand), false)).toBeUndefined();
    expect(board.apply(put('paused.acme.project.x', byHand), false)).toBeUndefined();
    expect(board.pauses()).toEqual([]);
  });

  it('takes a key with an unreadable value as paused all the same', () => {
    const board = new PauseBoard('acme');
    board.apply(put('paused.acme.tenant._', 'not json'), false);
    expect(board.pauses()).toEqual([{ scope: 'TENANT', scopeId: null, reason: 'paused', by: 'unknown', at: '', budgetId: null }]);
  });

  it.each([
    ['paused.acme.tenant._', {}],
    ['paused.acme.agent.support-bot', { agentId: 'support-bot' }],
    ['paused.acme.team.support', { agentId: 'x', team: 'support' }],
    ['paused.acme.workflow.resolve-ticket', { agentId: 'x', workflow: 'resolve-ticket' }],
    ['paused.acme.environment.production', { agentId: 'x' }],
    ['paused.acme.environment.staging', { agentId: 'x', environment: 'staging' }],
  ])('%s covers %j', (key, agent) => {
    const board = new PauseBoard('acme');
    board.apply(put(key, byHand), false);
    expect(board.covering(agent)?.reason).toBe('incident 42');
  });

  it.each([
    ['paused.acme.agent.support-bot', { agentId: 'lead-bot', team: 'support-bot' }],
    ['paused.acme.team.support', { agentId: 'x', team: 'sales' }],
    ['paused.acme.environment.production', { agentId: 'x', environment: 'staging' }],
    ['paused.acme.workflow.resolve-ticket', { agentId: 'x' }],
  ])('%s does not cover %j', (key, agent) => {
    const board = new PauseBoard('acme');
    board.apply(put(key, byHand), false);
    expect(board.covering(agent)).toBeUndefined();
  });
});
