import { CommandRejected } from '@agentledger/event-sourcing';
import { parseDecimal } from '@agentledger/money';
import { DeciderSpecification } from '@agentledger/testing';
import type { BudgetSetEvent, BudgetSettings } from './budget.js';
import { budgetDecider, type BudgetInputArgs, type SetBudget } from './decider.js';

const now = new Date('2026-12-02T10:00:00Z');
const input: BudgetInputArgs = { scope: 'TEAM', scopeId: 'support', period: 'MONTH', limit: '500' };
const setBudget = (args: Partial<BudgetInputArgs> = {}, replacing = false): SetBudget => ({
  type: 'SetBudget',
  data: { tenant: 'acme', budgetId: 'b1', replacing, input: { ...input, ...args } },
  metadata: { actor: 'key:admin', now },
});
const settings = (overrides: Partial<BudgetSettings> = {}): BudgetSettings => ({
  name: null,
  scope: 'TEAM',
  scopeId: 'support',
  period: 'MONTH',
  limit: parseDecimal('500'),
  thresholds: [50, 80, 100],
  enforcement: 'ALERT',
  timeZone: 'UTC',
  webhookUrl: null,
  ...overrides,
});
const budgetSet = (overrides: Partial<BudgetSettings> = {}): BudgetSetEvent => ({
  type: 'BudgetSet',
  data: { tenant: 'acme', budgetId: 'b1', settings: settings(overrides) },
  metadata: { by: 'key:admin', at: now },
});
const given = DeciderSpecification.for(budgetDecider).given;

describe('budget decider', () => {
  it('given no budget, a new one takes part D’s defaults: thresholds 50/80/100, ALERT, UTC', () => {
    given([]).when(setBudget()).then([budgetSet()]);
  });

  it('keeps every setting given: thresholds sorted and distinct, BLOCK, an IANA zone, a webhook, a name', () => {
    given([])
      .when(setBudget({ name: ' Support monthly ', thresholds: [90, 25, 90], enforcement: 'BLOCK', timeZone: 'Asia/Kathmandu', webhookUrl: 'https://hooks.example.com/x' }))
      .then([budgetSet({ name: 'Support monthly', thresholds: [25, 90], enforcement: 'BLOCK', timeZone: 'Asia/Kathmandu', webhookUrl: 'https://hooks.example.com/x' })]);
    given([]).when(setBudget({ scope: 'TENANT', scopeId: null })).then([budgetSet({ scope: 'TENANT', scopeId: null })]);
  });

  it.each([
    [{ scope: 'ORG' }, 'scope: "ORG" is not one of TENANT, TEAM, AGENT, WORKFLOW, ENVIRONMENT'],
    [{ scopeId: null }, 'scopeId: required for a TEAM budget'],
    [{ scope: 'TENANT', scopeId: 'acme' }, 'scopeId: must be empty for a TENANT budget'],
    [{ period: 'YEAR' }, 'period: "YEAR" is not one of DAY, WEEK, MONTH'],
    [{ limit: '0' }, 'limit: must be greater than 0'],
    [{ limit: '-5' }, 'limit: must be greater than 0'],
    [{ limit: '1e3' }, 'limit: "1e3" is not a decimal string'],
    [{ thresholds: [0, 50] }, 'thresholds: 0 is not a whole percent from 1 to 100'],
    [{ thresholds: [101] }, 'thresholds: 101 is not a whole percent from 1 to 100'],
    [{ enforcement: 'STOP' }, 'enforcement: "STOP" is not one of ALERT, BLOCK'],
    [{ timeZone: '+05:30' }, 'timeZone: "+05:30" is not an IANA time zone name (e.g. "Europe/Berlin", "UTC")'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone: "Mars/Olympus" is not an IANA time zone name (e.g. "Europe/Berlin", "UTC")'],
    [{ webhookUrl: 'ftp://example.com' }, 'webhookUrl: "ftp://example.com" is not an http(s) URL'],
  ])('rejects %j, naming the field', (args, message) => {
    given([]).when(setBudget(args as Partial<BudgetInputArgs>)).thenThrows(new CommandRejected(message));
  });

  it('given a budget, replacing it with new settings sets them; the same settings again change nothing', () => {
    given([budgetSet()]).when(setBudget({ limit: '750' }, true)).then([budgetSet({ limit: parseDecimal('750') })]);
    given([budgetSet()]).when(setBudget({ limit: '500.00' }, true)).thenNothing();
  });

  it('replacing a budget that does not exist, or was deleted, is NOT_FOUND; a new id that exists is refused', () => {
    given([]).when(setBudget({}, true)).thenThrows(new CommandRejected('id: no budget "b1"', 'not_found'));
    given([budgetSet(), { type: 'BudgetDeleted', data: { tenant: 'acme', budgetId: 'b1' }, metadata: { by: 'key:admin', at: now } }])
      .when(setBudget({}, true))
      .thenThrows(new CommandRejected('id: no budget "b1"', 'not_found'));
    given([budgetSet()]).when(setBudget()).thenThrows(new CommandRejected('id: budget "b1" exists already', 'conflict'));
  });

  it('deletes a budget once; deleting one that is not there changes nothing', () => {
    const deleteBudget = { type: 'DeleteBudget' as const, data: { tenant: 'acme', budgetId: 'b1' }, metadata: { actor: 'key:admin', now } };
    given([budgetSet()]).when(deleteBudget).then([{ type: 'BudgetDeleted', data: { tenant: 'acme', budgetId: 'b1' }, metadata: { by: 'key:admin', at: now } }]);
    given([]).when(deleteBudget).thenNothing();
  });
});
