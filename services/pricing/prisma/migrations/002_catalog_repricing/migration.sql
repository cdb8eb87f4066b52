-- The PRICED event as published (protobuf bytes): corrections copy its dimensions so downstream
-- moves every rollup the original cost landed in. When it was last corrected.
ALTER TABLE priced_usage ADD COLUMN priced_cost BYTEA;
ALTER TABLE priced_usage ADD COLUMN corrected_at TIMESTAMPTZ(3);

-- Every price event, never overwritten: who set what, when, and what it replaced (audit trail).
CREATE TABLE price_history (
  stream_sequence    BIGINT PRIMARY KEY,
  tenant             TEXT NOT NULL,
  provider           TEXT NOT NULL,
  model              TEXT NOT NULL,
  effective_from     TIMESTAMPTZ(3) NOT NULL,
  effective_to       TIMESTAMPTZ(3),
  input_per_1m       NUMERIC(38, 18) NOT NULL,
  output_per_1m      NUMERIC(38, 18) NOT NULL,
  cache_read_per_1m  NUMERIC(38, 18),
  cache_write_per_1m NUMERIC(38, 18),
  reasoning_per_1m   NUMERIC(38, 18),
  request_fee        NUMERIC(38, 18),
  currency           TEXT NOT NULL,
  set_by             TEXT NOT NULL,
  set_at             TIMESTAMPTZ(3) NOT NULL,
  -- The tenant entry in force at effective_from before this event ('' = the default catalog or none).
  previous_ref       TEXT NOT NULL,
  previous_rates     TEXT NOT NULL,
  repriced_facts     INTEGER NOT NULL,
  repricing_delta    NUMERIC(38, 18) NOT NULL
);
CREATE INDEX price_history_tenant_model_idx ON price_history (tenant, provider, model, stream_sequence);

-- Default catalog versions imported (CatalogImported events on the price stream).
CREATE TABLE catalog_import (
  stream_sequence BIGINT PRIMARY KEY,
  version         TEXT NOT NULL,
  package_version TEXT NOT NULL,
  data_hash       TEXT NOT NULL,
  model_count     INTEGER NOT NULL,
  previous_version TEXT NOT NULL,
  imported_at     TIMESTAMPTZ(3) NOT NULL
);

CREATE INDEX priced_usage_tenant_unpriced_idx ON priced_usage (tenant, time) WHERE NOT priced;
