-- The conference's vote counted in the product (issue 21): a session per bloc and year, the
-- voting cards delegates draw at the door, the phone ballots, the two clerks' entries of the
-- paper ballots, and how a tally was made. Portable like 0001.

-- `ballot`: the printed ballot as JSON (a list of `thidua_domain::ballots::BallotSection`) as
-- it was when the vote opened, `ballot_label` its label; `rules` the validity rules
-- (`ballots::ValidityRules`). `voters_present` and `result` (a `ballots::Count`) come with
-- closing.
CREATE TABLE vote_sessions (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    ballot TEXT NOT NULL,
    ballot_label TEXT NOT NULL,
    rules TEXT NOT NULL,
    committee TEXT NOT NULL DEFAULT '',
    voters_present INTEGER CHECK (voters_present > 0),
    result TEXT,
    PRIMARY KEY (bloc_id, year),
    FOREIGN KEY (bloc_id, year) REFERENCES bloc_years (bloc_id, year)
);

-- A card is known by the SHA-256 of its code (the code is printed, never stored) and is only
-- marked used, with the receipt handed out: nothing here names a ballot.
CREATE TABLE vote_cards (
    code_hash TEXT PRIMARY KEY,
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('unused', 'used', 'voided')),
    receipt TEXT UNIQUE,
    FOREIGN KEY (bloc_id, year) REFERENCES vote_sessions (bloc_id, year)
);

-- A phone ballot: a random id and the ticks, nothing else (no card, time, address or
-- session). Without a rowid, rows are kept in the order of their random ids, not of arrival;
-- closing the vote writes them again in a shuffled order (see `store::votes::close`).
CREATE TABLE vote_ballots (
    id TEXT PRIMARY KEY,
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    ticks TEXT NOT NULL,
    FOREIGN KEY (bloc_id, year) REFERENCES vote_sessions (bloc_id, year)
) WITHOUT ROWID;

-- Each clerk's entry of the paper stack, ballot by ballot in the stack's order (`ticks` as
-- JSON, `set_aside` the committee's reason for a ballot set aside whole).
CREATE TABLE vote_paper (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    clerk INTEGER NOT NULL CHECK (clerk IN (1, 2)),
    position INTEGER NOT NULL CHECK (position >= 0),
    set_aside TEXT,
    ticks TEXT NOT NULL,
    PRIMARY KEY (bloc_id, year, clerk, position),
    FOREIGN KEY (bloc_id, year) REFERENCES vote_sessions (bloc_id, year)
);

-- How the tally was made: typed in (as before) or counted ballot by ballot in the product.
ALTER TABLE tallies ADD COLUMN method TEXT NOT NULL DEFAULT 'entered' CHECK (method IN ('entered', 'counted'));
