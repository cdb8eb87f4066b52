import { ConfigError, type ConfigSpec } from '@agentledger/observability';
import { readServiceConfig, serviceConfigSpec } from './service-config.js';

const ownConfig = {
  WIDGET_LIMIT: { kind: 'int', min: 1, default: 3, description: 'widgets per batch' },
  WIDGET_TOKEN: { kind: 'string', required: false, secret: true, description: 'a token' },
} as const satisfies ConfigSpec;

const widgets = {
  name: 'widgets',
  portVariable: 'WIDGETS_PORT',
  defaultPort: 4199,
  database: {},
  config: ownConfig,
  checkConfig: (values: { WIDGET_LIMIT: number; WIDGET_TOKEN: string | undefined }) =>
    values.WIDGET_LIMIT > 10 && values.WIDGET_TOKEN === undefined ? [{ variable: 'WIDGET_TOKEN', problem: 'is required above 10 widgets' }] : [],
};

function messageOf(env: NodeJS.ProcessEnv): string {
  try {
    readServiceConfig(widgets, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('service configuration', () => {
  it('is the base variables, the database ones, the port and the service’s own, typed', () => {
    expect(Object.keys(serviceConfigSpec(widgets))).toEqual([
      'NATS_URL', 'NATS_USER', 'NATS_PASSWORD', 'NATS_TOKEN', 'NATS_CREDS', 'NATS_TLS_CA', 'FINOPS_NAMESPACE', 'STREAM_REPLICAS', 'STREAM_MAX_BYTES', 'LOG_LEVEL', 'HEAP_GROWTH_PERCENT',
      'DATABASE_URL', 'DATABASE_POOL_SIZE', 'DATABASE_QUERY_POOL_SIZE', 'QUERY_CONCURRENCY', 'QUERY_QUEUE_WAIT_MS',
      'DATABASE_STATEMENT_TIMEOUT_MS', 'DATABASE_SCHEMA', 'WIDGETS_PORT',
      'WIDGET_LIMIT', 'WIDGET_TOKEN',
    ]);
    const config = readServiceConfig(widgets, { DATABASE_URL: 'postgres://db:5432/x', WIDGET_LIMIT: '7' });
    const limit: number = config.WIDGET_LIMIT;
    expect(config.HEAP_GROWTH_PERCENT).toBe(100);
    expect({ limit, nats: config.NATS_URL, schema: config['DATABASE_SCHEMA'], port: config['WIDGETS_PORT'], replicas: config.STREAM_REPLICAS }).toEqual({
      limit: 7, nats: 'nats://127.0.0.1:4222', schema: 'widgets', port: 4199, replicas: 1,
    });
  });

  it('a service without a database reads no database variable', () => {
    expect(Object.keys(serviceConfigSpec({ name: 'gw', portVariable: 'GW_PORT', defaultPort: 4000 }))).toEqual([
      'NATS_URL', 'NATS_USER', 'NATS_PASSWORD', 'NATS_TOKEN', 'NATS_CREDS', 'NATS_TLS_CA', 'FINOPS_NAMESPACE', 'STREAM_REPLICAS', 'STREAM_MAX_BYTES', 'LOG_LEVEL', 'HEAP_GROWTH_PERCENT', 'GW_PORT',
    ]);
  });

  it('names every wrong variable, base and own, in one message', () => {
    expect(messageOf({ NATS_URL: 'nats//x', STREAM_REPLICAS: '0', WIDGETS_PORT: '70000', WIDGET_LIMIT: 'two' })).toBe(
      [
        'Invalid configuration for widgets:',
        '  - NATS_URL: "nats//x" is not a URL (expected nats://host:port or tls://host:port)',
        '  - STREAM_REPLICAS: 0 must be at least 1',
        '  - DATABASE_URL: is not set (PostgreSQL server, e.g. postgres://user:pass@host:5432/agentledger)',
        '  - WIDGETS_PORT: "70000" is not a port number (1-65535)',
        '  - WIDGET_LIMIT: "two" is not an integer',
      ].join('\n'),
    );
  });

  it('runs the service’s rule across its variables once they all parse', () => {
    expect(messageOf({ DATABASE_URL: 'postgres://db:5432/x', WIDGET_LIMIT: '11' })).toBe('Invalid configuration for widgets:\n  - WIDGET_TOKEN: is required above 10 widgets');
    expect(readServiceConfig(widgets, { DATABASE_URL: 'postgres://db:5432/x', WIDGET_LIMIT: '11', WIDGET_TOKEN: 't' }).WIDGET_TOKEN).toBe('t');
  });

  it('refuses a service that redeclares a base variable', () => {
    expect(() => serviceConfigSpec({ ...widgets, checkConfig: undefined, config: { LOG_LEVEL: { kind: 'string', description: 'mine' } } })).toThrow(
      'widgets declares variables every service already reads: LOG_LEVEL',
    );
  });
});

describe('NATS credentials', () => {
  it('a user without its password, or a token beside a user, fails the start naming the variable', () => {
    expect(() => readServiceConfig(widgets, { NATS_USER: 'pricing', DATABASE_URL: 'postgres://x@h/db' })).toThrow(/NATS_PASSWORD: is not set, but NATS_USER is/);
    expect(() => readServiceConfig(widgets, { NATS_PASSWORD: 'secret', DATABASE_URL: 'postgres://x@h/db' })).toThrow(/NATS_USER: is not set, but NATS_PASSWORD is/);
    expect(() => readServiceConfig(widgets, { NATS_USER: 'a', NATS_PASSWORD: 'b', NATS_TOKEN: 'c', DATABASE_URL: 'postgres://x@h/db' })).toThrow(/NATS_TOKEN: is set together with NATS_USER/);
    expect(() => readServiceConfig(widgets, { NATS_USER: 'pricing', NATS_PASSWORD: 'CHANGE_ME', DATABASE_URL: 'postgres://x@h/db' })).toThrow(/NATS_PASSWORD: is the placeholder CHANGE_ME/);
  });
});
