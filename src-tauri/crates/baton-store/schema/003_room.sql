-- The room (issue 12): participants' browsers join the workshop over the LAN.
-- One room per workspace. Its token is kept across restarts so the printed URL and
-- QR code stay valid; the step is what the facilitator shows now (JSON RoomStep).
CREATE TABLE room (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    token             TEXT NOT NULL,
    session_id        INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
    open              INTEGER NOT NULL DEFAULT 0,
    locked            INTEGER NOT NULL DEFAULT 0,
    step              TEXT NOT NULL DEFAULT '{"kind":"welcome"}',
    anonymous_parking INTEGER NOT NULL DEFAULT 1
);

-- A participant is a person reached by a secret; only the secret's SHA-256 is stored.
CREATE TABLE room_participants (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL UNIQUE,
    removed     INTEGER NOT NULL DEFAULT 0,
    joined_at   INTEGER NOT NULL
);

-- Idempotent actions: a client action id of a participant and the reply it got
-- ({ok, version}: never what was answered or voted).
CREATE TABLE room_actions (
    participant_id INTEGER NOT NULL REFERENCES room_participants(id) ON DELETE CASCADE,
    action_id      TEXT NOT NULL,
    reply          TEXT NOT NULL,
    PRIMARY KEY (participant_id, action_id)
) WITHOUT ROWID;

-- Diagnostic answers as given, one statement at a time (resumable); once all 20 of a
-- person are in, they are also the person's response in diagnostic_responses.
CREATE TABLE diagnostic_answers (
    run_id    INTEGER NOT NULL REFERENCES diagnostic_runs(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL,
    statement INTEGER NOT NULL CHECK (statement BETWEEN 0 AND 19),
    rating    INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    PRIMARY KEY (run_id, person_id, statement)
) WITHOUT ROWID;

-- Who parked an item (NULL: anonymous or added by the facilitator).
ALTER TABLE parking_lot ADD COLUMN author TEXT;
