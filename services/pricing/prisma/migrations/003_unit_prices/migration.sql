-- Tool and SaaS unit prices (PriceSet events of kind TOOL_UNIT / SAAS_UNIT): one aggregate per
-- (tenant, kind, vendor, name, unit), effective-dated like model prices.
CREATE TABLE tenant_unit_price (
  tenant          TEXT NOT NULL,
  kind            TEXT NOT NULL,            -- 'tool' | 'saas'
  vendor          TEXT NOT NULL,            -- '' = any vendor (tools only)
  name            TEXT NOT NULL,            -- the tool, or the SaaS product
  unit            TEXT NOT NULL,
  effective_from  TIMESTAMPTZ(3) NOT NULL,
  effective_to    TIMESTAMPTZ(3),
  unit_price      NUMERIC NOT NULL,         -- unconstrained: exact as set
  currency        TEXT NOT NULL,
  set_by          TEXT NOT NULL,
  set_at          TIMESTAMPTZ(3) NOT NULL,
  stream_sequence BIGINT NOT NULL,
  PRIMARY KEY (tenant, kind, vendor, name, unit, effective_from)
);

-- Every unit price event, never overwritten (audit trail, as price_history for models).
CREATE TABLE unit_price_history (
  stream_sequence     BIGINT PRIMARY KEY,
  tenant              TEXT NOT NULL,
  kind                TEXT NOT NULL,
  vendor              TEXT NOT NULL,
  name                TEXT NOT NULL,
  unit                TEXT NOT NULL,
  effective_from      TIMESTAMPTZ(3) NOT NULL,
  effective_to        TIMESTAMPTZ(3),
  unit_price          NUMERIC NOT NULL,
  currency            TEXT NOT NULL,
  set_by              TEXT NOT NULL,
  set_at              TIMESTAMPTZ(3) NOT NULL,
  previous_ref        TEXT NOT NULL,
  previous_unit_price TEXT NOT NULL,
  repriced_facts      INTEGER NOT NULL,
  repricing_delta     NUMERIC NOT NULL
);
CREATE INDEX unit_price_history_tenant_idx ON unit_price_history (tenant, kind, name, stream_sequence);

-- What a tool call or SaaS usage was metered in, so a unit price set later can price it.
ALTER TABLE priced_usage ADD COLUMN vendor TEXT NOT NULL DEFAULT '';
ALTER TABLE priced_usage ADD COLUMN item TEXT NOT NULL DEFAULT '';
ALTER TABLE priced_usage ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE priced_usage ADD COLUMN units TEXT NOT NULL DEFAULT '';
-- The current breakdown (JSON of decimal strings), so a correction can carry its delta.
ALTER TABLE priced_usage ADD COLUMN breakdown TEXT;
-- units × unit price can carry more than 18 decimals; the base of every delta must stay exact.
ALTER TABLE priced_usage ALTER COLUMN cost TYPE NUMERIC;
CREATE INDEX priced_usage_tenant_item_idx ON priced_usage (tenant, fact_type, item, unit, time);

-- Sweeps that priced unpriced facts when a new default catalog version was recorded: done once per import.
CREATE TABLE catalog_repricing (
  stream_sequence BIGINT PRIMARY KEY,
  version         TEXT NOT NULL,
  repriced_facts  INTEGER NOT NULL,
  repricing_delta NUMERIC NOT NULL,
  completed_at    TIMESTAMPTZ(3) NOT NULL
);
