-- Awards as rules and votes: the award rules of each year as data, the acclaim-vote tally,
-- staff overrides with their reasons, the decisions, and publication. Proposals are no longer
-- stored: `thidua_domain` derives them from the ranking, the tally and the rules.
-- Portable like 0001: plain types and standard constraints.

-- The vote threshold as a share of the votes cast (1/2 strict: "more than half"), whether a
-- unit proposed for this award is left out of lower exclusive ones, and the other conditions
-- as JSON (a list of `thidua_domain::award_rules::Eligibility`, e.g.
-- `[{"kind":"max_rank","rank":1},{"kind":"approved_sheet"}]`).
ALTER TABLE award_types ADD COLUMN threshold_numerator INTEGER NOT NULL DEFAULT 1 CHECK (threshold_numerator >= 0);
ALTER TABLE award_types ADD COLUMN threshold_denominator INTEGER NOT NULL DEFAULT 2 CHECK (threshold_denominator > 0);
ALTER TABLE award_types ADD COLUMN threshold_strict BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE award_types ADD COLUMN exclusive BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE award_types ADD COLUMN eligibility TEXT NOT NULL DEFAULT '[]';

-- NULL until staff publish the bloc's results for the year (RFC 3339 UTC, like 0002).
ALTER TABLE bloc_years ADD COLUMN published_at TEXT;
-- Moves on with every write to the tally, overrides, decisions, rules or publication; a tally
-- update names the version it was made from (optimistic concurrency).
ALTER TABLE bloc_years ADD COLUMN awards_version INTEGER NOT NULL DEFAULT 0 CHECK (awards_version >= 0);

-- The acclaim vote (suy tôn) as staff enter it from the paper ballots.
CREATE TABLE tallies (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    voters_present INTEGER NOT NULL CHECK (voters_present > 0),
    PRIMARY KEY (bloc_id, year),
    FOREIGN KEY (bloc_id, year) REFERENCES bloc_years (bloc_id, year)
);

-- Votes per member and award type; a 0 entered is kept as entered (it proposes no one).
CREATE TABLE tally_votes (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    award_type_id INTEGER NOT NULL,
    votes INTEGER NOT NULL CHECK (votes >= 0),
    PRIMARY KEY (bloc_id, year, unit_id, award_type_id),
    FOREIGN KEY (bloc_id, year) REFERENCES tallies (bloc_id, year),
    FOREIGN KEY (bloc_id, year, unit_id) REFERENCES memberships (bloc_id, year, unit_id),
    FOREIGN KEY (award_type_id, year) REFERENCES award_types (id, year)
);

-- Staff's decision against the rules for one candidate, with its written (public) reason.
CREATE TABLE award_overrides (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    award_type_id INTEGER NOT NULL,
    propose BOOLEAN NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (bloc_id, year, unit_id, award_type_id),
    FOREIGN KEY (bloc_id, year, unit_id) REFERENCES memberships (bloc_id, year, unit_id),
    FOREIGN KEY (award_type_id, year) REFERENCES award_types (id, year)
);

-- The award decision (quyết định số …, ngày …) for a proposed unit; `date` is `YYYY-MM-DD`.
CREATE TABLE award_decisions (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    award_type_id INTEGER NOT NULL,
    number TEXT NOT NULL,
    date TEXT NOT NULL,
    issuer TEXT NOT NULL,
    PRIMARY KEY (bloc_id, year, unit_id, award_type_id),
    FOREIGN KEY (bloc_id, year, unit_id) REFERENCES memberships (bloc_id, year, unit_id),
    FOREIGN KEY (award_type_id, year) REFERENCES award_types (id, year)
);

-- Who changed the awards of a bloc (or, `bloc_id` NULL, the award rules of a year), and what.
-- `audit_log` belongs to the score sheets; this is its counterpart for the awards.
CREATE TABLE award_audit (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    at TEXT NOT NULL,
    year INTEGER NOT NULL REFERENCES years (year),
    bloc_id INTEGER REFERENCES blocs (id),
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX award_audit_by_bloc_year ON award_audit (year, bloc_id, id);

-- What the old `proposals` table knew that cannot be derived: its decisions. A bloc-year that
-- had proposals had its results out, so it counts as published.
INSERT INTO award_decisions (bloc_id, year, unit_id, award_type_id, number, date, issuer)
SELECT bloc_id, year, unit_id, award_type_id, decision_number, decision_date, decision_issuer
FROM proposals
WHERE decision_number IS NOT NULL AND decision_date IS NOT NULL AND decision_issuer IS NOT NULL;

UPDATE bloc_years SET published_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE EXISTS (SELECT 1 FROM proposals p WHERE p.bloc_id = bloc_years.bloc_id AND p.year = bloc_years.year);

DROP TABLE proposals;
