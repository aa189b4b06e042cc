-- Times are Unix microseconds (UTC); NULL means "never".

CREATE TABLE tenants (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    country       TEXT NOT NULL DEFAULT '',
    support_email TEXT NOT NULL DEFAULT '',
    plan          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT '',
    quotas        TEXT NOT NULL DEFAULT '{}',
    settings      TEXT NOT NULL DEFAULT '{}',
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
    id                     TEXT PRIMARY KEY,
    tenant_id              TEXT NOT NULL REFERENCES tenants (id),
    name                   TEXT NOT NULL DEFAULT '',
    scopes                 TEXT NOT NULL,
    created_at             INTEGER NOT NULL,
    expires_at             INTEGER,
    last_used_at           INTEGER,
    revoked_at             INTEGER,
    sealed_secret          BLOB NOT NULL,
    sealed_previous_secret BLOB,
    previous_expires_at    INTEGER
) STRICT;

CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id, created_at, id);

CREATE TABLE usage_events (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    specversion TEXT NOT NULL,
    source      TEXT NOT NULL,
    type        TEXT NOT NULL,
    time        INTEGER NOT NULL,
    module      TEXT NOT NULL,
    key_id      TEXT NOT NULL DEFAULT '',
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    unit_price  INTEGER NOT NULL CHECK (unit_price >= 0),
    currency    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;

-- usage_rollups sums usage_events per month, module and price; it is
-- updated in the transaction that records each event, so invoices read a
-- few rows whatever the volume.
CREATE TABLE usage_rollups (
    tenant_id  TEXT NOT NULL,
    period     TEXT NOT NULL,
    module     TEXT NOT NULL,
    unit_price INTEGER NOT NULL,
    currency   TEXT NOT NULL,
    events     INTEGER NOT NULL,
    units      INTEGER NOT NULL,
    first_time INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, period, module, unit_price, currency)
) STRICT, WITHOUT ROWID;

CREATE TABLE usage_counters (
    tenant_id TEXT NOT NULL,
    module    TEXT NOT NULL,
    period    TEXT NOT NULL,
    used      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, module, period)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_log (
    tenant_id  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    time       INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    request_id TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    details    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
