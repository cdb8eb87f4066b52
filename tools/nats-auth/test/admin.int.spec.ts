import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { allStreams, connectToNats, provisionStreams, ROOT_NAMESPACE, serviceInboxPrefix, STREAMS } from '@agentledger/jetstream';
import { generateAuth, type AuthCredentials } from '../src/credentials.js';
import { startAuthServer, type AuthServer } from './auth-server.js';

// With --admin, services create the streams (a create with the same configuration is a no-op)
// but cannot change a stream's configuration: only the operator's admin user can.
const DAY_NS = 86_400_000_000_000;
let server: AuthServer;
let credentials: AuthCredentials;
const open: NatsConnection[] = [];

const connectAs = async (name: string, user: { user: string; password: string }, inboxPrefix?: string) => {
  const nc = await connectToNats({ url: server.url, name, user: user.user, password: user.password, inboxPrefix });
  open.push(nc);
  return jetstreamManager(nc);
};

beforeAll(async () => {
  const generated = generateAuth({ tenants: [], admin: true });
  credentials = generated.credentials;
  server = await startAuthServer(generated.serverConfig);
});

afterAll(async () => {
  for (const nc of open) await nc.close();
  await server?.stop();
});

describe('an admin user for stream configuration', () => {
  it('services create the streams and start again; a changed configuration is the admin’s alone', async () => {
    const pricing = await connectAs('pricing', credentials.services.pricing, serviceInboxPrefix('pricing'));
    await provisionStreams(pricing, ROOT_NAMESPACE, allStreams());
    await provisionStreams(pricing, ROOT_NAMESPACE, allStreams());
    const shorter = { ...STREAMS.alerts, maxAgeNs: 30 * DAY_NS };
    await expect(provisionStreams(pricing, ROOT_NAMESPACE, [shorter])).rejects.toThrow(/permissions violation/i);
    expect((await pricing.streams.info('FINOPS_ALERTS')).config.max_age).toBe(90 * DAY_NS);

    const admin = await connectAs('admin', credentials.admin!);
    await provisionStreams(admin, ROOT_NAMESPACE, [shorter]);
    expect((await pricing.streams.info('FINOPS_ALERTS')).config.max_age).toBe(30 * DAY_NS);
  });
});
