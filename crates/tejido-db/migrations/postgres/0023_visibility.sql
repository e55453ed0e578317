-- One visibility rule per kind of record (tejido_core::visibility): a search row now carries the
-- audience of the page it links to. Decisions are for members other than guests
-- ('full_members'), published minutes and library resources kept for a community for its members
-- and guests ('members').

ALTER TABLE search_docs DROP CONSTRAINT search_docs_visibility_check;
ALTER TABLE search_docs ADD CONSTRAINT search_docs_visibility_check
    CHECK (visibility IN ('public', 'instance', 'community', 'members', 'full_members'));
UPDATE search_docs SET visibility = CASE
    WHEN source = 'decision' THEN 'full_members'
    WHEN source = 'minutes' THEN 'members'
    ELSE 'members'
  END
WHERE source IN ('decision', 'minutes') OR (source = 'resource' AND visibility = 'community');

-- Rate limits (sign-in, password reset): one counter per key in a fixed window, charged by one
-- atomic upsert before the guarded work, so parallel requests never get past the limit.
CREATE TABLE rate_limits (
    key_hash TEXT PRIMARY KEY,
    window_start TIMESTAMPTZ NOT NULL,
    hits BIGINT NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
