-- Share links (issue #5). The design's `shares` and `share_access_log`, adapted: a link is found by the SHA-256 of its
-- token, never by the token itself, so a copy of this file yields no working link. Times are Unix milliseconds (UTC).
-- The file is in WAL mode (set by ShareDatabase before this script: it cannot change inside a transaction).

CREATE TABLE shares (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash        BLOB    NOT NULL UNIQUE,
    root              TEXT    NOT NULL,
    series_key        TEXT    NOT NULL,
    created_by        TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    password_hash     TEXT,
    max_downloads     INTEGER,
    download_count    INTEGER NOT NULL DEFAULT 0,
    access_count      INTEGER NOT NULL DEFAULT 0,
    last_accessed     INTEGER,
    revoked_at        INTEGER,
    failed_attempts   INTEGER NOT NULL DEFAULT 0,
    locked_until      INTEGER,
    note              TEXT,
    show_details      INTEGER NOT NULL DEFAULT 0,
    show_patient      INTEGER NOT NULL DEFAULT 0,
    compression       TEXT    NOT NULL DEFAULT 'stored'
);

CREATE INDEX ix_shares_created ON shares (created_at DESC);

-- One row per request on a public route, granted or not. share_id is NULL for unknown and malformed tokens.
CREATE TABLE share_access_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    share_id     INTEGER REFERENCES shares (id),
    accessed_at  INTEGER NOT NULL,
    ip_address   TEXT,
    user_agent   TEXT,
    action       TEXT    NOT NULL,
    outcome      TEXT    NOT NULL,
    success      INTEGER NOT NULL
);

CREATE INDEX ix_access_share ON share_access_log (share_id, id DESC);
