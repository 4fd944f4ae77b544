-- PostgreSQL mirror of ../005_config_versions.sql.
CREATE TABLE config_versions (
    what        TEXT PRIMARY KEY,
    row_version BIGINT NOT NULL
);
