CREATE TABLE tenants (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    country       text NOT NULL DEFAULT '',
    support_email text NOT NULL DEFAULT '',
    plan          text NOT NULL,
    status        text NOT NULL DEFAULT '',
    quotas        jsonb NOT NULL DEFAULT '{}',
    settings      jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL
);

CREATE TABLE api_keys (
    id                     text PRIMARY KEY,
    tenant_id              text NOT NULL REFERENCES tenants (id),
    name                   text NOT NULL DEFAULT '',
    scopes                 jsonb NOT NULL,
    created_at             timestamptz NOT NULL,
    expires_at             timestamptz,
    last_used_at           timestamptz,
    revoked_at             timestamptz,
    sealed_secret          bytea NOT NULL,
    sealed_previous_secret bytea,
    previous_expires_at    timestamptz
);

CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id, created_at, id);

CREATE TABLE usage_events (
    tenant_id   text NOT NULL,
    id          text NOT NULL,
    specversion text NOT NULL,
    source      text NOT NULL,
    type        text NOT NULL,
    time        timestamptz NOT NULL,
    module      text NOT NULL,
    key_id      text NOT NULL DEFAULT '',
    quantity    bigint NOT NULL CHECK (quantity > 0),
    unit_price  bigint NOT NULL CHECK (unit_price >= 0),
    currency    text NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- usage_rollups sums usage_events per month, module and price; it is
-- updated in the transaction that records each event, so invoices read a
-- few rows whatever the volume.
CREATE TABLE usage_rollups (
    tenant_id  text NOT NULL,
    period     text NOT NULL,
    module     text NOT NULL,
    unit_price bigint NOT NULL,
    currency   text NOT NULL,
    events     bigint NOT NULL,
    units      bigint NOT NULL,
    first_time timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, period, module, unit_price, currency)
);

CREATE TABLE usage_counters (
    tenant_id text NOT NULL,
    module    text NOT NULL,
    period    text NOT NULL,
    used      bigint NOT NULL,
    PRIMARY KEY (tenant_id, module, period)
);

CREATE TABLE audit_log (
    tenant_id  text NOT NULL,
    seq        bigint NOT NULL,
    time       timestamptz NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    target     text NOT NULL,
    request_id text NOT NULL,
    outcome    text NOT NULL,
    details    jsonb NOT NULL,
    prev_hash  text NOT NULL,
    hash       text NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

CREATE FUNCTION audit_log_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_forbid_change();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_forbid_change();
