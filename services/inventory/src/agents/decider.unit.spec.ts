import { CommandRejected } from '@agentledger/event-sourcing';
import { DeciderSpecification } from '@agentledger/testing';
import { fold } from '@agentledger/event-sourcing';
import { mergeRecords, recordRegistration, type AgentRegisteredEvent } from './agent.js';
import { agentDecider, type AgentInputArgs, type RegisterAgent } from './decider.js';

const now = new Date('2026-12-02T10:00:00Z');
const register = (input: Omit<AgentInputArgs, 'id'>, at = now): RegisterAgent => ({
  type: 'RegisterAgent',
  data: { tenant: 'acme', agentId: 'support-bot', input },
  metadata: { actor: 'key:admin', now: at },
});
const registered = (fields: AgentRegisteredEvent['data']['fields'], at = now): AgentRegisteredEvent => ({
  type: 'AgentRegistered',
  data: { tenant: 'acme', agentId: 'support-bot', fields },
  metadata: { by: 'key:admin', at },
});
const given = DeciderSpecification.for(agentDecider).given;

describe('agent decider', () => {
  it('records the fields given, trimmed, platform and lifecycle normalised, workflows distinct and sorted', () => {
    given([])
      .when(register({ name: ' Support bot ', team: 'support', platform: 'SaaS', lifecycle: 'Production', workflows: ['triage', 'resolve-ticket', 'triage'], owner: '', vendor: null }))
      .then([registered({ name: 'Support bot', team: 'support', platform: 'saas', lifecycle: 'production', workflows: ['resolve-ticket', 'triage'] })]);
  });

  it('a registration that gives no field still registers the agent', () => {
    given([]).when(register({})).then([registered({})]);
  });

  it('rejects a platform or a lifecycle outside its list, naming the field', () => {
    given([]).when(register({ platform: 'cloud' })).thenThrows(new CommandRejected('platform: "cloud" is not one of internal, saas'));
    given([]).when(register({ lifecycle: 'paused' })).thenThrows(new CommandRejected('lifecycle: "paused" is not one of experiment, staging, production, retired'));
    given([]).when(register({ workflows: ['triage', ' '] })).thenThrows(new CommandRejected('workflows: a workflow name cannot be blank'));
  });

  it('a later registration overrides only the fields it gives', () => {
    const history = [registered({ name: 'Support bot', team: 'support', owner: 'ops@acme' }, new Date('2026-12-01T00:00:00Z')), registered({ team: 'care' })];
    expect(fold(agentDecider, history).record).toEqual({
      name: { value: 'Support bot', at: '2026-12-01T00:00:00.000Z', key: '' },
      owner: { value: 'ops@acme', at: '2026-12-01T00:00:00.000Z', key: '' },
      team: { value: 'care', at: now.toISOString(), key: '' },
    });
  });

  it('orders by event time: a registration decided on a clock behind the aggregate’s latest comes just after it', () => {
    const latest = new Date('2026-12-02T11:00:00Z');
    given([registered({ team: 'support' }, latest)])
      .when(register({ team: 'care' }, now))
      .then([registered({ team: 'care' }, new Date(latest.getTime() + 1))]);
  });
});

describe('registration records', () => {
  const at = (iso: string) => new Date(iso);
  const newer = { fields: { team: 'care', owner: 'lead@acme' }, at: at('2026-12-02T00:00:00Z'), key: 'b' };
  const older = { fields: { team: 'support', name: 'Support bot' }, at: at('2026-12-01T00:00:00Z'), key: 'a' };

  it('an older registration applied later overrides none of a newer one’s fields, but gives its own', () => {
    const inOrder = recordRegistration(recordRegistration({}, older), newer);
    const outOfOrder = recordRegistration(recordRegistration({}, newer), older);
    expect(outOfOrder).toEqual(inOrder);
    expect(outOfOrder).toEqual({
      team: { value: 'care', at: '2026-12-02T00:00:00.000Z', key: 'b' },
      owner: { value: 'lead@acme', at: '2026-12-02T00:00:00.000Z', key: 'b' },
      name: { value: 'Support bot', at: '2026-12-01T00:00:00.000Z', key: 'a' },
    });
  });

  it('at the same instant the greater key wins, whatever the order; merging records is applying both', () => {
    const same = { ...newer, fields: { team: 'sales' }, key: 'c' };
    expect(recordRegistration(recordRegistration({}, same), newer).team?.value).toBe('sales');
    expect(recordRegistration(recordRegistration({}, newer), same).team?.value).toBe('sales');
    expect(mergeRecords(recordRegistration({}, older), recordRegistration({}, newer))).toEqual(recordRegistration(recordRegistration({}, newer), older));
  });
});
