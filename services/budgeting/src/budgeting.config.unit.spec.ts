import { ConfigError } from '@agentledger/observability';
import { readServiceConfig, serviceConfigSpec } from '@agentledger/service-kit';
import { readmeVariableProblems } from '@agentledger/testing';
import { budgetingService } from './budgeting.service.js';

describe('budgeting configuration', () => {
  it('reads only the base and database variables, naming every wrong one', () => {
    expect(() => readServiceConfig(budgetingService, { DATABASE_POOL_SIZE: 'many' })).toThrow(ConfigError);
    expect(() => readServiceConfig(budgetingService, { DATABASE_POOL_SIZE: 'many' })).toThrow(
      [
        'Invalid configuration for budgeting:',
        '  - DATABASE_URL: is not set (PostgreSQL server, e.g. postgres://user:pass@host:5432/agentledger)',
        '  - DATABASE_POOL_SIZE: "many" is not an integer',
      ].join('\n'),
    );
  });

  it('every variable budgeting reads is in the README’s table, with its default', () => {
    expect(readmeVariableProblems(serviceConfigSpec(budgetingService))).toEqual([]);
  });
});
