-- PostgreSQL mirror of ../004_row_versions.sql.
ALTER TABLE personas ADD COLUMN row_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE action_items ADD COLUMN row_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE people ADD COLUMN row_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE sessions ADD COLUMN row_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN row_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE parking_lot ADD COLUMN row_version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE row_edits (
    tbl     TEXT NOT NULL,
    row_id  BIGINT NOT NULL,
    version BIGINT NOT NULL,
    fields  TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, version)
);
