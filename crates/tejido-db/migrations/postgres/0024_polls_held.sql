-- Anonymous polls: anonymity that holds in the files (the reasoning is in tejido-db/src/polls.rs).
--
-- Held answers. An answer to an anonymous poll is first written here, in the same transaction as
-- the record that its author answered (poll_participants): no author, no time, a random id that
-- is never reused. A later, separate transaction moves the held answers in shuffled batches of at
-- least five (all of them when the poll closes) to poll_responses and poll_answers, with fresh
-- random ids, and deletes them here (on PostgreSQL the moved rows get the moving transaction's xmin,
-- shared with no participant row).
CREATE TABLE poll_held (
    id TEXT NOT NULL PRIMARY KEY,
    poll_id BIGINT NOT NULL REFERENCES polls (id),
    organization_id BIGINT REFERENCES organizations (id),
    position_level TEXT
);
CREATE INDEX poll_held_poll ON poll_held (poll_id);

CREATE TABLE poll_held_answers (
    held_id TEXT NOT NULL REFERENCES poll_held (id),
    question_id BIGINT NOT NULL REFERENCES poll_questions (id),
    num DOUBLE PRECISION,
    num2 DOUBLE PRECISION,
    text TEXT,
    PRIMARY KEY (held_id, question_id)
);

-- Breakdowns. A response keeps its author's organization and position level only when the poll
-- announces it before answering (breakdowns = true). New polls start without. Existing polls
-- whose responses already carry those attributes keep them and are marked as announcing them:
-- the simplest honest choice (the attributes were stored under the old rule, which said so in
-- the results' breakdown); polls without any stored attribute start without.
ALTER TABLE polls ADD COLUMN breakdowns BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE polls SET breakdowns = TRUE WHERE EXISTS (
    SELECT 1 FROM poll_responses r
    WHERE r.poll_id = polls.id AND (r.organization_id IS NOT NULL OR r.position_level IS NOT NULL)
);

-- Existing anonymous responses were written one per answer, in the order of answering, in the
-- same transaction as their participant row. Rewrite them in random order with fresh random ids,
-- and give each poll's responses one date (the latest), as a published batch has. The new rows
-- are written in random physical order and carry this migration's xmin.
CREATE TABLE poll_reshuffle (
    old_id TEXT NOT NULL PRIMARY KEY,
    new_id TEXT NOT NULL UNIQUE
);
INSERT INTO poll_reshuffle (old_id, new_id)
SELECT r.id, replace(gen_random_uuid()::text, '-', '')
FROM poll_responses r JOIN polls p ON p.id = r.poll_id
WHERE p.anonymous AND NOT EXISTS (SELECT 1 FROM poll_response_authors ra WHERE ra.response_id = r.id);
INSERT INTO poll_responses (id, poll_id, submitted_on, organization_id, position_level)
SELECT m.new_id, r.poll_id,
       (SELECT MAX(r2.submitted_on) FROM poll_responses r2 WHERE r2.poll_id = r.poll_id),
       r.organization_id, r.position_level
FROM poll_reshuffle m JOIN poll_responses r ON r.id = m.old_id
ORDER BY random();
INSERT INTO poll_answers (response_id, question_id, num, num2, text)
SELECT m.new_id, a.question_id, a.num, a.num2, a.text
FROM poll_reshuffle m JOIN poll_answers a ON a.response_id = m.old_id
ORDER BY random();
DELETE FROM poll_answers WHERE response_id IN (SELECT old_id FROM poll_reshuffle);
DELETE FROM poll_responses WHERE id IN (SELECT old_id FROM poll_reshuffle);
DROP TABLE poll_reshuffle;
