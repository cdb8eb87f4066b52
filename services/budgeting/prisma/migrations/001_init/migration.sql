CREATE TABLE spend_daily (
  tenant      TEXT NOT NULL,
  day         DATE NOT NULL,
  team        TEXT NOT NULL,
  agent_id    TEXT NOT NULL,
  workflow    TEXT NOT NULL,
  environment TEXT NOT NULL,
  cost        NUMERIC(38, 18) NOT NULL,
  PRIMARY KEY (tenant, day, team, agent_id, workflow, environment)
);
