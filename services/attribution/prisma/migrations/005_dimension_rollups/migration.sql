-- Rollups that roll up: cost per hour and per UTC day along ONE dimension at a time (and the
-- tenant's total, dimension 'all' with key ''), so that a 30-day summary, breakdown or spend
-- curve reads hundreds of rows sized by that dimension's cardinality, not cost_hourly's product
-- of seven. cost_hourly stays for the questions that filter or group on several dimensions at once.
CREATE TABLE cost_dimension_hourly (
  tenant             TEXT NOT NULL,
  dimension          TEXT NOT NULL,
  bucket_start       TIMESTAMPTZ(3) NOT NULL,
  key                TEXT NOT NULL,
  llm_calls          BIGINT NOT NULL,
  tool_calls         BIGINT NOT NULL,
  input_tokens       BIGINT NOT NULL,
  output_tokens      BIGINT NOT NULL,
  cache_read_tokens  BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL,
  reasoning_tokens   BIGINT NOT NULL,
  retries            BIGINT NOT NULL,
  retry_cost         NUMERIC(38, 18) NOT NULL,
  escalations        BIGINT NOT NULL,
  escalation_cost    NUMERIC(38, 18) NOT NULL,
  unpriced_calls     BIGINT NOT NULL,
  cost               NUMERIC(38, 18) NOT NULL,
  PRIMARY KEY (tenant, dimension, bucket_start, key)
);

CREATE TABLE cost_dimension_daily (
  tenant             TEXT NOT NULL,
  dimension          TEXT NOT NULL,
  bucket_start       TIMESTAMPTZ(3) NOT NULL,
  key                TEXT NOT NULL,
  llm_calls          BIGINT NOT NULL,
  tool_calls         BIGINT NOT NULL,
  input_tokens       BIGINT NOT NULL,
  output_tokens      BIGINT NOT NULL,
  cache_read_tokens  BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL,
  reasoning_tokens   BIGINT NOT NULL,
  retries            BIGINT NOT NULL,
  retry_cost         NUMERIC(38, 18) NOT NULL,
  escalations        BIGINT NOT NULL,
  escalation_cost    NUMERIC(38, 18) NOT NULL,
  unpriced_calls     BIGINT NOT NULL,
  cost               NUMERIC(38, 18) NOT NULL,
  PRIMARY KEY (tenant, dimension, bucket_start, key)
);

-- What was applied before this migration, rolled up once, in the same transaction as the tables.
INSERT INTO cost_dimension_hourly
SELECT e.tenant, d.dimension, date_trunc('hour', e.time, 'UTC'), d.key,
       sum(e.llm_calls), sum(e.tool_calls), sum(e.input_tokens), sum(e.output_tokens), sum(e.cache_read_tokens),
       sum(e.cache_write_tokens), sum(e.reasoning_tokens), sum(e.retries), sum(e.retry_cost), sum(e.escalations),
       sum(e.escalation_cost), sum(e.unpriced_calls), sum(e.cost)
  FROM cost_entry e
  CROSS JOIN LATERAL (VALUES ('all', ''), ('agent_id', e.agent_id), ('team', e.team), ('workflow', e.workflow), ('environment', e.environment),
                             ('model', e.model), ('provider', e.provider), ('tool', e.tool)) AS d(dimension, key)
 GROUP BY 1, 2, 3, 4;

INSERT INTO cost_dimension_daily
SELECT tenant, dimension, date_trunc('day', bucket_start, 'UTC'), key,
       sum(llm_calls), sum(tool_calls), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens),
       sum(cache_write_tokens), sum(reasoning_tokens), sum(retries), sum(retry_cost), sum(escalations),
       sum(escalation_cost), sum(unpriced_calls), sum(cost)
  FROM cost_dimension_hourly
 GROUP BY 1, 2, 3, 4;
