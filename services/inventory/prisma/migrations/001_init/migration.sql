CREATE TABLE agent (
  tenant      TEXT NOT NULL,
  agent_id    TEXT NOT NULL,
  name        TEXT,
  team        TEXT,
  owner       TEXT,
  platform    TEXT,
  vendor      TEXT,
  lifecycle   TEXT,
  description TEXT,
  first_seen  TIMESTAMPTZ(3),
  last_seen   TIMESTAMPTZ(3),
  events      BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, agent_id)
);
