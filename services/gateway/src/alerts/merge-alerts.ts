import type { AlertView } from '@agentledger/contracts';
import { parseRfc3339 } from '../graphql/scalars/date-time.scalar.js';

const instantOf = (alert: AlertView) => parseRfc3339(alert.at)?.getTime() ?? Number.NaN;

/**
 * The alerts of several services as one list, by when they were raised (oldest first). Alerts
 * raised at the same instant keep their service's own order (budgeting's by threshold: the 50 %
 * before the 80 % of a budget set already past both), the lists' order between services — the
 * sort is stable.
 */
export function mergeAlerts(...lists: ReadonlyArray<readonly AlertView[]>): AlertView[] {
  return lists.flat().sort((a, b) => instantOf(a) - instantOf(b));
}
