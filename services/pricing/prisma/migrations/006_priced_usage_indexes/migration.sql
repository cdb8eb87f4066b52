-- Two of `priced_usage`'s indexes cost an entry per model call and served nothing a model call
-- needs. Re-pricing by model matches provider and model without regard to case (ILIKE), which a
-- btree on (tenant, provider, model, time) answers only through its tenant prefix: the
-- (tenant, time, fact_key) index, by which a job pages anyway, does the same. The index by item
-- and unit serves re-pricing by a tool's or a SaaS product's unit price, whose queries always name
-- that fact type: model calls (item and unit empty) need no entry in it.
DROP INDEX priced_usage_tenant_provider_model_time_idx;
DROP INDEX priced_usage_tenant_item_idx;
CREATE INDEX priced_usage_tenant_item_idx ON priced_usage (tenant, fact_type, item, unit, time) WHERE fact_type <> 'llm.call';
