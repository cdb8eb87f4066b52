#!/usr/bin/env node
// `npm run nats-auth -- --out <dir> --tenant acme [--tenant globex] [--namespace t] [--tls-cert f --tls-key f [--tls-ca f]] [--dev-agent]`
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateAuth, serviceEnv, type AuthCredentials } from './credentials.js';
import { SERVICES } from './permissions.js';

const USAGE = `usage: npm run nats-auth -- --out <dir> [--tenant <tenant>]... [--namespace <token>]
         [--tls-cert <file> --tls-key <file> [--tls-ca <file>]] [--dev-agent]

Writes into <dir> (mode 0600, it holds passwords):
  nats-server.conf       users and least-privilege permissions (nats-server -c <dir>/nats-server.conf -js)
  credentials.json       every credential; kept and extended when the command runs again
  <service>.env          NATS_USER / NATS_PASSWORD of each service
  agent-<tenant>.env     NATS_USER / NATS_PASSWORD / NATS_INBOX_PREFIX of each tenant's agents
  admin.env              NATS_USER / NATS_PASSWORD of the operator's admin user (--admin)
--dev-agent maps clients without credentials to an agent of every tenant (development only).
--admin adds an operator user with every right; services may then create streams but not change
  their configuration: after an upgrade that changes one, start a service once as admin.`;

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      tenant: { type: 'string', multiple: true, default: [] },
      namespace: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-ca': { type: 'string' },
      'dev-agent': { type: 'boolean', default: false },
      admin: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.out) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const out = values.out;
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) throw new Error('--tls-cert and --tls-key go together');
  const credentialsPath = join(out, 'credentials.json');
  const existing = existsSync(credentialsPath) ? (JSON.parse(readFileSync(credentialsPath, 'utf8')) as AuthCredentials) : undefined;
  const { credentials, serverConfig } = generateAuth({
    tenants: values.tenant,
    namespace: values.namespace,
    devAgent: values['dev-agent'],
    admin: values.admin || existing?.admin !== undefined,
    tls: values['tls-cert'] && values['tls-key'] ? { certFile: values['tls-cert'], keyFile: values['tls-key'], caFile: values['tls-ca'] } : undefined,
    existing,
  });
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const write = (name: string, text: string) => writeFileSync(join(out, name), text, { mode: 0o600 });
  write('nats-server.conf', serverConfig);
  write('credentials.json', `${JSON.stringify(credentials, null, 2)}\n`);
  for (const service of SERVICES) write(`${service}.env`, envFile(serviceEnv(credentials, service)));
  for (const [tenant, agent] of Object.entries(credentials.agents)) {
    write(`agent-${tenant}.env`, envFile({ NATS_USER: agent.user, NATS_PASSWORD: agent.password, NATS_INBOX_PREFIX: agent.inboxPrefix }));
  }
  if (credentials.admin) write('admin.env', envFile({ NATS_USER: credentials.admin.user, NATS_PASSWORD: credentials.admin.password }));
  process.stdout.write(
    `wrote ${join(out, 'nats-server.conf')}: ${SERVICES.length} service users, ${Object.keys(credentials.agents).length} tenant agent users` +
      `${credentials.admin ? ', an admin user (services do not update streams)' : ''}` +
      `${values['dev-agent'] ? ', unauthenticated clients = dev-agent' : ''}\n`,
  );
}

const envFile = (variables: Record<string, string>) =>
  Object.entries(variables)
    .map(([name, value]) => `${name}=${value}\n`)
    .join('');

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`nats-auth: ${(error as Error).message}\n`);
  process.exit(1);
}
