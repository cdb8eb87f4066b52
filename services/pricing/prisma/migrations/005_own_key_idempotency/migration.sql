-- Priced usage is its own idempotency record: `priced_usage (tenant, fact_key)` is looked up
-- under the tenant's pricing lock and inserted ON CONFLICT DO NOTHING; only facts actually
-- inserted are priced and published. Its ledger rows (in `applied_key`: the library's 000_applied_key, run first, converted `projection_applied`) are redundant: each
-- key ('<tenant>|<fact_key>') was written in the same transaction as its `priced_usage` row, which
-- re-pricing updates but only rebuild removes (emptying the ledger too). A redelivery after the
-- upgrade finds the row and changes nothing.
DELETE FROM applied_key
WHERE projection IN (SELECT ('x' || substring(encode(sha256(convert_to(name, 'UTF8')), 'hex') FROM 1 FOR 8))::bit(32)::integer
                     FROM unnest(ARRAY['pricing-usage']) AS name);
