/** A USD amount exactly as the API wrote it (no rounding, no float). */
export const Money = ({ value, testId }: { value: string | null | undefined; testId?: string }) =>
  value === null || value === undefined ? (
    <span className="money none">—</span>
  ) : (
    <data className="money" value={value} data-testid={testId}>
      ${value}
    </data>
  );
