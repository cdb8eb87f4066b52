import { ConfigError } from '@agentledger/observability';
import { parseGatewayConfig } from './gateway.config.js';

const messageOf = (env: NodeJS.ProcessEnv): string => {
  try {
    parseGatewayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('gateway configuration', () => {
  it('reads keys and limits', () => {
    const config = parseGatewayConfig({ AGENTLEDGER_API_KEYS: 'k=acme:admin', GATEWAY_MAX_QUERY_DEPTH: '6', GATEWAY_MAX_QUERY_FIELDS: '200' });
    expect(config.apiKeys.authenticate('k')?.tenant).toBe('acme');
    expect(config.usingDevelopmentKeys).toBe(false);
    expect(config.limits).toEqual({ maxDepth: 6, maxFields: 200 });
    expect(config.queryTimeoutMs).toBe(10_000);
  });

  it('falls back to the contract’s development keys outside production', () => {
    const config = parseGatewayConfig({});
    expect(config.usingDevelopmentKeys).toBe(true);
    expect(config.apiKeys.authenticate('key1')?.role).toBe('admin');
    expect(config.apiKeys.authenticate('key2')?.role).toBe('viewer');
    expect(config.limits).toEqual({ maxDepth: 8, maxFields: 500 });
  });

  it('requires keys in production', () => {
    expect(messageOf({ NODE_ENV: 'production' })).toBe(
      'Invalid configuration for gateway:\n  - AGENTLEDGER_API_KEYS: is not set (API keys as key=tenant:role, comma-separated; role is admin or viewer), nor is AGENTLEDGER_API_KEYS_FILE',
    );
  });

  it('takes keys from a key file alone, in production too, without the development keys', () => {
    const config = parseGatewayConfig({ NODE_ENV: 'production', AGENTLEDGER_API_KEYS_FILE: '/etc/agentledger/keys.json' });
    expect(config.apiKeysFile).toBe('/etc/agentledger/keys.json');
    expect(config.usingDevelopmentKeys).toBe(false);
    expect(config.apiKeys.authenticate('key1')).toBeUndefined();
  });

  it('names every problem at once, never a key', () => {
    expect(messageOf({ AGENTLEDGER_API_KEYS: 'topsecret=acme:root', GATEWAY_MAX_QUERY_DEPTH: '0' })).toBe(
      [
        'Invalid configuration for gateway:',
        '  - GATEWAY_MAX_QUERY_DEPTH: 0 must be at least 1',
        '  - AGENTLEDGER_API_KEYS: entry 1 (a key of 9 characters for "acme:root"): role "root" is not one of admin, viewer',
      ].join('\n'),
    );
  });
});
