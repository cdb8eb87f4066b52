-- Alerts on their way to their budget's webhook: one row per (alert, URL), inserted by the
-- budgeting-webhooks projection in the transaction that records the alert's key, so a redelivered
-- or replayed alert never makes a second row. The delivery worker claims due rows (next_attempt_at
-- pushed forward as a lease, SKIP LOCKED, so replicas share them), POSTs, and records the outcome:
-- delivered_at, or the next attempt with its backoff, or failed_at once the retry window is over.
-- next_attempt_at is NULL once a row is settled (delivered or failed), so the index holds the queue.
-- A record, not a read model: `rebuild` keeps it.
CREATE TABLE webhook_delivery (
  tenant          TEXT NOT NULL,
  alert_id        TEXT NOT NULL,
  url             TEXT NOT NULL,
  payload         JSONB NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ(3),
  last_error      TEXT,
  delivered_at    TIMESTAMPTZ(3),
  failed_at       TIMESTAMPTZ(3),
  created_at      TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY (tenant, alert_id, url)
);
CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at);
