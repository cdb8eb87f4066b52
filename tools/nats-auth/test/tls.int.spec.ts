import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentLedger } from '@agentledger/agent-sdk';
import { allStreams, connectToNats, provisionStreams, ROOT_NAMESPACE, serviceInboxPrefix } from '@agentledger/jetstream';
import { jetstreamManager } from '@nats-io/jetstream';
import { generateAuth, type AuthCredentials } from '../src/credentials.js';
import { startAuthServer, type AuthServer } from './auth-server.js';

// TLS given to the generator: the server requires it, services and the SDK connect with the CA.
let dir: string;
let server: AuthServer;
let ca: string;
let credentials: AuthCredentials;

function certificates(into: string): { ca: string; cert: string; key: string } {
  const path = (name: string) => join(into, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=agentledger-test-ca', '-keyout', path('ca-key.pem'), '-out', path('ca.pem'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', path('server-key.pem'), '-out', path('server.csr'));
  openssl('x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca-key.pem'), '-CAcreateserial', '-days', '1', '-extfile', path('san.cnf'), '-out', path('server.pem'));
  return { ca: path('ca.pem'), cert: path('server.pem'), key: path('server-key.pem') };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nats-auth-tls-'));
  await writeFile(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  const files = certificates(dir);
  const generated = generateAuth({ tenants: ['acme'], tls: { certFile: files.cert, keyFile: files.key } });
  ca = files.ca;
  credentials = generated.credentials;
  server = await startAuthServer(generated.serverConfig);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('NATS with TLS from the generated config', () => {
  it('refuses a client that does not trust the server certificate', async () => {
    const { user, password } = credentials.services.pricing;
    await expect(connectToNats({ url: server.url, name: 'untrusting', user, password })).rejects.toThrow();
  });

  it('a service connects with NATS_TLS_CA and its user; an agent with the SDK and tlsCaFile', async () => {
    const pricing = credentials.services.pricing;
    const acme = credentials.agents['acme']!;
    const service = await connectToNats({ url: server.url, name: 'pricing', inboxPrefix: serviceInboxPrefix('pricing'), user: pricing.user, password: pricing.password, tlsCaFile: ca });
    await provisionStreams(await jetstreamManager(service), ROOT_NAMESPACE, allStreams());
    const ledger = await AgentLedger.connect({ tenant: 'acme', agentId: 'bot', servers: server.url, user: acme.user, password: acme.password, tlsCaFile: ca, flushIntervalMs: 0 });
    ledger.llmCall({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1, outputTokens: 1 } });
    await ledger.close();
    const info = await (await jetstreamManager(service)).streams.info('FINOPS_IN');
    expect(info.state.messages).toBe(1);
    await service.close();
    await server.settledViolations();
    expect(server.violations()).toEqual([]);
  });
});
