import { ConfigError } from '@agentledger/observability';
import { readServiceConfig, serviceConfigSpec } from '@agentledger/service-kit';
import { readmeVariableProblems } from '@agentledger/testing';
import { ingestionService } from './ingestion.service.js';

const ENV = { DATABASE_URL: 'postgres://ledger@db:5432/agentledger' };

const messageOf = (env: NodeJS.ProcessEnv): string => {
  try {
    readServiceConfig(ingestionService, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('ingestion configuration', () => {
  it('reads the HTTP intake keys and the size of the in-memory dedupe hint', () => {
    const config = readServiceConfig(ingestionService, { ...ENV, AGENTLEDGER_API_KEYS: 'k1=acme:admin,k2=globex:viewer', INGESTION_RECENT_KEYS: '1000' });
    expect(config.AGENTLEDGER_API_KEYS?.size).toBe(2);
    expect(config.AGENTLEDGER_API_KEYS?.authenticate('k2')).toMatchObject({ tenant: 'globex', role: 'viewer' });
    expect(config.INGESTION_RECENT_KEYS).toBe(1000);
  });

  it('without keys the HTTP intake has none; the hint keeps 50000 keys', () => {
    const config = readServiceConfig(ingestionService, ENV);
    expect(config.AGENTLEDGER_API_KEYS).toBeUndefined();
    expect(config.INGESTION_RECENT_KEYS).toBe(50_000);
  });

  it('names every wrong variable at once, never a key', () => {
    expect(messageOf({ ...ENV, AGENTLEDGER_API_KEYS: 'topsecret=acme:root,nokey', INGESTION_RECENT_KEYS: '0', LOG_LEVEL: 'loud' })).toBe(
      [
        'Invalid configuration for ingestion:',
        '  - LOG_LEVEL: "loud" is not one of debug, info, warn, error',
        '  - AGENTLEDGER_API_KEYS: entry 1 (a key of 9 characters for "acme:root"): role "root" is not one of admin, viewer',
        '  - AGENTLEDGER_API_KEYS: entry 2 (5 characters) is not key=tenant:role',
        '  - INGESTION_RECENT_KEYS: 0 must be at least 1',
      ].join('\n'),
    );
    expect(messageOf({ ...ENV, INGESTION_RECENT_KEYS: 'lots' })).toBe('Invalid configuration for ingestion:\n  - INGESTION_RECENT_KEYS: "lots" is not an integer');
  });

  it('in production requires keys and refuses placeholders, with the gateway’s rule', () => {
    expect(messageOf({ ...ENV, NODE_ENV: 'production' })).toMatch(/AGENTLEDGER_API_KEYS: is not set \(.*required in production\)/);
    expect(messageOf({ ...ENV, NODE_ENV: 'production', AGENTLEDGER_API_KEYS: 'CHANGE_ME=acme:admin' })).toBe(
      'Invalid configuration for ingestion:\n  - AGENTLEDGER_API_KEYS: entry 1 (a key of 9 characters for "acme:admin"): the key is 9 characters long, fewer than 24; NODE_ENV is production, generate one with `openssl rand -hex 32`',
    );
    const strong = readServiceConfig(ingestionService, { ...ENV, NODE_ENV: 'production', AGENTLEDGER_API_KEYS: '5d0c6f2e9a14b7c38e2f61a0d9b4c7e1=acme:admin' });
    expect(strong.AGENTLEDGER_API_KEYS?.authenticate('5d0c6f2e9a14b7c38e2f61a0d9b4c7e1')?.tenant).toBe('acme');
    expect(readServiceConfig(ingestionService, { ...ENV, AGENTLEDGER_API_KEYS: 'key1=tenantA:admin,key2=tenantA:viewer' }).AGENTLEDGER_API_KEYS?.size).toBe(2);
  });

  it('every variable ingestion reads is in the README’s table, with its default', () => {
    expect(readmeVariableProblems(serviceConfigSpec(ingestionService))).toEqual([]);
  });
});
