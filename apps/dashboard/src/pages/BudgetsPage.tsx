import { useState } from 'react';
import { useMutation, useQuery } from '../api/use-query';
import { Section } from '../components/Section';
import { ErrorNote, Loaded } from '../components/States';
import { usePageWindow } from '../page-window';
import { useIsAdmin } from '../session';
import { AlertHistory } from './budgets/AlertHistory';
import { BudgetForm } from './budgets/BudgetForm';
import { PausedScopes } from './budgets/PausedScopes';
import { BUDGETS, BudgetTable, type BudgetView } from './budgets/BudgetTable';

const DELETE_BUDGET = 'mutation DeleteBudget($id: ID!) { deleteBudget(id: $id) }';

/** Budgets (admins create, edit and delete them), paused scopes (admins pause and resume), alert history. */
export function BudgetsPage() {
  const { zone } = usePageWindow();
  const isAdmin = useIsAdmin();
  const budgets = useQuery<{ budgets: BudgetView[] }>(BUDGETS);
  const [editing, setEditing] = useState<BudgetView>();
  const remove = useMutation<{ deleteBudget: boolean }>(DELETE_BUDGET);

  const deleteBudget = async (budget: BudgetView) => {
    if (!confirm(`Delete budget ${budget.name ?? budget.id}?`)) return;
    if (await remove.run({ id: budget.id })) budgets.reload();
  };

  return (
    <>
      <h1>Budgets and control</h1>
      <Section title="Budgets" question="How much of each limit is spent, and what is forecast?" testId="budgets">
        {remove.error && <ErrorNote error={remove.error} what="the budget" action="delete" />}
        <Loaded result={budgets} what="budgets" isEmpty={(data) => data.budgets.length === 0} empty={isAdmin ? 'No budgets yet: set the first one below.' : 'No budgets yet; an admin key can set them.'}>
          {(data) => (
            <BudgetTable
              budgets={data.budgets}
              zone={zone}
              actions={
                isAdmin
                  ? (budget) => (
                      <span className="actions">
                        <button type="button" onClick={() => setEditing(budget)}>
                          Edit
                        </button>
                        <button type="button" onClick={() => void deleteBudget(budget)}>
                          Delete
                        </button>
                      </span>
                    )
                  : undefined
              }
            />
          )}
        </Loaded>
      </Section>
      {isAdmin && (
        <Section title={editing ? `Edit budget ${editing.name ?? editing.id}` : 'New budget'} testId="budget-form">
          <BudgetForm
            key={editing?.id ?? 'new'}
            budget={editing}
            onSaved={() => {
              setEditing(undefined);
              budgets.reload();
            }}
            onCancel={editing ? () => setEditing(undefined) : undefined}
          />
        </Section>
      )}
      <PausedScopes />
      <AlertHistory />
    </>
  );
}
