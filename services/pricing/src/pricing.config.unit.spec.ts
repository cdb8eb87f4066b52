import { ConfigError } from '@agentledger/observability';
import { readServiceConfig, serviceConfigSpec } from '@agentledger/service-kit';
import { readmeVariableProblems } from '@agentledger/testing';
import { pricingService } from './pricing.service.js';

describe('pricing configuration', () => {
  it('reads only the base and database variables, naming every wrong one', () => {
    expect(() => readServiceConfig(pricingService, { DATABASE_POOL_SIZE: 'many' })).toThrow(ConfigError);
    expect(() => readServiceConfig(pricingService, { DATABASE_POOL_SIZE: 'many' })).toThrow(
      [
        'Invalid configuration for pricing:',
        '  - DATABASE_URL: is not set (PostgreSQL server, e.g. postgres://user:pass@host:5432/agentledger)',
        '  - DATABASE_POOL_SIZE: "many" is not an integer',
      ].join('\n'),
    );
  });

  it('every variable pricing reads is in the README’s table, with its default', () => {
    expect(readmeVariableProblems(serviceConfigSpec(pricingService))).toEqual([]);
  });
});
