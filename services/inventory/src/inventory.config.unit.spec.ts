import { ConfigError } from '@agentledger/observability';
import { readServiceConfig, serviceConfigSpec } from '@agentledger/service-kit';
import { readmeVariableProblems } from '@agentledger/testing';
import { inventoryService } from './inventory.service.js';

describe('inventory configuration', () => {
  it('reads only the base and database variables, naming every wrong one', () => {
    expect(() => readServiceConfig(inventoryService, { DATABASE_POOL_SIZE: 'many' })).toThrow(ConfigError);
    expect(() => readServiceConfig(inventoryService, { DATABASE_POOL_SIZE: 'many' })).toThrow(
      [
        'Invalid configuration for inventory:',
        '  - DATABASE_URL: is not set (PostgreSQL server, e.g. postgres://user:pass@host:5432/agentledger)',
        '  - DATABASE_POOL_SIZE: "many" is not an integer',
      ].join('\n'),
    );
  });

  it('every variable inventory reads is in the README’s table, with its default', () => {
    expect(readmeVariableProblems(serviceConfigSpec(inventoryService))).toEqual([]);
  });
});
