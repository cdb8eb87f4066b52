import type { PausedScopeView } from '@agentledger/contracts';
import { formatDecimal, type Decimal } from '@agentledger/money';
import type { BudgetScope, BudgetSettings, ScopeDimensions } from '../budgets/budget.js';

/** A scope that can be paused: the TENANT scope has no id (stored as ''). */
export interface PauseScope {
  readonly scope: BudgetScope;
  readonly scopeId: string | null;
}

/** A pause as the record of truth holds it: by hand (`budgetId` null) or by an exceeded BLOCK budget. */
export interface Pause extends PauseScope {
  readonly reason: string;
  readonly by: string;
  readonly budgetId: string | null;
  readonly pausedAt: Date;
}

/** The stored form of a scope id: '' for the tenant scope. */
export const storedScopeId = (scope: PauseScope): string => (scope.scope === 'TENANT' ? '' : (scope.scopeId ?? ''));

export const sameScope = (a: PauseScope, b: PauseScope): boolean => a.scope === b.scope && storedScopeId(a) === storedScopeId(b);

/** The five scopes a call belongs to (CONTRACT part D: a pause of any of them stops it). */
export function scopesCovering(dimensions: ScopeDimensions): PauseScope[] {
  return [
    { scope: 'TENANT', scopeId: null },
    { scope: 'TEAM', scopeId: dimensions.team },
    { scope: 'AGENT', scopeId: dimensions.agentId },
    { scope: 'WORKFLOW', scopeId: dimensions.workflow },
    { scope: 'ENVIRONMENT', scopeId: dimensions.environment },
  ];
}

/** Who paused a scope when its budget did. */
export const budgetPauser = (budgetId: string): string => `budget:${budgetId}`;

/** Why an exceeded BLOCK budget paused its scope, in words. */
export function budgetPauseReason(budgetId: string, settings: BudgetSettings, spent: Decimal): string {
  const name = settings.name ? `"${settings.name}"` : budgetId;
  return `budget ${name} (${settings.period.toLowerCase()}) is exceeded: spent ${formatDecimal(spent)} of ${formatDecimal(settings.limit)} USD`;
}

export function pausedScopeView(pause: Pause): PausedScopeView {
  return {
    scope: pause.scope,
    scopeId: pause.scope === 'TENANT' ? null : pause.scopeId,
    reason: pause.reason,
    by: pause.by,
    budgetId: pause.budgetId,
    pausedAt: pause.pausedAt.toISOString(),
  };
}

/** The value of the scope's key in the KV bucket (CONTRACT part D). */
export const pauseValue = (pause: Pause) => ({ reason: pause.reason, by: pause.by, at: pause.pausedAt.toISOString(), budgetId: pause.budgetId });
