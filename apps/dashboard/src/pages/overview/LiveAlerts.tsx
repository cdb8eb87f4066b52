import { useEffect, useState } from 'react';
import { ALERT_FIELDS, subscribeToAlerts, type AlertView, type FeedStatus } from '../../api/alert-feed';
import { useQuery } from '../../api/use-query';
import { Section } from '../../components/Section';
import { ErrorNote } from '../../components/States';
import { usePageWindow } from '../../page-window';
import { useSession } from '../../session';
import { formatInstant } from '../../time-window';

const RECENT = `query RecentAlerts($from: DateTime!, $to: DateTime!) { alerts(from: $from, to: $to) { ${ALERT_FIELDS} } }`;
const SHOWN = 20;
const DAY_MS = 86_400_000;

/** The last day's alerts, then each new one as it is raised (the `alerts` subscription), newest first. */
export function LiveAlerts() {
  const { apiKey } = useSession();
  const { zone } = usePageWindow();
  const [since] = useState(() => ({ from: new Date(Date.now() - DAY_MS).toISOString(), to: new Date(Date.now() + DAY_MS).toISOString() }));
  const recent = useQuery<{ alerts: AlertView[] }>(RECENT, since);
  const [live, setLive] = useState<AlertView[]>([]);
  const [status, setStatus] = useState<{ status: FeedStatus; reason?: string }>({ status: 'connecting' });

  const reloadRecent = recent.reload;
  useEffect(
    () =>
      subscribeToAlerts(
        apiKey,
        (alert) => setLive((shown) => [alert, ...shown.filter((one) => one.id !== alert.id)]),
        (next, reason) => {
          setStatus({ status: next, reason });
          // Alerts raised while the feed was down (a reconnect) are read from the query again.
          if (next === 'live') reloadRecent();
        },
      ),
    [apiKey, reloadRecent],
  );

  const known = new Set(live.map((alert) => alert.id));
  const alerts = [...live, ...[...(recent.data?.alerts ?? [])].reverse().filter((alert) => !known.has(alert.id))].slice(0, SHOWN);
  return (
    <Section title="Live alerts" question="What just crossed a threshold, spiked or appeared?" testId="live-alerts">
      <p className={`feed-status feed-${status.status}`} role="status" data-testid="feed-status">
        {status.status === 'live' ? 'Live: new alerts appear here as they are raised.' : status.status === 'connecting' ? 'Connecting to the live feed…' : `The live feed is closed${status.reason ? `: ${status.reason}` : ''}.`}
      </p>
      {recent.error && <ErrorNote error={recent.error} what="recent alerts" />}
      {alerts.length === 0 ? (
        <p className="state empty">No alerts in the last day.</p>
      ) : (
        <ol className="alerts" aria-live="polite">
          {alerts.map((alert) => (
            <li key={alert.id} className={`alert kind-${alert.kind.toLowerCase()}`}>
              <span className="badge">{alert.kind}</span> <time dateTime={alert.at}>{formatInstant(alert.at, zone)}</time> {alert.message}
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
