import { SERVICES, planServices, readServicePorts } from './service-table.js';

const shared = {
  natsUrl: 'nats://127.0.0.1:4222',
  databaseUrl: 'postgres://agentledger:agentledger@127.0.0.1:5488/agentledger',
  apiKeys: 'dev_0123456789abcdef0123456789abcdef=dev:admin',
};

describe('service table', () => {
  it('lists the six processes in start order', () => {
    expect(SERVICES.map((service) => service.name)).toEqual([
      'ingestion',
      'pricing',
      'attribution',
      'budgeting',
      'inventory',
      'gateway',
    ]);
  });

  it('uses the contract ports when the environment sets none', () => {
    expect(readServicePorts({})).toEqual({
      INGESTION_PORT: 4318,
      PRICING_PORT: 4101,
      ATTRIBUTION_PORT: 4102,
      BUDGETING_PORT: 4103,
      INVENTORY_PORT: 4104,
      GATEWAY_PORT: 4000,
    });
  });

  it("gives each service its own NATS user on npm start's own server, and none on a reused one", () => {
    const natsCredentials = Object.fromEntries(SERVICES.map((service) => [service.name, { NATS_USER: service.name, NATS_PASSWORD: `pw-${service.name}` }]));
    const plans = planServices({ NATS_USER: 'from-shell' }, readServicePorts({}), { ...shared, natsCredentials });
    expect(plans.map((plan) => [plan.env['NATS_USER'], plan.env['NATS_PASSWORD']])).toEqual(SERVICES.map((service) => [service.name, `pw-${service.name}`]));
    expect(planServices({}, readServicePorts({}), shared).map((plan) => plan.env['NATS_USER'])).toEqual(SERVICES.map(() => undefined));
  });

  it('hands the generated development key to GraphiQL when there is one, and nothing otherwise', () => {
    const key = 'dev_0123456789abcdef0123456789abcdef';
    expect(planServices({}, readServicePorts({}), { ...shared, devApiKey: key }).find((plan) => plan.name === 'gateway')!.env['AGENTLEDGER_DEV_API_KEY']).toBe(key);
    expect(planServices({}, readServicePorts({}), shared).find((plan) => plan.name === 'gateway')!.env['AGENTLEDGER_DEV_API_KEY']).toBeUndefined();
  });

  it('respects ports from the environment', () => {
    const ports = readServicePorts({ GATEWAY_PORT: '8080', INGESTION_PORT: ' 9318 ', PRICING_PORT: '' });
    expect(ports.GATEWAY_PORT).toBe(8080);
    expect(ports.INGESTION_PORT).toBe(9318);
    expect(ports.PRICING_PORT).toBe(4101);
  });

  it.each(['abc', '0', '65536', '-1', '40.5', '1e3'])('rejects GATEWAY_PORT=%j', (value) => {
    expect(() => readServicePorts({ GATEWAY_PORT: value })).toThrow(
      `GATEWAY_PORT must be a TCP port between 1 and 65535, got ${JSON.stringify(value)}`,
    );
  });

  it('rejects two services on one port', () => {
    expect(() => readServicePorts({ GATEWAY_PORT: '4101' })).toThrow(
      'GATEWAY_PORT and PRICING_PORT are both 4101; each service needs its own port',
    );
  });

  it('gives each service its own schema, the shared settings and every port', () => {
    const plans = planServices({ PATH: '/usr/bin', LOG_LEVEL: 'debug', UNSET: undefined }, readServicePorts({}), shared);
    const budgeting = plans.find((plan) => plan.name === 'budgeting');
    expect(budgeting).toEqual({
      name: 'budgeting',
      port: 4103,
      entry: 'services/budgeting/dist/main.js',
      readyUrl: 'http://127.0.0.1:4103/readyz',
      env: {
        PATH: '/usr/bin',
        LOG_LEVEL: 'debug',
        INGESTION_PORT: '4318',
        PRICING_PORT: '4101',
        ATTRIBUTION_PORT: '4102',
        BUDGETING_PORT: '4103',
        BUDGETING_WEBHOOK_PRIVATE_NETWORKS: 'true',
        INVENTORY_PORT: '4104',
        GATEWAY_PORT: '4000',
        NATS_URL: 'nats://127.0.0.1:4222',
        DATABASE_URL: 'postgres://agentledger:agentledger@127.0.0.1:5488/agentledger',
        DATABASE_SCHEMA: 'budgeting',
        AGENTLEDGER_API_KEYS: 'dev_0123456789abcdef0123456789abcdef=dev:admin',
        MALLOC_ARENA_MAX: '2',
        NODE_OPTIONS: '--max-semi-space-size=8',
      },
    });
    expect(plans.map((plan) => plan.env['DATABASE_SCHEMA'])).toEqual(SERVICES.map((service) => service.name));
  });

  it("starts each service with the services' process settings, under the shell's own", () => {
    const [ingestion] = planServices({ NODE_OPTIONS: '--max-old-space-size=300', MALLOC_ARENA_MAX: '1' }, readServicePorts({}), shared);
    expect(ingestion?.env['NODE_OPTIONS']).toBe('--max-semi-space-size=8 --max-old-space-size=300');
    expect(ingestion?.env['MALLOC_ARENA_MAX']).toBe('1');
  });

  it('overrides inherited values of the variables it owns', () => {
    const [ingestion] = planServices(
      { DATABASE_URL: 'postgres://elsewhere/other', DATABASE_SCHEMA: 'public', NATS_URL: 'nats://old:4222' },
      readServicePorts({}),
      shared,
    );
    expect(ingestion?.env['DATABASE_URL']).toBe(shared.databaseUrl);
    expect(ingestion?.env['DATABASE_SCHEMA']).toBe('ingestion');
    expect(ingestion?.env['NATS_URL']).toBe(shared.natsUrl);
    expect(ingestion?.env['BUDGETING_WEBHOOK_PRIVATE_NETWORKS']).toBe('true');
  });
});
