-- Published results as revisions (issue 10): what was published on a date stays readable
-- exactly as it was, and every later change is a new revision with its reason.
-- `body` is the exact results JSON served for the revision (`thidua_domain::results::BlocResults`
-- with its `revision` stamp), `hash` its SHA-256 (hex), the ETag. A withdrawal has no body.
-- `pending`: recorded by this migration for a bloc-year published before it; SQL cannot
-- compute results, so the server fills `body` and `hash` when it starts (once, then the row
-- is frozen like every other: the triggers below refuse any change to a stored revision).
CREATE TABLE result_revisions (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('published', 'revised', 'withdrawn')),
    at TEXT NOT NULL,
    -- NULL: recorded by the system (this migration, the demo data).
    user_id INTEGER REFERENCES users (id),
    reason TEXT NOT NULL,
    -- The problems staff acknowledged when publishing (JSON list of `PublishProblem`).
    acknowledged TEXT NOT NULL DEFAULT '[]',
    summary TEXT NOT NULL,
    body TEXT,
    hash TEXT NOT NULL DEFAULT '',
    pending BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (bloc_id, year, number),
    FOREIGN KEY (bloc_id, year) REFERENCES bloc_years (bloc_id, year),
    CHECK (pending OR (kind = 'withdrawn') = (body IS NULL))
);

CREATE TRIGGER result_revisions_never_change BEFORE UPDATE ON result_revisions
WHEN NOT OLD.pending
BEGIN
    SELECT RAISE(ABORT, 'a stored revision never changes');
END;

CREATE TRIGGER result_revisions_never_go BEFORE DELETE ON result_revisions
BEGIN
    SELECT RAISE(ABORT, 'a stored revision never goes');
END;

INSERT INTO result_revisions (bloc_id, year, number, kind, at, user_id, reason, acknowledged, summary, body, hash, pending)
SELECT bloc_id, year, 1, 'published', published_at, NULL,
       'Ghi nhận khi nâng cấp: kết quả đã công bố trước khi có phiên bản (nội dung ghi lại lúc nâng cấp)',
       publication_acknowledged, 'Công bố kết quả', NULL, '', TRUE
FROM bloc_years WHERE published_at IS NOT NULL;
