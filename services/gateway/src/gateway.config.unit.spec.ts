import { ConfigError } from '@agentledger/observability';
import { databaseConfigSpec, readServiceConfig, serviceConfigSpec } from '@agentledger/service-kit';
import { readmeVariableProblems } from '@agentledger/testing';
import { gatewayConfig, gatewaySettings } from './gateway.config.js';
import { gatewayService } from './gateway.service.js';

/** The gateway's settings as `startService` reads them: base and own variables together. */
const settingsOf = (env: NodeJS.ProcessEnv) => gatewaySettings(readServiceConfig(gatewayService, env));

const messageOf = (env: NodeJS.ProcessEnv): string => {
  try {
    settingsOf(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('gateway configuration', () => {
  it('reads keys and limits', () => {
    const config = settingsOf({ AGENTLEDGER_API_KEYS: 'k=acme:admin', GATEWAY_MAX_QUERY_DEPTH: '6', GATEWAY_MAX_QUERY_FIELDS: '200' });
    expect(config.apiKeys.authenticate('k')?.tenant).toBe('acme');
    expect(config.usingDevelopmentKeys).toBe(false);
    expect(config.limits).toEqual({ maxDepth: 6, maxFields: 200 });
    expect(config.queryTimeoutMs).toBe(10_000);
  });

  it('falls back to the contract’s development keys outside production', () => {
    const config = settingsOf({});
    expect(config.usingDevelopmentKeys).toBe(true);
    expect(config.apiKeys.authenticate('key1')?.role).toBe('admin');
    expect(config.apiKeys.authenticate('key2')?.role).toBe('viewer');
    expect(config.limits).toEqual({ maxDepth: 8, maxFields: 500 });
  });

  it('pre-fills GraphiQL with a development key only: the contract’s admin key, or the one npm start hands over', () => {
    expect(settingsOf({}).graphiqlApiKey).toBe('key1');
    expect(settingsOf({ AGENTLEDGER_API_KEYS: 'k=acme:admin' }).graphiqlApiKey).toBeUndefined();
    expect(settingsOf({ AGENTLEDGER_API_KEYS: 'dev_k=dev:admin', AGENTLEDGER_DEV_API_KEY: 'dev_k' }).graphiqlApiKey).toBe('dev_k');
    expect(settingsOf({ NODE_ENV: 'production', AGENTLEDGER_API_KEYS: 'f3a9c1d27b8e4605a1c9e2d7b3f80a4c=acme:admin' }).graphiqlApiKey).toBeUndefined();
  });

  it('refuses a pre-filled key in production', () => {
    expect(messageOf({ NODE_ENV: 'production', AGENTLEDGER_API_KEYS: 'f3a9c1d27b8e4605a1c9e2d7b3f80a4c=acme:admin', AGENTLEDGER_DEV_API_KEY: 'f3a9c1d27b8e4605a1c9e2d7b3f80a4c' })).toBe(
      'Invalid configuration for gateway:\n  - AGENTLEDGER_DEV_API_KEY: must not be set when NODE_ENV=production (GraphiQL would show the key to anyone)',
    );
  });

  it('requires keys in production', () => {
    expect(messageOf({ NODE_ENV: 'production' })).toBe(
      'Invalid configuration for gateway:\n  - AGENTLEDGER_API_KEYS: is not set (API keys as key=tenant:role, comma-separated; role is admin or viewer), nor is AGENTLEDGER_API_KEYS_FILE',
    );
  });

  it('refuses placeholder and weak keys in production, naming the entry and never the key', () => {
    const strong = 'f3a9c1d27b8e4605a1c9e2d7b3f80a4c';
    for (const placeholder of ['CHANGE_ME', 'changeme-changeme-changeme-01', 'example-api-key-for-the-docs-0001', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'abcdefghijklmnopqrstuvwxyz012345']) {
      const message = messageOf({ NODE_ENV: 'production', AGENTLEDGER_API_KEYS: `${strong}=acme:admin,${placeholder}=acme:viewer` });
      expect(message).toMatch(/^Invalid configuration for gateway:\n {2}- AGENTLEDGER_API_KEYS: entry 2 \(a key of \d+ characters for "acme:viewer"\): the key .*openssl rand -hex 32/);
      expect(message).not.toContain(placeholder);
    }
    expect(settingsOf({ NODE_ENV: 'production', AGENTLEDGER_API_KEYS: `${strong}=acme:admin` }).apiKeys.size).toBe(1);
  });

  it('keeps the contract’s development keys working when NODE_ENV is not production', () => {
    expect(settingsOf({ AGENTLEDGER_API_KEYS: 'key1=tenantA:admin,key2=tenantA:viewer' }).apiKeys.authenticate('key2')?.role).toBe('viewer');
    expect(settingsOf({ NODE_ENV: 'test', AGENTLEDGER_API_KEYS: 'CHANGE_ME=acme:admin' }).apiKeys.size).toBe(1);
  });

  it('takes keys from a key file alone, in production too, without the development keys', () => {
    const config = settingsOf({ NODE_ENV: 'production', AGENTLEDGER_API_KEYS_FILE: '/etc/agentledger/keys.json' });
    expect(config.apiKeysFile).toBe('/etc/agentledger/keys.json');
    expect(config.usingDevelopmentKeys).toBe(false);
    expect(config.apiKeys.authenticate('key1')).toBeUndefined();
  });

  it('names every problem at once, base variables included, never a key', () => {
    expect(messageOf({ NATS_URL: 'http://nats:4222', GATEWAY_PORT: '4000x', AGENTLEDGER_API_KEYS: 'topsecret=acme:root', GATEWAY_MAX_QUERY_DEPTH: '0', GATEWAY_QUERY_TIMEOUT_MS: 'soon' })).toBe(
      [
        'Invalid configuration for gateway:',
        '  - NATS_URL: protocol http: is not accepted (expected nats://host:port or tls://host:port)',
        '  - GATEWAY_PORT: "4000x" is not a port number (1-65535)',
        '  - AGENTLEDGER_API_KEYS: entry 1 (a key of 9 characters for "acme:root"): role "root" is not one of admin, viewer',
        '  - GATEWAY_MAX_QUERY_DEPTH: 0 must be at least 1',
        '  - GATEWAY_QUERY_TIMEOUT_MS: "soon" is not an integer',
      ].join('\n'),
    );
  });

  it('waits, by default, longer than a service may queue and run a query, so the service’s own refusal or cancellation is what the client sees', () => {
    const serviceLongest = databaseConfigSpec.QUERY_QUEUE_WAIT_MS.default + databaseConfigSpec.DATABASE_STATEMENT_TIMEOUT_MS.default;
    expect(gatewayConfig.GATEWAY_QUERY_TIMEOUT_MS.default).toBeGreaterThan(serviceLongest);
  });

  it('every variable the gateway reads is in the README’s table, with its default', () => {
    expect(readmeVariableProblems(serviceConfigSpec(gatewayService))).toEqual([]);
  });
});
