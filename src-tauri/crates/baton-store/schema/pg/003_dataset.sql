-- PostgreSQL mirror of ../003_dataset.sql.
ALTER TABLE imports ADD COLUMN data_version BIGINT;
