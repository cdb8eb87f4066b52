-- Custom-attribute cost rollups (ATTRIBUTION_ROLLUP_ATTRIBUTES, e.g. customer, feature).
-- cost_entry keeps the values of the configured keys an event carries (a missing key counts as '',
-- grouped with the other costs without it), so the
-- partial hours at a window's edges are exact; whole hours come from cost_attribute_hourly.
-- Changing the configured keys takes a rebuild (`npm run rebuild-read-models`).
ALTER TABLE cost_entry ADD COLUMN attributes JSONB NOT NULL DEFAULT '{}'::jsonb;

CREATE TABLE cost_attribute_hourly (
  tenant        TEXT NOT NULL,
  bucket_start  TIMESTAMPTZ(3) NOT NULL,
  attribute     TEXT NOT NULL,
  value         TEXT NOT NULL,
  llm_calls     BIGINT NOT NULL,
  tool_calls    BIGINT NOT NULL,
  input_tokens  BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cost          NUMERIC(38, 18) NOT NULL,
  PRIMARY KEY (tenant, bucket_start, attribute, value)
);
CREATE INDEX cost_attribute_hourly_attribute_idx ON cost_attribute_hourly (tenant, attribute, bucket_start);
