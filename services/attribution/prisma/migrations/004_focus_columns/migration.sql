-- What the FOCUS export (GET /v1/export/focus) needs of each priced event beyond the rollups:
-- its fact type, its SaaS vendor, and its cost by part (a correction's row holds the delta, so
-- the parts of an event's rows sum to its current breakdown). Rows written before this
-- migration keep a NULL breakdown until a rebuild; the export then shows their cost as one part.
ALTER TABLE cost_entry
  ADD COLUMN fact_type TEXT NOT NULL DEFAULT '',
  ADD COLUMN vendor TEXT NOT NULL DEFAULT '',
  ADD COLUMN breakdown JSONB;
