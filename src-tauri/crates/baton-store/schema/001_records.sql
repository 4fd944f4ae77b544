-- Owned by the import area (issue 3). Records imported from CRM exports.
-- Dates are wall-clock times without a zone, stored as seconds since 1970-01-01T00:00:00
-- of that wall clock (i.e. as if UTC), so they compare as wall-clock times.
CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    preset       TEXT NOT NULL,
    encoding     TEXT NOT NULL,
    delimiter    TEXT NOT NULL,
    imported_at  INTEGER NOT NULL,       -- wall clock of the import (the snapshot's "as of")
    rows_read    INTEGER NOT NULL DEFAULT 0,
    inserted     INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    warnings     TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    profile      TEXT NOT NULL DEFAULT '{}',   -- JSON of the profile used
    undone_at    INTEGER                        -- NULL while the import is live
);

CREATE TABLE records (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,             -- 'contact', 'deal', 'lead', … (from the preset/profile)
    external_id     TEXT NOT NULL,             -- the CRM's record id
    current_stage   TEXT,                      -- stage id, 'lost', or NULL
    outcome         TEXT,                      -- 'won', 'lost' or NULL (open)
    stage_dates     TEXT NOT NULL DEFAULT '{}',-- JSON {stage_id: seconds} from the files
    first_seen      TEXT NOT NULL DEFAULT '{}',-- JSON {stage_id: seconds}: import time a stage was first seen without a date
    created_at      INTEGER,
    closed_at       INTEGER,
    source          TEXT,
    campaign        TEXT,
    owner           TEXT,
    segment         TEXT,
    industry        TEXT,
    country         TEXT,
    company_size    INTEGER,
    amount          REAL,
    lost_reason     TEXT,
    custom          TEXT NOT NULL DEFAULT '{}',-- JSON {field: string}
    personal        TEXT,                      -- JSON, only when the user opted in
    first_import_id INTEGER NOT NULL REFERENCES imports(id),
    last_import_id  INTEGER NOT NULL REFERENCES imports(id),
    UNIQUE (kind, external_id)
);

-- Every import keeps each record's stage as of that import: stage history accrues.
CREATE TABLE import_snapshots (
    import_id INTEGER NOT NULL,
    record_id INTEGER NOT NULL,
    stage     TEXT,
    PRIMARY KEY (import_id, record_id)
) WITHOUT ROWID;

-- Before-images for undo: NULL `before` means the import inserted the record.
CREATE TABLE import_undo (
    import_id INTEGER NOT NULL,
    record_id INTEGER NOT NULL,
    before    TEXT,
    PRIMARY KEY (import_id, record_id)
) WITHOUT ROWID;

-- Rows a partial import could not read, with the reason, exportable as CSV.
CREATE TABLE import_rejects (
    import_id  INTEGER NOT NULL REFERENCES imports(id),
    row_number INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    raw        TEXT NOT NULL,
    PRIMARY KEY (import_id, row_number)
) WITHOUT ROWID;

-- CRM value → stage id (or 'lost'), edited on the Vocabulary screen; used by imports and quality checks.
CREATE TABLE stage_value_map (
    crm_value TEXT PRIMARY KEY COLLATE NOCASE,
    stage_id  TEXT NOT NULL
) WITHOUT ROWID;
