import type { ReactNode } from 'react';

export interface Change {
  readonly delta: string;
  readonly percent: string | null;
}

/** One headline figure, optionally with its change against the window before. */
export function Figure({ label, value, change, money = false, testId }: { label: string; value: ReactNode; change?: Change; money?: boolean; testId: string }) {
  return (
    <div className="card" data-testid={testId}>
      <div className="card-label">{label}</div>
      <div className="card-value">{value}</div>
      {change && (
        <div className="card-change" data-testid={`${testId}-change`}>
          {change.delta.startsWith('-') ? '▼' : '▲'} {money ? `$${change.delta}` : change.delta}
          {change.percent === null ? ' (none before)' : ` (${change.percent}%)`} vs the window before
        </div>
      )}
    </div>
  );
}
