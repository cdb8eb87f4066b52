import type { ArgsOf, setBudgetCommand } from '@agentledger/contracts';
import { CommandRejected, type Decider } from '@agentledger/event-sourcing';
import { isDecimalString, parseDecimal } from '@agentledger/money';
import { isTimeZone } from './budget-period.js';
import {
  BUDGET_PERIODS,
  BUDGET_SCOPES,
  ENFORCEMENTS,
  evolve,
  initialBudgetState,
  type BudgetEvent,
  type BudgetSettings,
  type BudgetState,
  type Enforcement,
} from './budget.js';

/** `setBudget`'s input as the contract checked it (shapes, not rules), without the id the handler resolved. */
export type BudgetInputArgs = Omit<ArgsOf<typeof setBudgetCommand>, 'id'>;

export interface SetBudget {
  readonly type: 'SetBudget';
  /** `replacing`: the caller named an existing budget; otherwise `budgetId` is a new one. */
  readonly data: { readonly tenant: string; readonly budgetId: string; readonly replacing: boolean; readonly input: BudgetInputArgs };
  readonly metadata: { readonly actor: string; readonly now: Date };
}

export interface DeleteBudget {
  readonly type: 'DeleteBudget';
  readonly data: { readonly tenant: string; readonly budgetId: string };
  readonly metadata: { readonly actor: string; readonly now: Date };
}

export type BudgetCommand = SetBudget | DeleteBudget;

export const DEFAULT_THRESHOLDS: readonly number[] = [50, 80, 100];

const invalid = (message: string) => new CommandRejected(message, 'invalid');
const oneOf = <T extends string>(field: string, value: string, allowed: readonly T[]): T => {
  if (!(allowed as readonly string[]).includes(value)) throw invalid(`${field}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  return value as T;
};

/** The settings a valid input describes (CONTRACT part D's defaults applied); throws naming the field. */
export function settingsOf(input: BudgetInputArgs): BudgetSettings {
  const scope = oneOf('scope', input.scope, BUDGET_SCOPES);
  const scopeId = input.scopeId?.trim() || null;
  if (scope === 'TENANT' && scopeId !== null) throw invalid('scopeId: must be empty for a TENANT budget');
  if (scope !== 'TENANT' && scopeId === null) throw invalid(`scopeId: required for a ${scope} budget`);
  if (scopeId !== null && scopeId.length > 200) throw invalid('scopeId: at most 200 characters');
  const period = oneOf('period', input.period, BUDGET_PERIODS);
  if (!isDecimalString(input.limit)) throw invalid(`limit: ${JSON.stringify(input.limit)} is not a decimal string`);
  const limit = parseDecimal(input.limit);
  if (!limit.isPositive() || limit.isZero()) throw invalid('limit: must be greater than 0');
  const thresholds = [...new Set(input.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b);
  for (const threshold of thresholds) {
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > 100) throw invalid(`thresholds: ${threshold} is not a whole percent from 1 to 100`);
  }
  const enforcement: Enforcement = input.enforcement ? oneOf('enforcement', input.enforcement, ENFORCEMENTS) : 'ALERT';
  const timeZone = input.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) throw invalid(`timeZone: ${JSON.stringify(timeZone)} is not an IANA time zone name (e.g. "Europe/Berlin", "UTC")`);
  const webhookUrl = input.webhookUrl?.trim() || null;
  if (webhookUrl !== null && !isWebhookUrl(webhookUrl)) throw invalid(`webhookUrl: ${JSON.stringify(webhookUrl)} is not an http(s) URL`);
  const name = input.name?.trim() || null;
  if (name !== null && name.length > 200) throw invalid('name: at most 200 characters');
  return { name, scope, scopeId, period, limit, thresholds, enforcement, timeZone, webhookUrl };
}

function isWebhookUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function sameSettings(a: BudgetSettings, b: BudgetSettings): boolean {
  return (
    a.name === b.name &&
    a.scope === b.scope &&
    a.scopeId === b.scopeId &&
    a.period === b.period &&
    a.limit.equals(b.limit) &&
    a.thresholds.join() === b.thresholds.join() &&
    a.enforcement === b.enforcement &&
    a.timeZone === b.timeZone &&
    a.webhookUrl === b.webhookUrl
  );
}

/**
 * A budget is created under a new id or replaced under its own; the same settings again change
 * nothing; a deleted budget stays deleted (its id is never reused).
 */
export function decide(command: BudgetCommand, state: BudgetState): BudgetEvent[] {
  const { tenant, budgetId } = command.data;
  const metadata = { by: command.metadata.actor, at: command.metadata.now };
  switch (command.type) {
    case 'SetBudget': {
      if (command.data.replacing && state.status !== 'active') throw new CommandRejected(`id: no budget ${JSON.stringify(budgetId)}`, 'not_found');
      if (!command.data.replacing && state.status !== 'absent') throw new CommandRejected(`id: budget ${JSON.stringify(budgetId)} exists already`, 'conflict');
      const settings = settingsOf(command.data.input);
      if (state.status === 'active' && sameSettings(state.settings, settings)) return [];
      return [{ type: 'BudgetSet', data: { tenant, budgetId, settings }, metadata }];
    }
    case 'DeleteBudget':
      return state.status === 'active' ? [{ type: 'BudgetDeleted', data: { tenant, budgetId }, metadata }] : [];
    default: {
      const unexpected: never = command;
      throw new Error(`unknown budget command ${JSON.stringify(unexpected)}`);
    }
  }
}

export const budgetDecider: Decider<BudgetCommand, BudgetEvent, BudgetState> = { initialState: initialBudgetState, evolve, decide };
