import { ConfigError } from '@agentledger/observability';
import { readServiceConfig, serviceConfigSpec } from '@agentledger/service-kit';
import { readmeVariableProblems } from '@agentledger/testing';
import { budgetingService } from './budgeting.service.js';

describe('budgeting configuration', () => {
  it('names every wrong variable at once', () => {
    expect(() => readServiceConfig(budgetingService, { DATABASE_POOL_SIZE: 'many' })).toThrow(ConfigError);
    expect(() => readServiceConfig(budgetingService, { DATABASE_POOL_SIZE: 'many' })).toThrow(
      [
        'Invalid configuration for budgeting:',
        '  - DATABASE_URL: is not set (PostgreSQL server, e.g. postgres://user:pass@host:5432/agentledger)',
        '  - DATABASE_POOL_SIZE: "many" is not an integer',
      ].join('\n'),
    );
  });

  it('money is a decimal string: a float or a negative amount is named', () => {
    expect(() => readServiceConfig(budgetingService, { DATABASE_URL: 'postgres://x@y/z', BUDGETING_RETRY_STORM_MIN: '0' })).toThrow('BUDGETING_RETRY_STORM_MIN: 0 must be at least 1');
    expect(() => readServiceConfig(budgetingService, { DATABASE_URL: 'postgres://x@y/z', BUDGETING_ANOMALY_MIN_SPEND: '-1' })).toThrow(
      'BUDGETING_ANOMALY_MIN_SPEND: "-1" is not a decimal amount of at least 0, e.g. 1.00',
    );
    expect(() => readServiceConfig(budgetingService, { DATABASE_URL: 'postgres://x@y/z', BUDGETING_ANOMALY_MIN_SPEND: '1e3' })).toThrow('BUDGETING_ANOMALY_MIN_SPEND');
    expect(readServiceConfig(budgetingService, { DATABASE_URL: 'postgres://x@y/z', BUDGETING_ANOMALY_MIN_SPEND: '2.50' })).toMatchObject({ BUDGETING_ANOMALY_MIN_SPEND: '2.50', BUDGETING_RETRY_STORM_MIN: 20 });
  });

  it('every variable budgeting reads is in the README’s table, with its default', () => {
    expect(readmeVariableProblems(serviceConfigSpec(budgetingService))).toEqual([]);
  });
});
