-- Paused scopes: the record of truth for pauses, by hand or by an exceeded BLOCK budget
-- (budget_id set). The KV bucket finops_control mirrors it for agents to watch; every change
-- queues its key in pause_change, in the same transaction, until the mirror has written it.
CREATE TABLE pause (
  tenant    TEXT NOT NULL,
  scope     TEXT NOT NULL,
  -- '' for the TENANT scope.
  scope_id  TEXT NOT NULL,
  reason    TEXT NOT NULL,
  paused_by TEXT NOT NULL,
  budget_id TEXT,
  paused_at TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY (tenant, scope, scope_id)
);
CREATE INDEX pause_budget_idx ON pause (tenant, budget_id);

CREATE TABLE pause_change (
  id       BIGSERIAL PRIMARY KEY,
  tenant   TEXT NOT NULL,
  scope    TEXT NOT NULL,
  scope_id TEXT NOT NULL
);
