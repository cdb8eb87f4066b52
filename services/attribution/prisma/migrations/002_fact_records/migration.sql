-- Every fact that tells what an agent did (calls, runs, outcomes, evaluations, SaaS usage),
-- one row each, by event time. Costs join it by fact_key at query time, so facts and costs
-- may arrive in either order.
CREATE TABLE fact_record (
  tenant             TEXT NOT NULL,
  fact_key           TEXT NOT NULL,
  type               TEXT NOT NULL,
  time               TIMESTAMPTZ(3) NOT NULL,
  agent_id           TEXT NOT NULL,
  team               TEXT NOT NULL,
  workflow           TEXT NOT NULL,
  environment        TEXT NOT NULL,
  trace_id           TEXT NOT NULL,
  span_id            TEXT NOT NULL,
  parent_span_id     TEXT NOT NULL,
  attributes         JSONB NOT NULL,
  kind               TEXT NOT NULL,
  name               TEXT NOT NULL,
  provider           TEXT,
  model              TEXT,
  tool               TEXT,
  attempt            INTEGER,
  status             TEXT,
  latency_ms         BIGINT,
  escalated_from     TEXT,
  router             TEXT,
  decision           TEXT,
  outcome            TEXT,
  success            BOOLEAN,
  quantity           NUMERIC(38, 18),
  value              NUMERIC(38, 18),
  time_saved_minutes DOUBLE PRECISION,
  evaluator          TEXT,
  metric             TEXT,
  score              DOUBLE PRECISION,
  passed             BOOLEAN,
  PRIMARY KEY (tenant, fact_key)
);
CREATE INDEX fact_record_trace_idx ON fact_record (tenant, trace_id);
CREATE INDEX fact_record_type_time_idx ON fact_record (tenant, type, time);

-- Joins from facts and runs to their costs.
CREATE INDEX cost_entry_fact_key_idx ON cost_entry (tenant, fact_key);
CREATE INDEX cost_entry_trace_idx ON cost_entry (tenant, trace_id);
