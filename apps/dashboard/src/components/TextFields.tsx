export interface TextField<Name extends string> {
  readonly name: Name;
  readonly label: string;
  readonly placeholder: string;
  readonly required?: boolean;
}

/** Labelled text inputs over a draft of strings (money and dates stay as typed: the API checks them). */
export function TextFields<Name extends string>({ fields, draft, onChange }: { fields: readonly TextField<Name>[]; draft: Readonly<Record<Name, string>>; onChange: (name: Name, value: string) => void }) {
  return (
    <>
      {fields.map((field) => (
        <label key={field.name}>
          {field.label} <input name={field.name} value={draft[field.name]} placeholder={field.placeholder} required={field.required} onChange={(event) => onChange(field.name, event.target.value)} />
        </label>
      ))}
    </>
  );
}

/** The fields of a draft that were filled in, trimmed: a GraphQL input leaves the others out. */
export const filledIn = (draft: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(draft).flatMap(([name, value]) => (value.trim() === '' ? [] : [[name, value.trim()]])));
