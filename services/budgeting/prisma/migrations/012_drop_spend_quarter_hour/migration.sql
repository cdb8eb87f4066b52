-- Budgets read their spend from scope_spend_quarter_hour (one row per scope and quarter hour, since
-- 009); nothing has read spend_quarter_hour, keyed on team, agent, workflow and environment at
-- once, since then, yet every batch of costs still upserted it: at 50 agents it held about a row
-- per event (a third of budgeting's disk and one of its two spend statements per batch). The costs
-- stream keeps every cost, so a read model that needs those combinations again is a replay away.
DROP TABLE spend_quarter_hour;
