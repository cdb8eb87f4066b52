-- Reservations of pre-call checks: an ALLOW with an estimate holds it on every matching budget
-- until the call's own priced event (same agent and span), a release, or its expiry.
CREATE TABLE reservation (
  tenant         TEXT NOT NULL,
  reservation_id TEXT NOT NULL,
  budget_id      TEXT NOT NULL,
  agent_id       TEXT NOT NULL,
  span_id        TEXT NOT NULL,
  amount         NUMERIC NOT NULL,
  expires_at     TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY (tenant, reservation_id, budget_id)
);
CREATE INDEX reservation_budget_idx ON reservation (tenant, budget_id, expires_at);
CREATE INDEX reservation_span_idx ON reservation (tenant, agent_id, span_id);
