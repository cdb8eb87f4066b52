// The server writes these keys with libs/jetstream's pauseKey; the SDK (published on its own) has
// its own codec, and this checks the two agree, key for key.
import { pauseKey as serverPauseKey, scopeOfPauseKey as serverScopeOfPauseKey } from '@agentledger/jetstream';
import { pauseKey, pauseKeysOf, scopeOfPauseKey, type PauseScope } from './pause-key.js';

const EXAMPLES: Array<[PauseScope, string | null, string]> = [
  ['TENANT', null, 'paused.acme.tenant._'],
  ['TEAM', 'support', 'paused.acme.team.support'],
  ['AGENT', 'support-bot_2', 'paused.acme.agent.support-bot_2'],
  ['WORKFLOW', 'resolve ticket', 'paused.acme.workflow.~cmVzb2x2ZSB0aWNrZXQ'],
  ['ENVIRONMENT', 'prod.eu', 'paused.acme.environment.~cHJvZC5ldQ'],
  ['AGENT', 'bücher/bot', 'paused.acme.agent.~YsO8Y2hlci9ib3Q'],
];

describe('pause keys', () => {
  it.each(EXAMPLES)('%s %j is %s, as the server writes it, and reads back', (scope, scopeId, key) => {
    expect(pauseKey('acme', scope, scopeId)).toBe(key);
    expect(serverPauseKey('acme', scope, scopeId)).toBe(key);
    expect(scopeOfPauseKey(key)).toEqual({ tenant: 'acme', scope, scopeId });
    expect(serverScopeOfPauseKey(key)).toEqual({ tenant: 'acme', scope, scopeId });
  });

  it('watches one tenant', () => {
    expect(pauseKeysOf('acme')).toBe('paused.acme.>');
  });

  it('ignores keys that are not pauses', () => {
    for (const key of ['budget.acme.x', 'paused.acme', 'paused.acme.team', 'paused.acme.team.a.b', 'paused.acme.project.x', 'paused.acme.TEAM.x']) {
      expect(scopeOfPauseKey(key)).toBeUndefined();
    }
  });

  it('refuses a scope without its id, or an unknown scope', () => {
    expect(() => pauseKey('acme', 'TEAM', null)).toThrow('pauseKey: a TEAM scope needs a scopeId');
    expect(() => pauseKey('acme', 'PROJECT' as PauseScope, 'x')).toThrow('pauseKey: unknown scope "PROJECT"');
  });
});
