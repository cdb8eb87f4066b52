import { formatRatio } from '../decimal';

/** A rate, share or ROI: rounded on screen, exact in the element's value and tooltip. */
export const Ratio = ({ value, as }: { value: string | null | undefined; as: 'percent' | 'multiple' }) =>
  value === null || value === undefined ? (
    <span className="ratio none">—</span>
  ) : (
    <data className="ratio" value={value} title={value}>
      {formatRatio(value, as)}
    </data>
  );
