import { ConfigError } from '@agentledger/observability';
import { readServiceConfig, serviceConfigSpec } from '@agentledger/service-kit';
import { readmeVariableProblems } from '@agentledger/testing';
import { inventoryService } from './inventory.service.js';

describe('inventory configuration', () => {
  it('names every wrong variable', () => {
    expect(() => readServiceConfig(inventoryService, { DATABASE_POOL_SIZE: 'many' })).toThrow(ConfigError);
    expect(() => readServiceConfig(inventoryService, { DATABASE_POOL_SIZE: 'many' })).toThrow(
      [
        'Invalid configuration for inventory:',
        '  - DATABASE_URL: is not set (PostgreSQL server, e.g. postgres://user:pass@host:5432/agentledger)',
        '  - DATABASE_POOL_SIZE: "many" is not an integer',
      ].join('\n'),
    );
  });

  it('stops the start on an idle threshold that is not a duration', () => {
    expect(() => readServiceConfig(inventoryService, { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', INVENTORY_IDLE_AFTER: '1 week' })).toThrow(
      ['Invalid configuration for inventory:', '  - INVENTORY_IDLE_AFTER: "1 week" is not a duration in whole minutes, hours or days, e.g. 90m, 36h, 7d'].join('\n'),
    );
  });

  it('defaults the idle threshold to 7 days', () => {
    expect(readServiceConfig(inventoryService, { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' }).INVENTORY_IDLE_AFTER).toBe('7d');
  });

  it('every variable inventory reads is in the README’s table, with its default', () => {
    expect(readmeVariableProblems(serviceConfigSpec(inventoryService))).toEqual([]);
  });
});
