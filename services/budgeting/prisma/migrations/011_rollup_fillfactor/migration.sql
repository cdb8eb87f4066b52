-- Spend rollups are incremented by every batch of costs in their quarter hour (agent_hour by
-- every batch in its hour). Each increment is a new row version; with room on its page and no
-- indexed column changed it is a HOT update (no index entries, pruned from the page without
-- VACUUM). Full pages send the new version elsewhere, with new index entries and a dead row left
-- for autovacuum. A batch adds to most rows of the pages it touches (rows of one quarter hour are
-- written together), so 55 % of each page is left free for a second version of every row and its
-- line pointer (attribution's 008 has the measurements; schema-drift.int.spec.ts checks it).
--
-- SET (fillfactor) applies to pages written from now on; an upgraded deployment gets the room on
-- existing pages after `VACUUM FULL <table>` (or a rebuild), which it may run when convenient.
ALTER TABLE spend_quarter_hour SET (fillfactor = 45);
ALTER TABLE scope_spend_quarter_hour SET (fillfactor = 45);
ALTER TABLE agent_hour SET (fillfactor = 45);
