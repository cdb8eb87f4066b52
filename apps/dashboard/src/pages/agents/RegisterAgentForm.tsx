import { useState, type FormEvent } from 'react';
import { useMutation } from '../../api/use-query';
import { useRereadAfterSave } from '../../api/use-reread';
import { SelectField } from '../../components/SelectField';
import { ErrorNote } from '../../components/States';
import { filledIn, TextFields, type TextField } from '../../components/TextFields';

const REGISTER = 'mutation RegisterAgent($input: AgentInput!) { registerAgent(input: $input) { id } }';

type AgentField = 'id' | 'name' | 'team' | 'owner' | 'vendor';

const TEXT_FIELDS: readonly TextField<AgentField>[] = [
  { name: 'id', label: 'Agent id', placeholder: 'support-bot', required: true },
  { name: 'name', label: 'Name', placeholder: 'Support bot' },
  { name: 'team', label: 'Team', placeholder: 'support' },
  { name: 'owner', label: 'Owner', placeholder: 'ana@example.com' },
  { name: 'vendor', label: 'Vendor (SaaS)', placeholder: 'optional' },
];

type Draft = Record<AgentField | 'platform' | 'lifecycle', string>;
const EMPTY: Draft = { id: '', name: '', team: '', owner: '', vendor: '', platform: '', lifecycle: '' };

/** Registers an agent (or updates its registration: the fields given override, the others stay). */
export function RegisterAgentForm({ onSaved }: { onSaved: () => void }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const register = useMutation<{ registerAgent: { id: string } }>(REGISTER);
  // The inventory applies a registration after answering: the list is read again meanwhile.
  const { savedWhat, saved } = useRereadAfterSave(onSaved);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await register.run({ input: filledIn(draft) });
    if (answer) {
      setDraft(EMPTY);
      saved(answer.registerAgent.id);
    }
  };
  return (
    <form className="form" onSubmit={(event) => void submit(event)} aria-label="Register an agent">
      <TextFields fields={TEXT_FIELDS} draft={draft} onChange={(name, value) => setDraft({ ...draft, [name]: value })} />
      <SelectField label="Platform" name="platform" value={draft.platform} choices={[{ value: '', label: 'as seen' }, 'internal', 'saas']} onChange={(platform) => setDraft({ ...draft, platform })} />
      <SelectField label="Lifecycle" name="lifecycle" value={draft.lifecycle} choices={[{ value: '', label: 'unchanged' }, 'experiment', 'staging', 'production', 'retired']} onChange={(lifecycle) => setDraft({ ...draft, lifecycle })} />
      <div className="actions">
        <button type="submit" disabled={register.busy}>
          Register
        </button>
      </div>
      {savedWhat && (
        <p className="hint" role="status">
          Registered {savedWhat}; the inventory shows it once it has applied the registration.
        </p>
      )}
      {register.error && <ErrorNote error={register.error} what="the agent" action="register" />}
    </form>
  );
}
