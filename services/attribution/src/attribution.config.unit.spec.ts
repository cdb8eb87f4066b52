import { ConfigError } from '@agentledger/observability';
import { readServiceConfig, serviceConfigSpec } from '@agentledger/service-kit';
import { readmeVariableProblems } from '@agentledger/testing';
import { attributionService } from './attribution.service.js';

const ENV = { DATABASE_URL: 'postgres://ledger@db:5432/agentledger' };
const rollupOf = (value: string | undefined) =>
  readServiceConfig(attributionService, value === undefined ? ENV : { ...ENV, ATTRIBUTION_ROLLUP_ATTRIBUTES: value }).ATTRIBUTION_ROLLUP_ATTRIBUTES;

describe('attribution configuration', () => {
  it('rolls up customer and feature by default; set but empty means none', () => {
    expect(rollupOf(undefined)).toEqual(['customer', 'feature']);
    expect(rollupOf('')).toEqual([]);
  });

  it('reads ATTRIBUTION_ROLLUP_ATTRIBUTES as comma-separated keys, trimmed', () => {
    expect(rollupOf(' customer , cost.center,project/id ')).toEqual(['customer', 'cost.center', 'project/id']);
  });

  it('names every invalid or duplicate key, with the base variables’ problems', () => {
    const error = (() => {
      try {
        readServiceConfig(attributionService, { ATTRIBUTION_PORT: '0', ATTRIBUTION_ROLLUP_ATTRIBUTES: "customer,bad key,customer,x'y" });
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      [
        'Invalid configuration for attribution:',
        '  - DATABASE_URL: is not set (PostgreSQL server, e.g. postgres://user:pass@host:5432/agentledger)',
        '  - ATTRIBUTION_PORT: "0" is not a port number (1-65535)',
        '  - ATTRIBUTION_ROLLUP_ATTRIBUTES: "bad key" is not a valid attribute key (1-64 of A-Z a-z 0-9 _ . : / -)',
        '  - ATTRIBUTION_ROLLUP_ATTRIBUTES: "x\'y" is not a valid attribute key (1-64 of A-Z a-z 0-9 _ . : / -)',
        '  - ATTRIBUTION_ROLLUP_ATTRIBUTES: duplicates: customer',
      ].join('\n'),
    );
    expect(() => rollupOf(Array.from({ length: 17 }, (_, n) => `k${n}`).join(','))).toThrow(/ATTRIBUTION_ROLLUP_ATTRIBUTES: at most 16 items, got 17/);
  });

  it('every variable attribution reads is in the README’s table, with its default', () => {
    expect(readmeVariableProblems(serviceConfigSpec(attributionService))).toEqual([]);
  });
});
