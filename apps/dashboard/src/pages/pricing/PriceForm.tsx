import { useState, type FormEvent } from 'react';
import { useMutation } from '../../api/use-query';
import { useRereadAfterSave } from '../../api/use-reread';
import { ErrorNote } from '../../components/States';

const SET_PRICE = 'mutation SetPrice($input: PriceInput!) { setPrice(input: $input) { provider model } }';

const FIELDS = [
  ['provider', 'Provider', 'openai'],
  ['model', 'Model', 'gpt-4o-mini'],
  ['inputPer1M', 'Input per 1M', '0.15'],
  ['outputPer1M', 'Output per 1M', '0.60'],
  ['cacheReadPer1M', 'Cache read per 1M', 'optional'],
  ['cacheWritePer1M', 'Cache write per 1M', 'optional'],
  ['reasoningPer1M', 'Reasoning per 1M', 'optional'],
  ['requestFee', 'Per request', 'optional'],
  ['effectiveFrom', 'Effective from (RFC 3339)', '2026-01-01T00:00:00Z'],
] as const;

type Draft = Record<(typeof FIELDS)[number][0], string>;

const EMPTY: Draft = { provider: '', model: '', inputPer1M: '', outputPer1M: '', cacheReadPer1M: '', cacheWritePer1M: '', reasoningPer1M: '', requestFee: '', effectiveFrom: '' };
const REQUIRED = new Set(['provider', 'model', 'inputPer1M', 'outputPer1M', 'effectiveFrom']);

/** Sets a tenant price (USD per million tokens, as typed: exact decimal strings); events it covers are re-priced. */
export function PriceForm({ onSaved }: { onSaved: () => void }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const save = useMutation<{ setPrice: { provider: string; model: string } }>(SET_PRICE);
  // Pricing applies a price after answering: the list is read again until it has had time to.
  const { savedWhat, saved } = useRereadAfterSave(onSaved);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = Object.fromEntries(Object.entries(draft).filter(([, value]) => value.trim() !== '').map(([name, value]) => [name, value.trim()]));
    const answer = await save.run({ input });
    if (answer) {
      setDraft(EMPTY);
      saved(`${answer.setPrice.provider}/${answer.setPrice.model}`);
    }
  };
  return (
    <form className="form" onSubmit={(event) => void submit(event)} aria-label="Set a price">
      {FIELDS.map(([name, label, placeholder]) => (
        <label key={name}>
          {label} <input name={name} value={draft[name]} placeholder={placeholder} required={REQUIRED.has(name)} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })} />
        </label>
      ))}
      <div className="actions">
        <button type="submit" disabled={save.busy}>
          Set price
        </button>
      </div>
      {savedWhat && (
        <p className="hint" role="status">
          Price set for {savedWhat}; the list shows it once pricing has applied it.
        </p>
      )}
      {save.error && <ErrorNote error={save.error} what="the price" action="set" />}
    </form>
  );
}
