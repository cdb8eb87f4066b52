import { renderBanner, type BannerFacts } from './banner.js';

const facts: BannerFacts = {
  gatewayPort: 4000,
  ingestionPort: 4318,
  natsUrl: 'nats://127.0.0.1:4222',
  natsStarted: true,
  natsAuth: true,
  databaseUrl: 'postgres://agentledger:***@127.0.0.1:5488/agentledger',
  databaseKind: 'embedded',
  apiKeys: { apiKeys: 'dev_k=dev:admin', devKey: `dev_${'a'.repeat(32)}`, source: 'reused' },
  notReady: [],
  notBuilt: [],
};

describe('start-up banner', () => {
  it('says where everything is and how to try it', () => {
    const text = renderBanner(facts).join('\n');
    expect(text).toContain('AgentLedger is running.');
    expect(text).toContain('Dashboard  http://localhost:4000/  (sign in with the API key below)');
    expect(text).toContain('GraphiQL   http://localhost:4000/graphql  (open it in a browser; the key below is pre-filled)');
    expect(text).toContain('GraphQL    http://localhost:4000/graphql  (POST, Authorization: Bearer <key>)');
    expect(text).toContain('Ingestion  http://localhost:4318');
    expect(text).toContain('NATS       nats://127.0.0.1:4222  (started by npm start');
    expect(text).toContain('Database   postgres://agentledger:***@127.0.0.1:5488/agentledger  (embedded PostgreSQL');
    expect(text).toContain(`API key    dev_${'a'.repeat(32)}  (use this one in dev: tenant dev, admin; from .data/dev-api-key)`);
    expect(text).toContain('NATS auth  on: one user per service (.data/nats-auth); clients without credentials are the dev agent (agent rights only)');
    expect(text).toContain('npm run publish-sample');
    expect(text).toContain(`-H 'Authorization: Bearer dev_${'a'.repeat(32)}'`);
  });

  it('says NATS auth is off on a reused server that admits every client', () => {
    expect(renderBanner({ ...facts, natsStarted: false, natsAuth: false }).join('\n')).toContain('NATS auth  off (the existing server admits every client)');
  });

  it('lists what is not running instead of claiming success', () => {
    const text = renderBanner({ ...facts, notReady: ['pricing'], notBuilt: ['gateway'] }).join('\n');
    expect(text).toContain('AgentLedger is running, with problems:');
    expect(text).toContain('! not started (not built): gateway  -> run `npm run build`');
    expect(text).toContain('! not ready yet: pricing');
  });

  it('does not invent a key when the operator supplied them', () => {
    const text = renderBanner({
      ...facts,
      natsStarted: false,
      databaseKind: 'external',
      apiKeys: { apiKeys: 'k=t:admin', source: 'environment' },
    }).join('\n');
    expect(text).toContain('API key    keys from AGENTLEDGER_API_KEYS');
    expect(text).toContain('GraphiQL   http://localhost:4000/graphql  (open it in a browser; put a key in the Authorization header)');
    expect(text).toContain("Bearer <a key from AGENTLEDGER_API_KEYS>");
    expect(text).toContain('(existing server)');
    expect(text).toContain('(from DATABASE_URL)');
  });
});
