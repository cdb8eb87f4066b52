CREATE TABLE tenant_price (
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
  stream_sequence    BIGINT NOT NULL,
  PRIMARY KEY (tenant, provider, model, effective_from)
);

CREATE TABLE priced_usage (
  fact_key           TEXT NOT NULL,
  tenant             TEXT NOT NULL,
  fact_type          TEXT NOT NULL,
  time               TIMESTAMPTZ(3) NOT NULL,
  provider           TEXT NOT NULL,
  model              TEXT NOT NULL,
  input_tokens       BIGINT NOT NULL,
  output_tokens      BIGINT NOT NULL,
  cache_read_tokens  BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL,
  reasoning_tokens   BIGINT NOT NULL,
  priced             BOOLEAN NOT NULL,
  cost               NUMERIC(38, 18) NOT NULL,
  price_ref          TEXT NOT NULL,
  reported_cost      TEXT NOT NULL,
  revision           INTEGER NOT NULL,
  PRIMARY KEY (tenant, fact_key)
);
CREATE INDEX priced_usage_tenant_provider_model_time_idx ON priced_usage (tenant, provider, model, time);
