-- Who entered each clerk's copy of the paper ballots (issue 21's review): the two entries
-- must come from two people, or the comparison proves nothing. Portable like 0001.
CREATE TABLE vote_clerks (
    bloc_id BIGINT NOT NULL,
    year INTEGER NOT NULL,
    clerk BIGINT NOT NULL CHECK (clerk IN (1, 2)),
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (bloc_id, year, clerk),
    UNIQUE (bloc_id, year, user_id),
    FOREIGN KEY (bloc_id, year) REFERENCES vote_sessions (bloc_id, year)
);
