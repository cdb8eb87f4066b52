-- Costs and facts are their own idempotency record: `cost_entry (tenant, cost_id)` and
-- `fact_record (tenant, fact_key)` are inserted ON CONFLICT DO NOTHING and only the rows actually
-- inserted are rolled up. Their ledger rows (in `applied_key`: the library's 000_applied_key, run first, converted `projection_applied`) are redundant: each key
-- ('<tenant>|<cost_id>', '<tenant>|<fact_key>') was written in the same transaction as its row,
-- and neither table loses a row but by rebuild (which empties the ledger too). A redelivery after
-- the upgrade finds the row and changes nothing.
DELETE FROM applied_key
WHERE projection IN (SELECT ('x' || substring(encode(sha256(convert_to(name, 'UTF8')), 'hex') FROM 1 FOR 8))::bit(32)::integer
                     FROM unnest(ARRAY['attribution-costs', 'attribution-facts']) AS name);
