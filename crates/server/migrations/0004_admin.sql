-- Staff administration: years open or closed for scoring, units' names through the years,
-- merged and retired units, the set-up version of each bloc-year, account versions, and the
-- audit trail of every administrative write.
-- Portable like 0001: plain types and standard constraints.

-- Open: officers may write their sheets. A closed year is read-only to all but staff.
ALTER TABLE years ADD COLUMN open BOOLEAN NOT NULL DEFAULT TRUE;

-- Every name a unit carried, from a year on (`thidua_domain::admin::name_in`: the name in
-- force in a year is the one with the latest `from_year` at or before it). `units.name`
-- stays as the latest name, for what speaks of the unit as it is now.
CREATE TABLE unit_names (
    unit_id INTEGER NOT NULL REFERENCES units (id),
    from_year INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (unit_id, from_year)
);

-- The names so far, each from the unit's first year in a bloc (2000 for a unit in none).
INSERT INTO unit_names (unit_id, from_year, name)
SELECT u.id, COALESCE((SELECT MIN(m.year) FROM memberships m WHERE m.unit_id = u.id), 2000), u.name
FROM units u;

-- A unit that no longer takes part on its own from a year on: merged into another
-- (`merged_into`), or retired (NULL).
CREATE TABLE unit_ends (
    unit_id INTEGER PRIMARY KEY REFERENCES units (id),
    from_year INTEGER NOT NULL,
    merged_into INTEGER REFERENCES units (id),
    CHECK (merged_into IS NULL OR merged_into <> unit_id)
);

-- Moves on with every write to a bloc-year's members, leader, deputy, pact or criteria;
-- those writes name the version they were made from (optimistic concurrency).
ALTER TABLE bloc_years ADD COLUMN setup_version INTEGER NOT NULL DEFAULT 0 CHECK (setup_version >= 0);

-- `users.disabled` exists since 0002; the version moves on with every change by staff.
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0);

-- Who changed what in the administration: `kind` names the write (`create_year`,
-- `rename_unit`, `update_criteria`, …), `target` what it was done to (`year:2020`,
-- `unit:3`, `bloc:1@2020`, `user:7`), `detail` the input as JSON (never a password).
CREATE TABLE admin_audit (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX admin_audit_by_target ON admin_audit (target, id);
