-- The assessment engine's rounds and responses (one engine for every scored instrument; the
-- instruments themselves are defined in code by key and version), and the action items a
-- sustainability self-assessment turns its gaps into. One response per person, item and round;
-- a response may hold evidence or a note before its rating (value NULL = not rated yet).

CREATE TABLE assessment_rounds (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    instrument TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    CHECK (closes_on >= opens_on)
);
CREATE INDEX assessment_rounds_community ON assessment_rounds (community_id, instrument, opens_on);

CREATE TABLE assessment_responses (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES assessment_rounds (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    item_key TEXT NOT NULL,
    value INTEGER CHECK (value BETWEEN 0 AND 4),
    evidence TEXT,
    note TEXT,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX assessment_responses_one ON assessment_responses (round_id, person_id, item_key);
CREATE INDEX assessment_responses_item ON assessment_responses (round_id, item_key);
CREATE INDEX assessment_responses_person ON assessment_responses (person_id);

CREATE TABLE sustainability_actions (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    round_id INTEGER NOT NULL REFERENCES assessment_rounds (id),
    item_key TEXT NOT NULL,
    title TEXT NOT NULL,
    owner_person_id INTEGER NOT NULL REFERENCES people (id),
    due_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done')),
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sustainability_actions_community ON sustainability_actions (community_id, status, due_on);
CREATE INDEX sustainability_actions_round ON sustainability_actions (round_id, item_key);
CREATE INDEX sustainability_actions_owner ON sustainability_actions (owner_person_id, status);
