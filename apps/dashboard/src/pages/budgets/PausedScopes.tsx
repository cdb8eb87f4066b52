import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '../../api/use-query';
import { DataTable } from '../../components/DataTable';
import { Section } from '../../components/Section';
import { SelectField } from '../../components/SelectField';
import { ErrorNote, Loaded } from '../../components/States';
import { usePageWindow } from '../../page-window';
import { useIsAdmin } from '../../session';
import { formatInstant } from '../../time-window';
import { SCOPES } from './BudgetForm';

const PAUSED = '{ pausedScopes { scope scopeId reason by budgetId pausedAt } }';
const PAUSE = 'mutation Pause($scope: BudgetScope!, $scopeId: String, $reason: String!) { pause(scope: $scope, scopeId: $scopeId, reason: $reason) { scope scopeId } }';
const RESUME = 'mutation Resume($scope: BudgetScope!, $scopeId: String) { resume(scope: $scope, scopeId: $scopeId) }';

interface PausedScope {
  readonly scope: string;
  readonly scopeId: string | null;
  readonly reason: string;
  readonly by: string;
  readonly budgetId: string | null;
  readonly pausedAt: string;
}

/** Scopes whose pre-call checks are answered BLOCK: paused by hand or by an exceeded BLOCK budget. */
export function PausedScopes() {
  const { zone } = usePageWindow();
  const isAdmin = useIsAdmin();
  const paused = useQuery<{ pausedScopes: PausedScope[] }>(PAUSED);
  const resume = useMutation<{ resume: boolean }>(RESUME);
  const resumeScope = async (scope: PausedScope) => {
    if (await resume.run({ scope: scope.scope, scopeId: scope.scopeId })) paused.reload();
  };
  return (
    <Section title="Paused scopes" question="Who is stopped, and by what?" testId="paused-scopes">
      {resume.error && <ErrorNote error={resume.error} what="the scope" action="resume" />}
      <Loaded result={paused} what="paused scopes" isEmpty={(data) => data.pausedScopes.length === 0} empty="Nothing is paused.">
        {(data) => (
          <DataTable
            caption="Paused scopes"
            testId="paused-table"
            rows={data.pausedScopes}
            rowKey={(scope) => `${scope.scope}|${scope.scopeId ?? ''}`}
            columns={[
              { header: 'Scope', cell: (scope) => `${scope.scope}${scope.scopeId ? ` ${scope.scopeId}` : ''}` },
              { header: 'Reason', cell: (scope) => scope.reason },
              { header: 'By', cell: (scope) => (scope.budgetId ? `budget ${scope.budgetId}` : scope.by) },
              { header: 'Since', cell: (scope) => formatInstant(scope.pausedAt, zone) },
              ...(isAdmin
                ? [
                    {
                      header: 'Actions',
                      cell: (scope: PausedScope) => (
                        <button type="button" onClick={() => void resumeScope(scope)}>
                          Resume
                        </button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Loaded>
      {isAdmin && <PauseForm onPaused={paused.reload} />}
    </Section>
  );
}

function PauseForm({ onPaused }: { onPaused: () => void }) {
  const [scope, setScope] = useState('AGENT');
  const [scopeId, setScopeId] = useState('');
  const [reason, setReason] = useState('');
  const pause = useMutation<{ pause: { scope: string } }>(PAUSE);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await pause.run({ scope, scopeId: scope === 'TENANT' ? null : scopeId.trim(), reason: reason.trim() })) {
      setScopeId('');
      setReason('');
      onPaused();
    }
  };
  return (
    <form className="form" onSubmit={(event) => void submit(event)} aria-label="Pause a scope">
      <SelectField label="Scope" name="pauseScope" value={scope} choices={SCOPES} onChange={setScope} />
      <label>
        Scope id <input name="pauseScopeId" value={scopeId} onChange={(event) => setScopeId(event.target.value)} disabled={scope === 'TENANT'} placeholder="runaway-agent" />
      </label>
      <label>
        Reason <input name="pauseReason" value={reason} onChange={(event) => setReason(event.target.value)} required placeholder="cost spike under review" />
      </label>
      <div className="actions">
        <button type="submit" disabled={pause.busy}>
          Pause
        </button>
      </div>
      {pause.error && <ErrorNote error={pause.error} what="the scope" action="pause" />}
    </form>
  );
}
