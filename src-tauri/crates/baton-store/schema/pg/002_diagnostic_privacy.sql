-- PostgreSQL mirror of ../002_diagnostic_privacy.sql.
ALTER TABLE diagnostic_runs ADD COLUMN named BIGINT NOT NULL DEFAULT 0;
ALTER TABLE diagnostic_runs ADD COLUMN revealed BIGINT NOT NULL DEFAULT 0;
