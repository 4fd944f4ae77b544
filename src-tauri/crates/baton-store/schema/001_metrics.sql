-- Owned by the metrics area (issue 4): SLA clauses and goals.
-- Business hours live in `settings` under the key 'business_hours' (JSON of baton_core::sla::BusinessHours).

-- "From stage A to stage B (or a first-touch date field) within N seconds, on a clock".
CREATE TABLE sla_clauses (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    from_stage     TEXT NOT NULL,
    to_kind        TEXT NOT NULL CHECK (to_kind IN ('stage', 'field')),
    to_id          TEXT NOT NULL,
    within_seconds INTEGER NOT NULL CHECK (within_seconds > 0),
    clock          TEXT NOT NULL CHECK (clock IN ('calendar', 'business'))
);

-- A goal: metric (JSON of baton_core::goal::GoalMetric), target, period [start, end), owning team.
CREATE TABLE goals (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    metric       TEXT NOT NULL,
    target       REAL NOT NULL,
    period_kind  TEXT NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year', 'custom')),
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL,
    period_label TEXT NOT NULL,
    team         TEXT NOT NULL
);
