import { createClient, type Client } from 'graphql-ws';

export interface AlertView {
  readonly id: string;
  readonly kind: string;
  readonly budgetId: string | null;
  readonly threshold: number | null;
  readonly agentId: string | null;
  readonly spent: string | null;
  readonly limit: string | null;
  readonly message: string;
  readonly at: string;
}

export const ALERT_FIELDS = 'id kind budgetId threshold agentId spent limit message at';

export type FeedStatus = 'connecting' | 'live' | 'closed';

/** The `alerts` subscription over graphql-ws on this origin's /graphql, the key in the connection params. */
export function subscribeToAlerts(apiKey: string, onAlert: (alert: AlertView) => void, onStatus: (status: FeedStatus, reason?: string) => void): () => void {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const client: Client = createClient({
    url,
    connectionParams: { authorization: `Bearer ${apiKey}` },
    retryAttempts: 5,
    on: { connected: () => onStatus('live'), closed: () => onStatus('closed') },
  });
  const unsubscribe = client.subscribe<{ alerts: AlertView }>(
    { query: `subscription { alerts { ${ALERT_FIELDS} } }` },
    {
      next: (message) => message.data && onAlert(message.data.alerts),
      error: (error) => onStatus('closed', error instanceof Error ? error.message : 'the live feed closed'),
      complete: () => onStatus('closed'),
    },
  );
  return () => {
    unsubscribe();
    void client.dispose();
  };
}
