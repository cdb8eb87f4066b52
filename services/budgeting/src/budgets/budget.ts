import type { Decimal } from '@agentledger/money';
import type { BudgetPeriod } from './budget-period.js';

export type BudgetScope = 'TENANT' | 'TEAM' | 'AGENT' | 'WORKFLOW' | 'ENVIRONMENT';
export type Enforcement = 'ALERT' | 'BLOCK';

export const BUDGET_SCOPES: readonly BudgetScope[] = ['TENANT', 'TEAM', 'AGENT', 'WORKFLOW', 'ENVIRONMENT'];
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['DAY', 'WEEK', 'MONTH'];
export const ENFORCEMENTS: readonly Enforcement[] = ['ALERT', 'BLOCK'];

/** What a budget holds: a limit per period on the spend of one scope. */
export interface BudgetSettings {
  readonly name: string | null;
  readonly scope: BudgetScope;
  /** null for the TENANT scope. */
  readonly scopeId: string | null;
  readonly period: BudgetPeriod;
  readonly limit: Decimal;
  /** Percents of the limit, 1–100, ascending, distinct. */
  readonly thresholds: readonly number[];
  readonly enforcement: Enforcement;
  /** IANA name. */
  readonly timeZone: string;
  readonly webhookUrl: string | null;
}

export interface BudgetSetEvent {
  readonly type: 'BudgetSet';
  readonly data: { readonly tenant: string; readonly budgetId: string; readonly settings: BudgetSettings };
  readonly metadata: { readonly by: string; readonly at: Date };
}

export interface BudgetDeletedEvent {
  readonly type: 'BudgetDeleted';
  readonly data: { readonly tenant: string; readonly budgetId: string };
  readonly metadata: { readonly by: string; readonly at: Date };
}

export type BudgetEvent = BudgetSetEvent | BudgetDeletedEvent;

/** A budget that never was, one in force with its settings, or one deleted (its id is not reused). */
export type BudgetState =
  | { readonly status: 'absent' }
  | { readonly status: 'active'; readonly settings: BudgetSettings }
  | { readonly status: 'deleted' };

export const initialBudgetState: BudgetState = { status: 'absent' };

export function evolve(state: BudgetState, event: BudgetEvent): BudgetState {
  switch (event.type) {
    case 'BudgetSet':
      return { status: 'active', settings: event.data.settings };
    case 'BudgetDeleted':
      return { status: 'deleted' };
    default: {
      const unexpected: never = event;
      throw new Error(`unknown budget event ${JSON.stringify(unexpected)}`);
    }
  }
}

/** What an event or a check says about whose it is (CONTRACT part A's common data; environment defaulted). */
export interface ScopeDimensions {
  readonly agentId: string;
  readonly team: string;
  readonly workflow: string;
  readonly environment: string;
}

/** Does a budget's scope cover these dimensions? TENANT covers all; the others compare their one field. */
export function coversScope(settings: Pick<BudgetSettings, 'scope' | 'scopeId'>, dimensions: ScopeDimensions): boolean {
  switch (settings.scope) {
    case 'TENANT':
      return true;
    case 'TEAM':
      return settings.scopeId === dimensions.team;
    case 'AGENT':
      return settings.scopeId === dimensions.agentId;
    case 'WORKFLOW':
      return settings.scopeId === dimensions.workflow;
    case 'ENVIRONMENT':
      return settings.scopeId === dimensions.environment;
    default: {
      const unexpected: never = settings.scope;
      throw new Error(`unknown budget scope ${String(unexpected)}`);
    }
  }
}
