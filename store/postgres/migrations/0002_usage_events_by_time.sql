-- Invoices read a month of workflow events in time order (ties by id) when
-- workflow prices varied, to fill discount tiers in the order usage happened.
CREATE INDEX usage_events_by_module_time ON usage_events (tenant_id, module, time, id COLLATE "C");
