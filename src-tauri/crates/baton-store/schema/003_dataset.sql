-- Owned by the metrics area (issue 11). The data version an import's commit produced:
-- when every data version since the metrics dataset was loaded belongs to a live import,
-- the dataset is extended with the records those imports wrote instead of reloading
-- every record. NULL for imports stored before version 3 (and for undone ones it no
-- longer matters: an undo bumps the data version itself, so the dataset reloads).
ALTER TABLE imports ADD COLUMN data_version INTEGER;
