import type { ReactNode } from 'react';
import { BurnBar } from '../../components/BurnBar';
import { DataTable } from '../../components/DataTable';
import { Money } from '../../components/Money';
import { compareDecimal } from '../../decimal';
import { formatInstant } from '../../time-window';

export const BUDGET_FIELDS = 'id name scope scopeId period limit thresholds enforcement timeZone periodStart periodEnd spent reserved remaining status forecast projectedBreachAt';

export interface BudgetView {
  readonly id: string;
  readonly name: string | null;
  readonly scope: string;
  readonly scopeId: string | null;
  readonly period: string;
  readonly limit: string;
  readonly thresholds: number[];
  readonly enforcement: string;
  readonly timeZone: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly spent: string;
  readonly reserved: string;
  readonly remaining: string;
  readonly status: string;
  readonly forecast: string | null;
  readonly projectedBreachAt: string | null;
}

export const BUDGETS = `{ budgets { ${BUDGET_FIELDS} } }`;

export const budgetLabel = (budget: BudgetView) => budget.name ?? `${budget.scope.toLowerCase()} ${budget.scopeId ?? ''}`.trim();

export function BudgetTable({ budgets, zone, actions }: { budgets: readonly BudgetView[]; zone: string; actions?: (budget: BudgetView) => ReactNode }) {
  return (
    <DataTable
      caption="Budgets in their current period"
      testId="budget-table"
      rows={budgets}
      rowKey={(budget) => budget.id}
      columns={[
        { header: 'Budget', cell: (budget) => <span data-budget-id={budget.id}>{budgetLabel(budget)}</span> },
        { header: 'Scope', cell: (budget) => `${budget.scope}${budget.scopeId ? ` ${budget.scopeId}` : ''} · ${budget.period} · ${budget.enforcement}` },
        { header: 'Burn', cell: (budget) => <BurnBar spent={budget.spent} limit={budget.limit} status={budget.status} />, compare: (a, b) => compareDecimal(a.spent, b.spent) },
        { header: 'Remaining', numeric: true, cell: (budget) => <Money value={budget.remaining} />, compare: (a, b) => compareDecimal(a.remaining, b.remaining) },
        { header: 'Status', cell: (budget) => <span className={`badge status-${budget.status.toLowerCase()}`}>{budget.status}</span> },
        { header: 'Forecast at period end', numeric: true, cell: (budget) => <Money value={budget.forecast} /> },
        { header: 'Projected breach', cell: (budget) => (budget.projectedBreachAt ? formatInstant(budget.projectedBreachAt, zone) : 'not this period') },
        { header: 'Period', cell: (budget) => `${formatInstant(budget.periodStart, budget.timeZone)} – ${formatInstant(budget.periodEnd, budget.timeZone)} (${budget.timeZone})` },
        ...(actions ? [{ header: 'Actions', cell: actions }] : []),
      ]}
    />
  );
}
