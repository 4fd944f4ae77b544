-- Workspace-wide settings as JSON text values (company name, business hours, …).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO settings(key, value) VALUES ('data_version', '0');

-- The agreed funnel. Default ids: lead, mql, sql, opportunity, customer; `lost` is an outcome, not a row here.
CREATE TABLE stages (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL UNIQUE
) WITHOUT ROWID;
INSERT INTO stages(id, name, position) VALUES
    ('lead', 'Lead', 0),
    ('mql', 'Marketing Qualified Lead', 1),
    ('sql', 'Sales Qualified Lead', 2),
    ('opportunity', 'Opportunity', 3),
    ('customer', 'Customer', 4);
