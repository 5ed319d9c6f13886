-- A bloc renamed from a year on: that year's name, when it differs from the bloc's first
-- (NULL: the bloc's name in `blocs`). Earlier years keep the name they were published under.
ALTER TABLE bloc_years ADD COLUMN name TEXT;
