-- Results that never mislead: what staff accepted in writing when they published a bloc's
-- results, and how each award type settles a tie in votes for the last places of its quota.
-- Portable like 0001: plain types and standard constraints.

-- Staff's written reason for publishing despite the problems they acknowledged, and those
-- problems as JSON (a list of `thidua_domain::publication::PublishProblem`). Shown to the
-- public beside the results; cleared when the results are taken back.
ALTER TABLE bloc_years ADD COLUMN publication_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE bloc_years ADD COLUMN publication_acknowledged TEXT NOT NULL DEFAULT '[]';

-- `bloc_rank`: the unit ranked higher in the bloc takes the place; `conference_decides`: the
-- conference (a second vote, or the provincial council) decides, and staff record it in
-- writing. Existing award types had no such rule: a person decides, which is what they did.
ALTER TABLE award_types ADD COLUMN vote_tie TEXT NOT NULL DEFAULT 'conference_decides'
    CHECK (vote_tie IN ('bloc_rank', 'conference_decides'));
