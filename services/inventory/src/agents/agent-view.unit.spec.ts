import { agentView, matchesFilter, type AgentRow } from './agent-view.js';
import { parseIdleAfter } from './idle-after.js';

const now = new Date('2026-12-08T12:00:00Z');
const week = parseIdleAfter('7d')!;
const row = (overrides: Partial<AgentRow> = {}): AgentRow => ({
  agentId: 'a',
  firstSeen: new Date('2026-12-01T12:00:00Z'),
  lastSeen: new Date('2026-12-01T12:00:00Z'),
  eventTeam: 'support',
  saasVendor: null,
  models: ['gpt-4o', 'claude-sonnet-4'],
  tools: [],
  eventWorkflows: ['triage'],
  eventRegistration: {},
  commandRegistration: {},
  registrations: 0,
  ...overrides,
});

describe('agent view', () => {
  it('is ACTIVE exactly up to the idle threshold after its last activity, IDLE after, and IDLE when never seen', () => {
    expect(agentView(row(), now, week).status).toBe('ACTIVE');
    expect(agentView(row({ lastSeen: new Date('2026-12-01T11:59:59.999Z') }), now, week).status).toBe('IDLE');
    expect(agentView(row({ firstSeen: null, lastSeen: null }), now, week).status).toBe('IDLE');
  });

  it('without registration: internal, team from its events, unless it reported saas.usage', () => {
    expect(agentView(row(), now, week)).toMatchObject({ platform: 'internal', vendor: null, team: 'support', registered: false, models: ['claude-sonnet-4', 'gpt-4o'] });
    expect(agentView(row({ saasVendor: 'zendesk' }), now, week)).toMatchObject({ platform: 'saas', vendor: 'zendesk' });
  });

  it('registered fields win, the two origins merged by event time; retired is RETIRED with its time, and activity after it shows', () => {
    const view = agentView(
      row({
        registrations: 2,
        eventRegistration: { team: { value: 'care', at: '2026-11-01T00:00:00.000Z', key: 'e' }, workflows: { value: ['resolve-ticket'], at: '2026-11-01T00:00:00.000Z', key: 'e' } },
        commandRegistration: { lifecycle: { value: 'retired', at: '2026-11-30T00:00:00.000Z', key: 'c' }, platform: { value: 'internal', at: '2026-11-30T00:00:00.000Z', key: 'c' } },
        saasVendor: 'zendesk',
      }),
      now,
      week,
    );
    expect(view).toMatchObject({ team: 'care', platform: 'internal', vendor: 'zendesk', lifecycle: 'retired', status: 'RETIRED', retiredAt: '2026-11-30T00:00:00.000Z', activeAfterRetirement: true, registered: true, workflows: ['resolve-ticket', 'triage'] });
    expect(matchesFilter(view, { status: 'RETIRED', registered: true, team: 'care' })).toBe(true);
    expect(matchesFilter(view, { status: 'RETIRED', platform: 'saas' })).toBe(false);
  });

  it('reads the idle threshold in whole minutes, hours or days', () => {
    expect([parseIdleAfter('90m'), parseIdleAfter('36h'), parseIdleAfter('7d')]).toEqual([5_400_000, 129_600_000, 604_800_000]);
    expect([parseIdleAfter('7'), parseIdleAfter('0d'), parseIdleAfter('1.5h'), parseIdleAfter('P7D')]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
