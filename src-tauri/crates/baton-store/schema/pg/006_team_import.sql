-- The import columns of `records` (`first_import_id`, `last_import_id`) are written by
-- the importer alone, and only ever with the id of its own `imports` row, inserted first
-- in the same transaction; `imports` rows are never deleted (an undo marks them). The
-- foreign keys checked that once per key per row, one `SELECT … FOR KEY SHARE` each:
-- three quarters of the time of a big import's `COPY` (docs/team-workspace.md, "Import
-- speed"). A file's import turns the same checks off for the same reason.
ALTER TABLE records DROP CONSTRAINT records_first_import_id_fkey;
ALTER TABLE records DROP CONSTRAINT records_last_import_id_fkey;

-- Kinds and record ids compare byte by byte, as SQLite's BINARY does: the unique index
-- `(kind, external_id)` no longer goes through the server locale's collation for each
-- comparison (and cannot disagree with the file about which ids are equal or how they
-- sort).
ALTER TABLE records
    ALTER COLUMN kind TYPE TEXT COLLATE "C",
    ALTER COLUMN external_id TYPE TEXT COLLATE "C";
