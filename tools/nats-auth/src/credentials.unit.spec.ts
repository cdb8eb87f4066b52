import { namespaceFor } from '@agentledger/jetstream';
import { generateAuth } from './credentials.js';
import { agentPermissions, servicePermissions } from './permissions.js';

let counter = 0;
const password = () => `pw${++counter}`;

describe('generateAuth', () => {
  it('gives each service and each tenant its own user, and keeps the passwords given before', () => {
    const first = generateAuth({ tenants: ['acme'], password });
    expect(Object.values(first.credentials.services).map((service) => service.user)).toEqual(['ingestion', 'pricing', 'attribution', 'budgeting', 'inventory', 'gateway']);
    expect(first.credentials.agents['acme']).toEqual({ user: 'agent-acme', password: expect.any(String), inboxPrefix: '_INBOX_agent_acme' });
    const second = generateAuth({ tenants: ['globex'], existing: first.credentials, password });
    expect(second.credentials.agents['acme']).toEqual(first.credentials.agents['acme']);
    expect(second.credentials.services).toEqual(first.credentials.services);
    expect(Object.keys(second.credentials.agents)).toEqual(['acme', 'globex']);
  });

  it('refuses a tenant outside [A-Za-z0-9_-]{1,64}, and a namespace other than the existing credentials’', () => {
    expect(() => generateAuth({ tenants: ['a.b'] })).toThrow('invalid tenant "a.b"');
    expect(() => generateAuth({ tenants: ['*'] })).toThrow('invalid tenant "*"');
    const root = generateAuth({ tenants: [] });
    expect(() => generateAuth({ tenants: [], namespace: 't1', existing: root.credentials })).toThrow('namespace');
  });

  it('maps unauthenticated clients to the development agent only when asked', () => {
    expect(generateAuth({ tenants: [] }).serverConfig).not.toContain('no_auth_user');
    const dev = generateAuth({ tenants: [], devAgent: true }).serverConfig;
    expect(dev).toContain('no_auth_user: "dev-agent"');
  });

  it('with an admin user, no service may change a stream’s configuration; the admin password is kept', () => {
    const first = generateAuth({ tenants: [], admin: true, password });
    expect(first.credentials.admin).toEqual({ user: 'admin', password: expect.any(String), inboxPrefix: '_INBOX' });
    expect(first.serverConfig).not.toContain('STREAM.UPDATE');
    expect(generateAuth({ tenants: [], password }).serverConfig).toContain('$JS.API.STREAM.UPDATE.FINOPS_FACTS');
    expect(generateAuth({ tenants: [], admin: true, existing: first.credentials, password }).credentials.admin).toEqual(first.credentials.admin);
  });

  it('writes TLS paths when given', () => {
    const config = generateAuth({ tenants: [], tls: { certFile: '/tls/server.pem', keyFile: '/tls/server-key.pem', caFile: '/tls/ca.pem' } }).serverConfig;
    expect(config).toContain('tls: {\n  cert_file: "/tls/server.pem"\n  key_file: "/tls/server-key.pem"\n  ca_file: "/tls/ca.pem"\n}');
  });
});

describe('permissions', () => {
  it("an agent: its tenant's events, checks, pause keys and alerts, in the namespace", () => {
    expect(agentPermissions(namespaceFor('t1'), 'acme')).toEqual({
      publish: [
        't1.finops.in.acme.>',
        't1.finops.control.check.acme',
        't1.finops.control.release.acme',
        '$JS.API.CONSUMER.CREATE.KV_T1_finops_control.*.$KV.T1_finops_control.paused.acme.>',
        '$JS.API.CONSUMER.INFO.KV_T1_finops_control.*',
        '$JS.FC.KV_T1_finops_control.>',
      ],
      subscribe: ['_INBOX_agent_acme.>', 't1.finops.alerts.acme'],
      allowResponses: false,
    });
  });

  it('only the gateway may publish query and command subjects', () => {
    const ns = namespaceFor('');
    for (const service of ['ingestion', 'pricing', 'attribution', 'budgeting', 'inventory'] as const) {
      expect(servicePermissions(ns, service).publish.filter((subject) => /^finops\.(query|command)\./.test(subject))).toEqual([]);
    }
    expect(servicePermissions(ns, 'gateway').publish).toEqual(expect.arrayContaining(['finops.query.>', 'finops.command.>']));
  });

  it('no service may delete or purge a stream', () => {
    const ns = namespaceFor('');
    for (const service of ['ingestion', 'pricing', 'attribution', 'budgeting', 'inventory', 'gateway'] as const) {
      expect(servicePermissions(ns, service).publish.filter((subject) => /STREAM\.(DELETE|PURGE)|\$JS\.API\.>/.test(subject))).toEqual([]);
    }
  });
});
