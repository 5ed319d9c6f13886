-- The provincial Council's outcome per bloc proposal (issue 22): approved, or not approved
-- with the Council's reason, and the rank, total (hundredths) and votes it was recorded on: a later
-- revision that changes them leaves the outcome unapplied. Keyed like the decisions; who recorded
-- it is in `award_audit`.
CREATE TABLE council_outcomes (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    award_type_id INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'not_approved')),
    reason TEXT,
    recorded_at TEXT NOT NULL,
    rank INTEGER,
    total INTEGER,
    votes INTEGER NOT NULL,
    base INTEGER,
    PRIMARY KEY (bloc_id, year, unit_id, award_type_id),
    FOREIGN KEY (bloc_id, year, unit_id) REFERENCES memberships (bloc_id, year, unit_id),
    FOREIGN KEY (award_type_id, year) REFERENCES award_types (id, year),
    CHECK (outcome = 'approved' OR reason IS NOT NULL)
);
