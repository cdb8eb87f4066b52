export type Choice = string | { readonly value: string; readonly label: string };

const valueOf = (choice: Choice) => (typeof choice === 'string' ? choice : choice.value);
const labelOf = (choice: Choice) => (typeof choice === 'string' ? choice : choice.label);

/** A labelled <select>: the label names it for screen readers and tests, `name` for forms. */
export function SelectField({ label, name, value, choices, onChange }: { label: string; name: string; value: string; choices: readonly Choice[]; onChange: (value: string) => void }) {
  return (
    <label>
      {label}{' '}
      <select name={name} value={value} onChange={(event) => onChange(event.target.value)}>
        {choices.map((choice) => (
          <option key={valueOf(choice)} value={valueOf(choice)}>
            {labelOf(choice)}
          </option>
        ))}
      </select>
    </label>
  );
}
