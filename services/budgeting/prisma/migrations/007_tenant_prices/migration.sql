-- The tenants' model-token prices, from the price stream (FINOPS_PRICES): what turns a pre-call
-- check's token estimate into money. One row per (tenant, provider, model, effective_from), the
-- latest setting by stream sequence winning, as pricing keeps them; NUMERIC(38, 18) as pricing
-- stores them, so an estimate uses the very rates a call is priced at.
CREATE TABLE tenant_model_price (
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
  stream_sequence    BIGINT NOT NULL,
  PRIMARY KEY (tenant, provider, model, effective_from)
);
