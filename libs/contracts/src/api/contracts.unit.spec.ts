import * as contracts from '../index.js';
import type { Contract } from './contract.js';

const isContract = (value: unknown): value is Contract =>
  typeof value === 'object' && value !== null && 'kind' in value && 'service' in value && 'name' in value && 'args' in value;

const all: Contract[] = Object.values(contracts as Record<string, unknown>).filter(isContract);

describe('the contracts of every service', () => {
  it('are each answered on a subject of their own', () => {
    const subjects = all.map((contract) => `finops.${contract.kind}.${contract.service}.${contract.name}`);
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(subjects).toHaveLength(39);
  });

  it('make changes only as commands: budgeting setBudget, deleteBudget, pause and resume, ingestion redriveDeadLetters, inventory registerAgent, pricing setPrice and setUnitPrice', () => {
    expect(all.filter((contract) => contract.kind === 'command').map((contract) => `${contract.service}.${contract.name}`).sort()).toEqual([
      'budgeting.deleteBudget',
      'budgeting.pause',
      'budgeting.resume',
      'budgeting.setBudget',
      'ingestion.redriveDeadLetters',
      'inventory.registerAgent',
      'pricing.setPrice',
      'pricing.setUnitPrice',
    ]);
  });

  it('accept no arguments where they take none', () => {
    for (const contract of [contracts.pricesQuery, contracts.unitPricesQuery, contracts.catalogVersionQuery, contracts.agentsQuery, contracts.budgetsQuery, contracts.pausedScopesQuery]) {
      expect(contracts.checkArgs(contract, undefined)).toEqual({ ok: true, args: {} });
    }
  });
});
