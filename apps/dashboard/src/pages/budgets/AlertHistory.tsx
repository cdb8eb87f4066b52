import { ALERT_FIELDS, type AlertView } from '../../api/alert-feed';
import { useQuery } from '../../api/use-query';
import { DataTable } from '../../components/DataTable';
import { Money } from '../../components/Money';
import { Section } from '../../components/Section';
import { Loaded } from '../../components/States';
import { usePageWindow } from '../../page-window';
import { formatInstant } from '../../time-window';

const ALERTS = `query Alerts($from: DateTime!, $to: DateTime!) { alerts(from: $from, to: $to) { ${ALERT_FIELDS} } }`;

/** Every alert raised in the window, newest first. */
export function AlertHistory() {
  const { window, zone } = usePageWindow();
  const result = useQuery<{ alerts: AlertView[] }>(ALERTS, window);
  return (
    <Section title="Alert history" question="What crossed a threshold, spiked or appeared in this window?" testId="alert-history">
      <Loaded result={result} what="alerts" isEmpty={(data) => data.alerts.length === 0}>
        {(data) => (
          <DataTable
            caption="Alerts raised in the window, newest first"
            testId="alerts-table"
            rows={[...data.alerts].reverse()}
            rowKey={(alert) => alert.id}
            columns={[
              { header: 'At', cell: (alert) => formatInstant(alert.at, zone) },
              { header: 'Kind', cell: (alert) => alert.kind },
              { header: 'Budget or agent', cell: (alert) => alert.budgetId ?? alert.agentId ?? '—' },
              { header: 'Threshold', numeric: true, cell: (alert) => (alert.threshold === null ? '—' : `${alert.threshold}%`) },
              { header: 'Spent', numeric: true, cell: (alert) => <Money value={alert.spent} /> },
              { header: 'Limit', numeric: true, cell: (alert) => <Money value={alert.limit} /> },
              { header: 'Message', cell: (alert) => alert.message },
            ]}
          />
        )}
      </Loaded>
    </Section>
  );
}
