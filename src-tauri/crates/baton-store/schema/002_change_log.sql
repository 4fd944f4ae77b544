-- What each committed write changed (area, item), so other processes on the same file
-- (a second app, the CLI) can refresh what they show. A notification log, not history:
-- only the latest rows are kept.
CREATE TABLE IF NOT EXISTS change_log (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    area    TEXT NOT NULL,
    item_id INTEGER,
    origin  TEXT NOT NULL
);
