-- The provincial Council's outcome per bloc proposal (issue 22): approved, or not approved
-- with the Council's reason, and the rank, total (hundredths) and votes it was recorded on: a later
-- revision that changes them leaves the outcome unapplied. Keyed like the decisions; who recorded
-- it is in `award_audit`.
CREATE TABLE council_outcomes (
    bloc_id BIGINT NOT NULL,
    year BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    award_type_id BIGINT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'not_approved')),
    reason TEXT,
    recorded_at TEXT NOT NULL,
    rank BIGINT,
    total BIGINT,
    votes BIGINT NOT NULL,
    base BIGINT,
    PRIMARY KEY (bloc_id, year, unit_id, award_type_id),
    FOREIGN KEY (bloc_id, year, unit_id) REFERENCES memberships (bloc_id, year, unit_id),
    FOREIGN KEY (award_type_id, year) REFERENCES award_types (id, year),
    CHECK (outcome = 'approved' OR reason IS NOT NULL)
);
