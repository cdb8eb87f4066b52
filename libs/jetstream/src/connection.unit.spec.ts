import { agentInboxPrefix, credentialOptions, natsCredentialsFromEnv, serviceInboxPrefix } from './connection.js';

describe('NATS credentials', () => {
  it('passes only what was given', () => {
    expect(credentialOptions({})).toEqual({});
    expect(credentialOptions({ user: 'pricing', password: 'pw' })).toEqual({ user: 'pricing', pass: 'pw' });
    expect(credentialOptions({ token: 't', tlsCaFile: '/tls/ca.pem' })).toEqual({ token: 't', tls: { caFile: '/tls/ca.pem' } });
  });

  it("reads a tool's credential and inbox prefix from the variables nats-auth writes", () => {
    expect(natsCredentialsFromEnv({ NATS_USER: 'agent-acme', NATS_PASSWORD: 'pw', NATS_INBOX_PREFIX: '_INBOX_agent_acme', NATS_TOKEN: ' ' })).toEqual({
      user: 'agent-acme',
      password: 'pw',
      token: undefined,
      credsFile: undefined,
      tlsCaFile: undefined,
      inboxPrefix: '_INBOX_agent_acme',
    });
  });

  it('gives services and agents inbox prefixes of their own first token', () => {
    expect(serviceInboxPrefix('gateway')).toBe('_INBOX_gateway');
    expect(agentInboxPrefix('acme')).toBe('_INBOX_agent_acme');
  });
});
