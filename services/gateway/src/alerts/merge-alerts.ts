import type { AlertView } from '@agentledger/contracts';
import { parseRfc3339 } from '../graphql/scalars/date-time.scalar.js';

const instantOf = (alert: AlertView) => parseRfc3339(alert.at)?.getTime() ?? Number.NaN;

/** The alerts of several services as one list, by when they were raised (oldest first; ties by id). */
export function mergeAlerts(...lists: ReadonlyArray<readonly AlertView[]>): AlertView[] {
  return lists.flat().sort((a, b) => instantOf(a) - instantOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
