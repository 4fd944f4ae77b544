-- Owned by the import area (issue 3). Records imported from CRM exports.
-- Dates are wall-clock times without a zone, stored as seconds since 1970-01-01T00:00:00
-- of that wall clock (i.e. as if UTC), so they compare as wall-clock times.
CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    preset       TEXT NOT NULL,             -- preset name, or 'profile' / the profile's name
    kind         TEXT NOT NULL,             -- kind of the records this import wrote
    encoding     TEXT NOT NULL,
    delimiter    TEXT NOT NULL,
    imported_at  INTEGER NOT NULL,          -- wall clock of the import (the snapshot's "as of")
    rows_read    INTEGER NOT NULL DEFAULT 0,
    inserted     INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    warnings     TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    profile      TEXT NOT NULL DEFAULT '{}', -- JSON of the profile used (the preset resolved to columns)
    undone_at    INTEGER                     -- NULL while the import is live
);

-- One row per CRM record (contact, lead, deal…). Re-importing upserts by (kind, external_id):
-- a value missing from a later file keeps the earlier one, so files enrich each other.
CREATE TABLE records (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,             -- 'contact', 'deal', 'lead', … (from the preset/profile)
    external_id     TEXT NOT NULL,             -- the CRM's record id (or a key built from the profile's record_key columns)
    current_stage   TEXT,                      -- stage id, 'lost', or NULL (stage column absent or value not mapped)
    outcome         TEXT,                      -- 'won', 'lost' or NULL (open)
    stage_dates     TEXT NOT NULL DEFAULT '{}',-- JSON {stage_id: seconds}: dates the files gave for entering each stage
    first_seen      TEXT NOT NULL DEFAULT '{}',-- JSON {stage_id|'lost': seconds}: imported_at of the first import that saw the record at that stage without a date for it
    created_at      INTEGER,                   -- the CRM's creation date
    closed_at       INTEGER,                   -- won/lost date when outcome is set (NULL while open)
    source          TEXT,                      -- text fields: trimmed; case variants folded to the first spelling seen
    campaign        TEXT,
    owner           TEXT,
    segment         TEXT,
    industry        TEXT,
    country         TEXT,
    company_size    INTEGER,                   -- employees
    amount          REAL,                      -- deal value in the file's currency
    lost_reason     TEXT,
    custom          TEXT NOT NULL DEFAULT '{}',-- JSON {field: string} for the profile's custom fields (and `expected_close` seconds as text)
    personal        TEXT,                      -- JSON {field: value or sha256 hex}, only when the user opted in
    first_import_id INTEGER NOT NULL REFERENCES imports(id),  -- the import that inserted the record
    last_import_id  INTEGER NOT NULL REFERENCES imports(id),  -- the last import that wrote it
    UNIQUE (kind, external_id)
);

-- Every import keeps each record's stage as of that import: stage history accrues.
-- Snapshots of undone imports are deleted.
CREATE TABLE import_snapshots (
    import_id INTEGER NOT NULL,
    record_id INTEGER NOT NULL,
    stage     TEXT,
    PRIMARY KEY (import_id, record_id)
) WITHOUT ROWID;

-- Before-images for undo of records an import updated (JSON of the record's columns).
-- Records an import inserted are those with first_import_id = the import.
CREATE TABLE import_undo (
    import_id INTEGER NOT NULL,
    record_id INTEGER NOT NULL,
    before    TEXT NOT NULL,
    PRIMARY KEY (import_id, record_id)
) WITHOUT ROWID;

-- Rows a partial import could not read, with the reason, exportable as CSV.
CREATE TABLE import_rejects (
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    row_number  INTEGER NOT NULL,             -- 1-based line of the row's start in the file
    column_name TEXT,                         -- the offending column, when one
    value       TEXT,                         -- what was found
    reason      TEXT NOT NULL,                -- what was expected
    raw         TEXT NOT NULL,                -- the row as read (JSON array of strings)
    PRIMARY KEY (import_id, row_number)
) WITHOUT ROWID;

-- CRM value → stage id (or 'lost'), edited on the Vocabulary screen; used by imports and quality
-- checks. Overrides the presets' and profiles' maps.
CREATE TABLE stage_value_map (
    crm_value TEXT PRIMARY KEY COLLATE NOCASE,
    stage_id  TEXT NOT NULL
) WITHOUT ROWID;

-- Owned by the metrics area (issue 13). The funnel stages each import's file can express:
-- its stage-date columns, the stages its stage-value map (and the workspace map) can map
-- to, and the stages its rows were seen at. A stage none of a record's imports can express
-- is "not tracked" for that record: the funnel shows no count for it rather than counting
-- it as passed. Imports without a row here (older files) track every stage.
CREATE TABLE import_tracking (
    import_id INTEGER PRIMARY KEY,
    stages    TEXT NOT NULL              -- JSON array of stage ids
) WITHOUT ROWID;

-- Stage values an import's rows carried that no map named (records kept without a stage),
-- with how many rows had each: written by the import in its transaction, removed by its
-- undo. The data-quality panel and the report list them until they are mapped.
CREATE TABLE import_unmapped_stages (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    value     TEXT NOT NULL,             -- the raw value as read (trimmed)
    rows      INTEGER NOT NULL,
    PRIMARY KEY (import_id, value)
) WITHOUT ROWID;
