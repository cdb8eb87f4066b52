-- Anomalies: each agent's activity per UTC hour (its own baseline), and alerts that belong to an
-- agent rather than a budget (SPEND_ANOMALY, RETRY_STORM: once per agent and hour by their id).
CREATE TABLE agent_hour (
  tenant     TEXT NOT NULL,
  agent_id   TEXT NOT NULL,
  hour_start TIMESTAMPTZ(3) NOT NULL,
  cost       NUMERIC NOT NULL,
  calls      INTEGER NOT NULL,
  retries    INTEGER NOT NULL,
  PRIMARY KEY (tenant, agent_id, hour_start)
);

ALTER TABLE budget_alert ALTER COLUMN budget_id DROP NOT NULL;
ALTER TABLE budget_alert ALTER COLUMN threshold DROP NOT NULL;
ALTER TABLE budget_alert ALTER COLUMN "limit" DROP NOT NULL;
ALTER TABLE budget_alert ADD COLUMN agent_id TEXT;
