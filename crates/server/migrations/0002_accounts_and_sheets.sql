-- Accounts, sessions and the scoring workflow: who may write, and what they wrote.
-- Portable like 0001: plain types and standard constraints. Times are RFC 3339 UTC TEXT in one
-- fixed shape (`2019-03-01T08:30:00Z`), so they also order correctly as text.

-- Officers act for a unit; staff (Ban Thi đua - Khen thưởng) for none.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- A PHC string (`$argon2id$v=19$…`): the algorithm, its parameters and the salt travel with it.
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('unit_officer', 'leader_officer', 'staff')),
    unit_id INTEGER REFERENCES units (id),
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    CHECK ((role = 'staff') = (unit_id IS NULL))
);

-- Only a hash of the token is kept, so a copy of the database signs no one in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed sign-ins per username within a window; in the database so that every server
-- instance on it counts the same attempts.
CREATE TABLE login_throttle (
    username TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    window_started_at TEXT NOT NULL
);

-- The workflow state of each sheet, and a version that every change moves on by one
-- (writes name the version they started from: optimistic concurrency).
ALTER TABLE score_sheets ADD COLUMN state TEXT NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'submitted', 'returned', 'approved'));
ALTER TABLE score_sheets ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
-- The comment of the last return, shown to the unit until it submits again.
ALTER TABLE score_sheets ADD COLUMN return_comment TEXT NOT NULL DEFAULT '';
-- NULL until the sheet is first changed through the API.
ALTER TABLE score_sheets ADD COLUMN updated_at TEXT;

-- Links to the evidence for a self score, as a JSON array of strings.
ALTER TABLE criterion_scores ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';

-- Who changed what on a sheet: one row per changed field (`field` set) or state change
-- (`field` NULL, `old`/`new` the state names). `action` is the workflow action's name.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    sheet_id INTEGER NOT NULL REFERENCES score_sheets (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    at TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('edit_self', 'submit', 'edit_verification', 'return', 'approve')),
    field TEXT,
    old TEXT,
    new TEXT
);
CREATE INDEX audit_log_by_sheet ON audit_log (sheet_id, id);
