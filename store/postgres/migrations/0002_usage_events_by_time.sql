-- Invoices read a month of workflow events in time order (ties by id) when
-- workflow prices varied, to fill discount tiers in the order usage happened.
-- It is built inside the migration's transaction, which blocks inserts into
-- usage_events while it builds (about 3 s for 2M rows): on a large table,
-- create it by hand first with CREATE INDEX CONCURRENTLY IF NOT EXISTS and
-- the same definition, and this statement finds it there.
CREATE INDEX IF NOT EXISTS usage_events_by_module_time ON usage_events (tenant_id, module, time, id COLLATE "C");
