-- Row versions (issue 10): every row a person edits carries `row_version`, bumped by
-- each change; an edit that states the version it was based on is refused when the row
-- moved on since (`conflict`), so two people editing one thing never silently overwrite
-- each other. `row_edits` keeps which fields each version changed, for the message
-- ("its name and criteria"); its rows go with the row they describe.
ALTER TABLE personas ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE action_items ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE people ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sessions ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE parking_lot ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE row_edits (
    tbl     TEXT NOT NULL,
    row_id  INTEGER NOT NULL,
    version INTEGER NOT NULL,
    fields  TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, version)
) WITHOUT ROWID;
