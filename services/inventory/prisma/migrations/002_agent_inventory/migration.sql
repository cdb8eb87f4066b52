-- The inventory of CONTRACT part D, a new read model rebuilt from the log by new durables
-- (`inventory-activity` on FINOPS_FACTS, `inventory-registrations` on FINOPS_AGENTS): the old
-- `agent` table counted registrations as activity, blanked the fields a later registration did
-- not give and dropped workflows, so it goes with its applied keys.
DROP TABLE agent;
DELETE FROM projection_applied WHERE projection = 'inventory-agents';

-- One row per (tenant, agent) that sent a fact: its activity (every type but agent.registered)
-- and what its agent.registered events said, field by field with the event time that said it.
CREATE TABLE agent_activity (
  tenant          TEXT NOT NULL,
  agent_id        TEXT NOT NULL,
  first_seen      TIMESTAMPTZ(3),
  last_seen       TIMESTAMPTZ(3),
  activity_events BIGINT NOT NULL DEFAULT 0,
  -- The team of its latest event (by event time) that named one.
  team            TEXT,
  team_at         TIMESTAMPTZ(3),
  -- The vendor of its latest saas.usage.
  saas_vendor     TEXT,
  saas_vendor_at  TIMESTAMPTZ(3),
  -- Distinct, from its llm.call models, tool.call tools and every event's workflow (Prisma keeps
  -- scalar lists nullable; always written).
  models          TEXT[] DEFAULT '{}',
  tools           TEXT[] DEFAULT '{}',
  workflows       TEXT[] DEFAULT '{}',
  -- {"<field>": {"value": …, "at": "<event time>", "key": "<registration key>"}}
  registration    JSONB NOT NULL DEFAULT '{}',
  registrations   BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, agent_id)
);

-- What registerAgent said (the agent aggregates on FINOPS_AGENTS), in the same shape.
CREATE TABLE agent_registration (
  tenant        TEXT NOT NULL,
  agent_id      TEXT NOT NULL,
  registration  JSONB NOT NULL DEFAULT '{}',
  registrations BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, agent_id)
);

-- Records, not read models (`rebuild` keeps them): what was raised and published once.
CREATE TABLE agent_alert (
  tenant   TEXT NOT NULL,
  alert_id TEXT NOT NULL,
  kind     TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  message  TEXT NOT NULL,
  at       TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY (tenant, alert_id)
);
CREATE INDEX agent_alert_at_idx ON agent_alert (tenant, at);

CREATE TABLE agent_lifecycle_event (
  tenant   TEXT NOT NULL,
  event_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  kind     TEXT NOT NULL,
  at       TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY (tenant, event_id)
);
