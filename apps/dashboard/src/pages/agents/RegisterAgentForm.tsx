import { useState, type FormEvent } from 'react';
import { useMutation } from '../../api/use-query';
import { useRereadAfterSave } from '../../api/use-reread';
import { SelectField } from '../../components/SelectField';
import { ErrorNote } from '../../components/States';

const REGISTER = 'mutation RegisterAgent($input: AgentInput!) { registerAgent(input: $input) { id } }';

const TEXT_FIELDS = [
  ['id', 'Agent id', 'support-bot'],
  ['name', 'Name', 'Support bot'],
  ['team', 'Team', 'support'],
  ['owner', 'Owner', 'ana@example.com'],
  ['vendor', 'Vendor (SaaS)', 'optional'],
] as const;

type Draft = Record<(typeof TEXT_FIELDS)[number][0] | 'platform' | 'lifecycle', string>;
const EMPTY: Draft = { id: '', name: '', team: '', owner: '', vendor: '', platform: '', lifecycle: '' };

/** Registers an agent (or updates its registration: the fields given override, the others stay). */
export function RegisterAgentForm({ onSaved }: { onSaved: () => void }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const register = useMutation<{ registerAgent: { id: string } }>(REGISTER);
  // The inventory applies a registration after answering: the list is read again meanwhile.
  const { savedWhat, saved } = useRereadAfterSave(onSaved);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = Object.fromEntries(Object.entries(draft).filter(([, value]) => value.trim() !== '').map(([name, value]) => [name, value.trim()]));
    const answer = await register.run({ input });
    if (answer) {
      setDraft(EMPTY);
      saved(answer.registerAgent.id);
    }
  };
  return (
    <form className="form" onSubmit={(event) => void submit(event)} aria-label="Register an agent">
      {TEXT_FIELDS.map(([name, label, placeholder]) => (
        <label key={name}>
          {label} <input name={name} value={draft[name]} placeholder={placeholder} required={name === 'id'} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })} />
        </label>
      ))}
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
