import type { AlertView } from '@agentledger/contracts';
import { mergeAlerts } from './merge-alerts.js';

const alert = (id: string, kind: string, at: string): AlertView => ({
  id,
  kind,
  budgetId: kind === 'AGENT_DISCOVERED' ? null : 'b1',
  threshold: null,
  agentId: 'shadow-bot',
  spent: null,
  limit: null,
  periodStart: null,
  message: `${kind} ${id}`,
  at,
});

describe('mergeAlerts', () => {
  it('interleaves the services’ alerts by when they were raised; at one instant each keeps its service’s order, the first list’s first', () => {
    const budgeting = [alert('b-1', 'BUDGET_THRESHOLD', '2026-10-05T10:00:00.000Z'), alert('b-2', 'BUDGET_EXCEEDED', '2026-10-05T12:00:00.000Z')];
    const inventory = [alert('i-1', 'AGENT_DISCOVERED', '2026-10-05T09:59:59.999Z'), alert('a-0', 'AGENT_DISCOVERED', '2026-10-05T12:00:00.000Z')];
    expect(mergeAlerts(budgeting, inventory).map((a) => a.id)).toEqual(['i-1', 'b-1', 'b-2', 'a-0']);
    // A budget set past three thresholds raises them at one instant, listed by threshold: never re-sorted by id.
    const atOnce = [alert('zz', 'BUDGET_THRESHOLD', '2026-10-05T10:00:00.000Z'), alert('mm', 'BUDGET_THRESHOLD', '2026-10-05T10:00:00.000Z'), alert('aa', 'BUDGET_EXCEEDED', '2026-10-05T10:00:00.000Z')];
    expect(mergeAlerts(atOnce, []).map((a) => a.id)).toEqual(['zz', 'mm', 'aa']);
  });

  it('compares instants, not text, across offsets', () => {
    const merged = mergeAlerts([alert('late', 'BUDGET_THRESHOLD', '2026-10-05T10:30:00+00:00')], [alert('early', 'AGENT_DISCOVERED', '2026-10-05T11:00:00+01:00')]);
    expect(merged.map((a) => a.id)).toEqual(['early', 'late']);
  });
});
