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
    expect(config.AGENTLEDGER_API_KEYS?.authenticate({ authorization: 'Bearer k2' })).toEqual({ tenant: 'globex', role: 'viewer' });
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
        '  - AGENTLEDGER_API_KEYS: entry 1: role "root" is not one of admin, viewer',
        '  - AGENTLEDGER_API_KEYS: entry 2: expected key=tenant:role',
        '  - INGESTION_RECENT_KEYS: 0 must be at least 1',
      ].join('\n'),
    );
    expect(messageOf({ ...ENV, INGESTION_RECENT_KEYS: 'lots' })).toBe('Invalid configuration for ingestion:\n  - INGESTION_RECENT_KEYS: "lots" is not an integer');
  });

  it('every variable ingestion reads is in the README’s table, with its default', () => {
    expect(readmeVariableProblems(serviceConfigSpec(ingestionService))).toEqual([]);
  });
});
