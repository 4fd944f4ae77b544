-- PostgreSQL mirror of ../001_settings.sql (see ../../src/pg/schema.rs for the mapping rules).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings(key, value) VALUES ('data_version', '0');

CREATE TABLE stages (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    position BIGINT NOT NULL UNIQUE
);
INSERT INTO stages(id, name, position) VALUES
    ('lead', 'Lead', 0),
    ('mql', 'Marketing Qualified Lead', 1),
    ('sql', 'Sales Qualified Lead', 2),
    ('opportunity', 'Opportunity', 3),
    ('customer', 'Customer', 4);
