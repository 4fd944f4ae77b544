-- Row versions (issue 10) on what is edited as a whole and has no row of its own to
-- carry `row_version`: the funnel's stages and the CRM value → stage map (each edited as
-- a list), the business hours and the company name (settings). One row per thing, made
-- by its first change (no row: version 1); what each version changed is kept in
-- `row_edits` (tbl = `what`, row_id 0), as for rows (baton-store/src/config_version.rs).
CREATE TABLE config_versions (
    what        TEXT PRIMARY KEY,
    row_version INTEGER NOT NULL
) WITHOUT ROWID;
