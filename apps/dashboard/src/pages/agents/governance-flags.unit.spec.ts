import { flagsOf } from './governance-flags';

const agent = { registered: true, owner: 'ana', activeAfterRetirement: false, status: 'ACTIVE', cost: '0' };

describe('the governance flags of one agent', () => {
  it('flags nothing for a registered, owned, active agent', () => {
    expect(flagsOf(agent)).toEqual([]);
  });

  it('names each concern', () => {
    expect(flagsOf({ ...agent, registered: false, owner: null })).toEqual(['unregistered', 'no owner']);
    expect(flagsOf({ ...agent, status: 'RETIRED', activeAfterRetirement: true })).toEqual(['retired, still sending']);
  });

  it('flags an idle agent only when it still costs in the window, compared as a decimal', () => {
    expect(flagsOf({ ...agent, status: 'IDLE', cost: '0.0000' })).toEqual([]);
    expect(flagsOf({ ...agent, status: 'IDLE', cost: '0.0000001' })).toEqual(['idle, still costs']);
  });
});
