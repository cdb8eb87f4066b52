-- The rollups are rewritten far more often than they grow: every batch adds to rows that are
-- already there (a row of cost_hourly is incremented by every batch that has a cost in its hour).
-- PostgreSQL writes each increment as a new row version; when it fits on the same page and no
-- indexed column changes (none does: only measures are added to) the update is HOT — no index
-- entries, and the old version is pruned from the page without waiting for VACUUM. Full pages
-- defeat that: at 10,000,000 events only 38 % of cost_hourly's updates were HOT and 3.5 million
-- dead versions waited for autovacuum. A batch adds to most rows of the pages it touches (rows of
-- one hour are written together, so they share pages), so a page must hold a second version of
-- every row, and a line pointer for it: 55 % of each page is left free. Measured on PostgreSQL 15,
-- incrementing every row of a table, round after round: at fillfactor 70 more than half the rows
-- move to another page at once; at 50 none does at first, but from the second round the last row
-- of some pages does (line pointers left by pruned versions take the rest); at 45 none does; and
-- after three rounds the table is half the size it is at 100, old versions being pruned from their
-- page instead of piling up. (schema-drift.int.spec.ts checks the first round on every rollup.) The price is paid where
-- rows are rarely incremented: sparse data (a row or two per hour and combination) takes up to
-- twice the room; where they are incremented often, as in any busy hour, the room is repaid many
-- times over (tools/bench/README.md has both).
--
-- SET (fillfactor) applies to pages written from now on; a deployment upgraded with large
-- rollups gets the room on its existing pages after `VACUUM FULL <table>` (or a rebuild), which it
-- may run when convenient.
ALTER TABLE cost_hourly SET (fillfactor = 45);
ALTER TABLE cost_daily SET (fillfactor = 45);
ALTER TABLE cost_dimension_hourly SET (fillfactor = 45);
ALTER TABLE cost_dimension_daily SET (fillfactor = 45);
ALTER TABLE cost_attribute_hourly SET (fillfactor = 45);
