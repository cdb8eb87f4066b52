import { useState, type FormEvent } from 'react';
import { useMutation } from '../../api/use-query';
import { SelectField } from '../../components/SelectField';
import { ErrorNote } from '../../components/States';
import type { BudgetView } from './BudgetTable';

export const SCOPES = ['TENANT', 'TEAM', 'AGENT', 'WORKFLOW', 'ENVIRONMENT'] as const;
const PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
const ENFORCEMENTS = [
  { value: 'ALERT', label: 'ALERT (alerts only)' },
  { value: 'BLOCK', label: 'BLOCK (checks are refused once reached)' },
];

const SET_BUDGET = 'mutation SetBudget($input: BudgetInput!) { setBudget(input: $input) { id } }';

interface Draft {
  name: string;
  scope: string;
  scopeId: string;
  period: string;
  limit: string;
  thresholds: string;
  enforcement: string;
  timeZone: string;
}

const draftOf = (budget?: BudgetView): Draft => ({
  name: budget?.name ?? '',
  scope: budget?.scope ?? 'TEAM',
  scopeId: budget?.scopeId ?? '',
  period: budget?.period ?? 'MONTH',
  limit: budget?.limit ?? '',
  thresholds: (budget?.thresholds ?? [50, 80, 100]).join(', '),
  enforcement: budget?.enforcement ?? 'ALERT',
  timeZone: budget?.timeZone ?? 'UTC',
});

/** The input of setBudget; the gateway checks it and names the field when something is wrong. */
function inputOf(draft: Draft, id?: string): Record<string, unknown> {
  return {
    ...(id ? { id } : {}),
    name: draft.name.trim() || null,
    scope: draft.scope,
    scopeId: draft.scope === 'TENANT' ? null : draft.scopeId.trim(),
    period: draft.period,
    limit: draft.limit.trim(),
    thresholds: draft.thresholds
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => Number.parseInt(part, 10)),
    enforcement: draft.enforcement,
    timeZone: draft.timeZone.trim() || 'UTC',
  };
}

/** Creates a budget, or replaces the one given. The limit is sent as typed: an exact decimal string. */
export function BudgetForm({ budget, onSaved, onCancel }: { budget?: BudgetView; onSaved: () => void; onCancel?: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(budget));
  const save = useMutation<{ setBudget: { id: string } }>(SET_BUDGET);
  const field = (name: keyof Draft) => ({ name, value: draft[name], onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }) });
  const choice = (name: keyof Draft) => ({ name, value: draft[name], onChange: (value: string) => setDraft({ ...draft, [name]: value }) });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await save.run({ input: inputOf(draft, budget?.id) })) {
      if (!budget) setDraft(draftOf());
      onSaved();
    }
  };

  return (
    <form className="form" onSubmit={(event) => void submit(event)} aria-label={budget ? 'Edit budget' : 'New budget'}>
      <label>
        Name <input {...field('name')} placeholder="Support monthly" />
      </label>
      <SelectField label="Scope" {...choice('scope')} choices={SCOPES} />
      <label>
        Scope id <input {...field('scopeId')} disabled={draft.scope === 'TENANT'} placeholder="support" />
      </label>
      <SelectField label="Period" {...choice('period')} choices={PERIODS} />
      <label>
        Limit (USD) <input {...field('limit')} inputMode="decimal" placeholder="250.00" required />
      </label>
      <label>
        Thresholds (%) <input {...field('thresholds')} />
      </label>
      <SelectField label="Enforcement" {...choice('enforcement')} choices={ENFORCEMENTS} />
      <label>
        Time zone (IANA) <input {...field('timeZone')} placeholder="Europe/Berlin" />
      </label>
      <div className="actions">
        <button type="submit" disabled={save.busy}>
          {budget ? 'Save budget' : 'Create budget'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {save.error && <ErrorNote error={save.error} what="the budget" action="save" />}
    </form>
  );
}
