-- Evidence files on score sheets (issue 20), kept in the database so that servers on one
-- PostgreSQL stay stateless and a backup of the database is a backup of the evidence.
--
-- A file's bytes are a `file_contents` row and its chunks; a content is shared by every sheet
-- file with the same SHA-256 (deduplicated). While an upload is under way its content has no
-- hash yet; the hash is set (or the chunks dropped for an existing content) when the last
-- byte arrives. Portable like 0001: only the chunk's bytes differ between the engines.
CREATE TABLE file_contents (
    -- Never reused (AUTOINCREMENT): a download under way reads chunks by this id, and a removed
    -- content's id must never name another file's bytes.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Lowercase hex; NULL while the upload is under way.
    sha256 TEXT UNIQUE,
    size INTEGER NOT NULL CHECK (size >= 0),
    -- The kind judged by content (`thidua_domain::files::FileKind`), once complete.
    kind TEXT,
    created_at TEXT NOT NULL
);

-- Chunks in order of `start` (their first byte's offset in the file).
CREATE TABLE file_chunks (
    content_id INTEGER NOT NULL REFERENCES file_contents (id),
    start INTEGER NOT NULL CHECK (start >= 0),
    data BLOB NOT NULL,
    PRIMARY KEY (content_id, start)
);

-- A tus upload under way: which sheet and target it is for, who started it, how many bytes
-- are stored. The id is a random token: it is the upload's URL.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    content_id INTEGER NOT NULL REFERENCES file_contents (id),
    sheet_id INTEGER NOT NULL REFERENCES score_sheets (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    target TEXT NOT NULL,
    name TEXT NOT NULL,
    length INTEGER NOT NULL CHECK (length > 0),
    received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= length),
    created_at TEXT NOT NULL
);
CREATE INDEX uploads_by_sheet ON uploads (sheet_id);

-- A file attached to a sheet: to a criterion's score, or to a bonus or deduction line (by
-- its place among the lines of its kind, which follows the lines as they are edited).
CREATE TABLE sheet_files (
    -- Never reused: a page still showing a removed file must not remove another by its id.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sheet_id INTEGER NOT NULL REFERENCES score_sheets (id),
    -- `criterion:ID`, `bonus:N` or `deduction:N` (`thidua_domain::evidence::FileTarget`).
    target TEXT NOT NULL,
    content_id INTEGER NOT NULL REFERENCES file_contents (id),
    name TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    attached_at TEXT NOT NULL
);
CREATE INDEX sheet_files_by_sheet ON sheet_files (sheet_id);
CREATE INDEX sheet_files_by_content ON sheet_files (content_id);
