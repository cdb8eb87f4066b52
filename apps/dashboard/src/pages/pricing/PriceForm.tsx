import { useState, type FormEvent } from 'react';
import { useMutation } from '../../api/use-query';
import { useRereadAfterSave } from '../../api/use-reread';
import { ErrorNote } from '../../components/States';
import { filledIn, TextFields, type TextField } from '../../components/TextFields';

const SET_PRICE = 'mutation SetPrice($input: PriceInput!) { setPrice(input: $input) { provider model } }';

type PriceField = 'provider' | 'model' | 'inputPer1M' | 'outputPer1M' | 'cacheReadPer1M' | 'cacheWritePer1M' | 'reasoningPer1M' | 'requestFee' | 'effectiveFrom';

const FIELDS: readonly TextField<PriceField>[] = [
  { name: 'provider', label: 'Provider', placeholder: 'openai', required: true },
  { name: 'model', label: 'Model', placeholder: 'gpt-4o-mini', required: true },
  { name: 'inputPer1M', label: 'Input per 1M', placeholder: '0.15', required: true },
  { name: 'outputPer1M', label: 'Output per 1M', placeholder: '0.60', required: true },
  { name: 'cacheReadPer1M', label: 'Cache read per 1M', placeholder: 'optional' },
  { name: 'cacheWritePer1M', label: 'Cache write per 1M', placeholder: 'optional' },
  { name: 'reasoningPer1M', label: 'Reasoning per 1M', placeholder: 'optional' },
  { name: 'requestFee', label: 'Per request', placeholder: 'optional' },
  { name: 'effectiveFrom', label: 'Effective from (RFC 3339)', placeholder: '2026-01-01T00:00:00Z', required: true },
];

const EMPTY = Object.fromEntries(FIELDS.map((field) => [field.name, ''])) as Record<PriceField, string>;

/** Sets a tenant price (USD per million tokens, as typed: exact decimal strings); events it covers are re-priced. */
export function PriceForm({ onSaved }: { onSaved: () => void }) {
  const [draft, setDraft] = useState(EMPTY);
  const save = useMutation<{ setPrice: { provider: string; model: string } }>(SET_PRICE);
  // Pricing applies a price after answering: the list is read again until it has had time to.
  const { savedWhat, saved } = useRereadAfterSave(onSaved);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await save.run({ input: filledIn(draft) });
    if (answer) {
      setDraft(EMPTY);
      saved(`${answer.setPrice.provider}/${answer.setPrice.model}`);
    }
  };
  return (
    <form className="form" onSubmit={(event) => void submit(event)} aria-label="Set a price">
      <TextFields fields={FIELDS} draft={draft} onChange={(name, value) => setDraft({ ...draft, [name]: value })} />
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
