import { percentOf } from '../decimal';
import { Money } from './Money';

/** How much of a limit is spent: a bar (capped at full) labelled with the exact figures. */
export function BurnBar({ spent, limit, status }: { spent: string; limit: string; status: string }) {
  const percent = percentOf(spent, limit);
  const width = Math.min(100, Math.max(0, Number(percent)));
  return (
    <div className="burn">
      <div className={`burn-track status-${status.toLowerCase()}`} role="meter" aria-label={`${percent}% of the limit spent`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={width}>
        <div className="burn-fill" style={{ width: `${width}%` }} />
      </div>
      <span className="burn-label">
        <Money value={spent} /> of <Money value={limit} /> ({percent}%)
      </span>
    </div>
  );
}
