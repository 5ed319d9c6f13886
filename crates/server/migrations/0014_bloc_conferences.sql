-- The bloc's conference of the year (issue 22): what its minutes say of it — the date, the
-- place, who chaired, who took the minutes, who attended — entered by staff with the bloc's
-- set-up. A row of its own: a bloc-year without one leaves those lines for staff to fill in.
CREATE TABLE bloc_conferences (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    held_on TEXT,
    place TEXT NOT NULL DEFAULT '',
    chair TEXT NOT NULL DEFAULT '',
    secretary TEXT NOT NULL DEFAULT '',
    attendees TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (bloc_id, year),
    FOREIGN KEY (bloc_id, year) REFERENCES bloc_years (bloc_id, year)
);
