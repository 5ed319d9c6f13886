-- Thresholds as the law writes them (issue 21): what each award type's threshold is a share
-- of, and what a tally records for the bases other than the voters present. Portable like 0001.

-- `voters_present` (every threshold until now), `valid_ballots` (the valid parts of that
-- award type), `membership` (the body's total membership, written opinions included).
ALTER TABLE award_types ADD COLUMN threshold_base TEXT NOT NULL DEFAULT 'voters_present'
    CHECK (threshold_base IN ('voters_present', 'valid_ballots', 'membership'));

-- The body's total membership, when a threshold counts on it.
ALTER TABLE tallies ADD COLUMN membership BIGINT CHECK (membership > 0);

-- Valid ballots per award type (a count in the product records them; staff may type them).
CREATE TABLE tally_valid (
    bloc_id BIGINT NOT NULL,
    year INTEGER NOT NULL,
    award_type_id BIGINT NOT NULL,
    valid BIGINT NOT NULL CHECK (valid >= 0),
    PRIMARY KEY (bloc_id, year, award_type_id),
    FOREIGN KEY (bloc_id, year) REFERENCES tallies (bloc_id, year),
    FOREIGN KEY (award_type_id, year) REFERENCES award_types (id, year)
);

-- Absent members' written opinions, per unit and award type, as the minutes record them.
CREATE TABLE tally_written (
    bloc_id BIGINT NOT NULL,
    year INTEGER NOT NULL,
    unit_id BIGINT NOT NULL,
    award_type_id BIGINT NOT NULL,
    votes BIGINT NOT NULL CHECK (votes >= 0),
    PRIMARY KEY (bloc_id, year, unit_id, award_type_id),
    FOREIGN KEY (bloc_id, year) REFERENCES tallies (bloc_id, year),
    FOREIGN KEY (bloc_id, year, unit_id) REFERENCES memberships (bloc_id, year, unit_id),
    FOREIGN KEY (award_type_id, year) REFERENCES award_types (id, year)
);
