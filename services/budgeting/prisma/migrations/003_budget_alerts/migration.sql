-- Alerts raised, a record (not a read model: `rebuild` keeps it): one row per (budget, period,
-- threshold), inserted in the transaction whose spend or settings made it true, so an alert is
-- raised exactly once whatever the redeliveries, replays or restarts. Published through the outbox.
CREATE TABLE budget_alert (
  tenant       TEXT NOT NULL,
  alert_id     TEXT NOT NULL,
  kind         TEXT NOT NULL,
  budget_id    TEXT NOT NULL,
  period_start TIMESTAMPTZ(3) NOT NULL,
  threshold    INTEGER NOT NULL,
  spent        NUMERIC NOT NULL,
  "limit"      NUMERIC NOT NULL,
  message      TEXT NOT NULL,
  at           TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY (tenant, alert_id)
);
CREATE UNIQUE INDEX budget_alert_once_idx ON budget_alert (tenant, budget_id, period_start, threshold);
CREATE INDEX budget_alert_at_idx ON budget_alert (tenant, at);
