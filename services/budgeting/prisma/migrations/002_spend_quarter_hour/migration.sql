-- Spend per quarter hour of event time (UTC): every time zone's day, week and month starts on a
-- quarter hour (offsets of 30 and 45 minutes included), so a budget's period is an exact sum of
-- buckets, which a UTC day is not. Fed from the start of FINOPS_COSTS by its own durable consumer.
CREATE TABLE spend_quarter_hour (
  tenant       TEXT NOT NULL,
  bucket_start TIMESTAMPTZ(3) NOT NULL,
  team         TEXT NOT NULL,
  agent_id     TEXT NOT NULL,
  workflow     TEXT NOT NULL,
  environment  TEXT NOT NULL,
  cost         NUMERIC NOT NULL,
  PRIMARY KEY (tenant, bucket_start, team, agent_id, workflow, environment)
);
DROP TABLE spend_daily;

-- The budgets read model: each budget's settings as its aggregate last set them; a deleted one is
-- kept as a tombstone so that an older event met again never brings it back.
CREATE TABLE budget (
  tenant          TEXT NOT NULL,
  budget_id       TEXT NOT NULL,
  name            TEXT,
  scope           TEXT NOT NULL,
  scope_id        TEXT,
  period          TEXT NOT NULL,
  "limit"         NUMERIC NOT NULL,
  thresholds      INTEGER[],               -- Prisma keeps scalar lists nullable; always written
  enforcement     TEXT NOT NULL,
  time_zone       TEXT NOT NULL,
  webhook_url     TEXT,
  set_by          TEXT NOT NULL,
  set_at          TIMESTAMPTZ(3) NOT NULL,
  stream_sequence BIGINT NOT NULL,
  deleted         BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (tenant, budget_id)
);
