import { cloudEvent } from './events.js';

describe('cloudEvent', () => {
  it('builds a CloudEvents 1.0 event with defaults merged under the event’s own fields', () => {
    const event = cloudEvent(
      'llm.call',
      { provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1834, outputTokens: 240 }, team: 'support-eu' },
      { source: 'agent://support-bot', agentId: 'support-bot', team: 'support' },
      { id: 'e1', time: new Date('2026-11-27T09:00:00Z') },
    );
    expect(event).toEqual({
      specversion: '1.0',
      id: 'e1',
      source: 'agent://support-bot',
      type: 'llm.call',
      time: '2026-11-27T09:00:00.000Z',
      datacontenttype: 'application/json',
      data: { agentId: 'support-bot', team: 'support-eu', provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1834, outputTokens: 240 } },
    });
  });

  it('refuses an event without an agent', () => {
    expect(() => cloudEvent('run.started', {}, { source: 'agent://x' })).toThrow('run.started: agentId is required');
  });
});
