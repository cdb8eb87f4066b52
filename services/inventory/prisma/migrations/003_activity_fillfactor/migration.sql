-- agent_activity holds a row per agent, rewritten by every batch with an event of that agent (its
-- last_seen, its count, the models and tools it used): a busy fleet's rows are updated thousands of
-- times each. As for the cost rollups (attribution's 008), each update is a HOT update only if
-- the page has room for the new version; a batch touches most of the fleet's rows at once, so 55 %
-- of each page is left free. Without it, 38 % of these updates left the page in a 3,000-event
-- bench run, each with a new index entry and a dead row for autovacuum.
-- SET (fillfactor) applies to pages written from now on; `VACUUM FULL agent_activity` (or a
-- rebuild) gives the room to the pages already there.
ALTER TABLE agent_activity SET (fillfactor = 45);
