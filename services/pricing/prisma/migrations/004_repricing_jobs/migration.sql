-- Re-pricing off the request path: a price event records a job; the re-pricing processor works
-- through the facts it covers in bounded pages, its cursor durable here, so a restart resumes it.
CREATE TABLE repricing_job (
  stream_sequence BIGINT PRIMARY KEY,      -- the price event: the corrections' revision
  tenant          TEXT NOT NULL,
  kind            TEXT NOT NULL,           -- 'model' | 'unit'
  scope           JSONB NOT NULL,          -- which facts the price covers
  set_by          TEXT NOT NULL,
  set_at          TIMESTAMPTZ(3) NOT NULL,
  cursor_time     TIMESTAMPTZ(3),          -- the last fact done, by (time, fact_key)
  cursor_fact_key TEXT,
  repriced_facts  INTEGER NOT NULL DEFAULT 0,
  repricing_delta NUMERIC NOT NULL DEFAULT 0,
  done            BOOLEAN NOT NULL DEFAULT false
);

-- Events recorded before jobs existed were re-priced in their own transaction: done.
ALTER TABLE price_history ADD COLUMN repricing_done BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE unit_price_history ADD COLUMN repricing_done BOOLEAN NOT NULL DEFAULT true;
CREATE INDEX priced_usage_tenant_time_key_idx ON priced_usage (tenant, time, fact_key);
