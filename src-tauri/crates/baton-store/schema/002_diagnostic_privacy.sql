-- A diagnostic run is anonymous unless the facilitator chose named results when
-- starting it; an early reveal (results shown before the run closes) is stored too.
ALTER TABLE diagnostic_runs ADD COLUMN named INTEGER NOT NULL DEFAULT 0;
ALTER TABLE diagnostic_runs ADD COLUMN revealed INTEGER NOT NULL DEFAULT 0;
