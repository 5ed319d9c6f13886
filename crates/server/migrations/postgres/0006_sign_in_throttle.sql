-- The sign-in throttle per username and client address, and per address over every username
-- (`username` = ''): a delay that grows with the failures (see `throttle.rs`) instead of
-- the per-username lock, which let anyone keep an account locked.
DROP TABLE login_throttle;
CREATE TABLE sign_in_throttle (
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    failures BIGINT NOT NULL CHECK (failures >= 0),
    last_failure_at TEXT NOT NULL,
    PRIMARY KEY (username, address)
);
CREATE INDEX sign_in_throttle_last_failure ON sign_in_throttle (last_failure_at);
