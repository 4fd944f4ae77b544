-- Owned by the workshop area (issue 5): people, sessions, personas, definitions, diagnostic.
-- Dates (session date, due date, run date) are wall-clock seconds at midnight.

CREATE TABLE people (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    team  TEXT NOT NULL CHECK (team IN ('sales', 'marketing', 'leadership', 'other')),
    title TEXT NOT NULL DEFAULT ''
);

CREATE TABLE personas (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL DEFAULT '',
    company_size TEXT NOT NULL DEFAULT '',
    industry     TEXT NOT NULL DEFAULT '',
    statements   TEXT NOT NULL DEFAULT '[]',         -- JSON of [baton_core::persona::Statement]
    criteria     TEXT NOT NULL DEFAULT '{"all":[]}'  -- JSON of baton_core::persona::Criteria
);

-- An agreement on a stage definition, an SLA clause or a goal; `subject` is `stage:mql`, `sla:3`, `goal:7`.
CREATE TABLE agreements (
    id             INTEGER PRIMARY KEY,
    subject        TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    blind_revealed INTEGER NOT NULL DEFAULT 0
);

-- Every change is a new version; sign-offs belong to one version.
CREATE TABLE agreement_versions (
    agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    content      TEXT NOT NULL,          -- JSON of baton_core::agreement::DefinitionContent
    author       TEXT,
    note         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    terms        TEXT NOT NULL DEFAULT '[]',  -- JSON of [baton_core::agreement::Term]: an SLA clause's or goal's terms then
    PRIMARY KEY (agreement_id, version)
) WITHOUT ROWID;

-- Name and team are copied at signing: the sign-off records who signed as what, then.
CREATE TABLE agreement_signoffs (
    agreement_id INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    person_id    INTEGER NOT NULL,
    name         TEXT NOT NULL,
    team         TEXT NOT NULL,
    signed_at    INTEGER NOT NULL,
    PRIMARY KEY (agreement_id, version, person_id),
    FOREIGN KEY (agreement_id, version) REFERENCES agreement_versions(agreement_id, version) ON DELETE CASCADE
) WITHOUT ROWID;

-- Blind dual input: each side's draft stays hidden until the agreement's round is revealed.
CREATE TABLE blind_drafts (
    agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    team         TEXT NOT NULL CHECK (team IN ('sales', 'marketing')),
    content      TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    PRIMARY KEY (agreement_id, team)
) WITHOUT ROWID;

CREATE TABLE sessions (
    id     INTEGER PRIMARY KEY,
    title  TEXT NOT NULL,
    date   INTEGER NOT NULL,
    agenda TEXT NOT NULL DEFAULT '[]'   -- JSON of [baton_core::workshop::AgendaBlock]
);

CREATE TABLE session_participants (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, person_id)
) WITHOUT ROWID;

CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    decided_at INTEGER NOT NULL
);

CREATE TABLE parking_lot (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    resolved   INTEGER NOT NULL DEFAULT 0
);

-- Action items outlive their session (session_id is kept only as provenance).
CREATE TABLE action_items (
    id         INTEGER PRIMARY KEY,
    text       TEXT NOT NULL,
    owner_id   INTEGER REFERENCES people(id) ON DELETE SET NULL,
    due        INTEGER,
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done')),
    session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE diagnostic_runs (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    date   INTEGER NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE diagnostic_responses (
    run_id      INTEGER NOT NULL REFERENCES diagnostic_runs(id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL,
    name        TEXT NOT NULL,
    team        TEXT NOT NULL,
    ratings     TEXT NOT NULL,         -- JSON array of 20 integers 1..5
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (run_id, person_id)
) WITHOUT ROWID;

-- Dot votes keep only the running tally and who has voted, never who voted for what.
CREATE TABLE dot_votes (
    id               INTEGER PRIMARY KEY,
    session_id       INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
    topic            TEXT NOT NULL,
    items            TEXT NOT NULL,    -- JSON array of strings
    votes_per_person INTEGER NOT NULL CHECK (votes_per_person > 0),
    tally            TEXT NOT NULL,    -- JSON array of integers, one per item
    revealed         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE dot_voters (
    vote_id   INTEGER NOT NULL REFERENCES dot_votes(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL,
    PRIMARY KEY (vote_id, person_id)
) WITHOUT ROWID;

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    persona_id  INTEGER REFERENCES personas(id) ON DELETE SET NULL,
    channel     TEXT NOT NULL DEFAULT '',
    sales_input TEXT NOT NULL DEFAULT ''
);

CREATE TABLE lead_feedback (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    person_id   INTEGER REFERENCES people(id) ON DELETE SET NULL,
    quality     TEXT NOT NULL CHECK (quality IN ('good', 'mixed', 'poor')),
    about       TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    given_at    INTEGER NOT NULL
);

-- The workshop timer (at most one row): the agenda block being timed, so it outlives the
-- screen that started it. Instants are Unix milliseconds (UTC), not wall-clock dates.
CREATE TABLE workshop_timer (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    session_id          INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    block               INTEGER NOT NULL CHECK (block >= 0),
    block_title         TEXT NOT NULL,
    duration_ms         INTEGER NOT NULL,
    started_at_ms       INTEGER,            -- NULL while paused or not started
    paused_remaining_ms INTEGER NOT NULL    -- time left at started_at_ms, or now while paused
);
