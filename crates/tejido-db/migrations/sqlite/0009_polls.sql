-- Polls and questionnaires, and learning reviews (After Action Review, Appreciative Inquiry).
-- Anonymity holds in the tables themselves: poll_responses and poll_answers carry no person,
-- session, address or time of day (a date only); the response id is random text chosen by the
-- application; the record that someone answered (poll_participants) shares nothing with the
-- response. WITHOUT ROWID keeps SQLite from adding a hidden sequential rowid, so rows are stored
-- in key order (random for responses, person id for participants), not insertion order.
-- Authors of responses to non-anonymous polls are in poll_response_authors, never written for an
-- anonymous poll.

CREATE TABLE polls (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    event_id INTEGER REFERENCES events (id),
    title TEXT NOT NULL,
    description TEXT,
    anonymous BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    opens_at TEXT,
    closes_at TEXT,
    template TEXT,
    invited_at TEXT,
    reminded_at TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX polls_community ON polls (community_id, created_at);
CREATE INDEX polls_event ON polls (event_id);

CREATE TABLE poll_questions (
    id INTEGER PRIMARY KEY,
    poll_id INTEGER NOT NULL REFERENCES polls (id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('likert', 'single', 'multiple', 'nps', 'number', 'short', 'long', 'pre-post')),
    text TEXT NOT NULL,
    options TEXT NOT NULL,
    required BOOLEAN NOT NULL,
    level TEXT
);
CREATE INDEX poll_questions_poll ON poll_questions (poll_id, position);

CREATE TABLE poll_responses (
    id TEXT NOT NULL PRIMARY KEY,
    poll_id INTEGER NOT NULL REFERENCES polls (id),
    submitted_on TEXT NOT NULL,
    organization_id INTEGER REFERENCES organizations (id),
    position_level TEXT
) WITHOUT ROWID;
CREATE INDEX poll_responses_poll ON poll_responses (poll_id);

CREATE TABLE poll_answers (
    response_id TEXT NOT NULL REFERENCES poll_responses (id),
    question_id INTEGER NOT NULL REFERENCES poll_questions (id),
    num REAL,
    num2 REAL,
    text TEXT,
    PRIMARY KEY (response_id, question_id)
) WITHOUT ROWID;
CREATE INDEX poll_answers_question ON poll_answers (question_id);

CREATE TABLE poll_participants (
    poll_id INTEGER NOT NULL REFERENCES polls (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    PRIMARY KEY (poll_id, person_id)
) WITHOUT ROWID;

CREATE TABLE poll_response_authors (
    response_id TEXT NOT NULL PRIMARY KEY REFERENCES poll_responses (id),
    person_id INTEGER NOT NULL REFERENCES people (id)
) WITHOUT ROWID;

CREATE TABLE learning_reviews (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    event_id INTEGER REFERENCES events (id),
    kind TEXT NOT NULL CHECK (kind IN ('aar', 'ai')),
    title TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX learning_reviews_community ON learning_reviews (community_id, created_at);

CREATE TABLE learning_review_entries (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES learning_reviews (id),
    author_person_id INTEGER REFERENCES people (id),
    consolidated BOOLEAN NOT NULL,
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX learning_review_entries_review ON learning_review_entries (review_id, consolidated, id);
