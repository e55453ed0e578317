-- The participatory agenda of an event: topic proposals, dot votes, the agenda built from them
-- (an item without a topic is a leader's slot or an open-space slot), its facilitators, and the
-- event roles proposed from the community's rotation and confirmed by a leader. Times are UTC.

CREATE TABLE event_topics (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    proposed_by INTEGER NOT NULL REFERENCES people (id),
    title TEXT NOT NULL,
    why TEXT NOT NULL,
    methodology TEXT,
    created_at TEXT NOT NULL,
    withdrawn_at TEXT
);
CREATE INDEX event_topics_event ON event_topics (event_id, withdrawn_at, id);
CREATE INDEX event_topics_person ON event_topics (proposed_by);

CREATE TABLE event_votes (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL REFERENCES event_topics (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    dots INTEGER NOT NULL CHECK (dots > 0),
    voted_at TEXT NOT NULL,
    UNIQUE (topic_id, person_id)
);
CREATE INDEX event_votes_person ON event_votes (person_id, topic_id);

CREATE TABLE event_agenda_items (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    topic_id INTEGER REFERENCES event_topics (id),
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    methodology TEXT NOT NULL,
    open_space BOOLEAN NOT NULL DEFAULT FALSE,
    position INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX event_agenda_items_event ON event_agenda_items (event_id, starts_at, position);
CREATE INDEX event_agenda_items_topic ON event_agenda_items (topic_id);

CREATE TABLE event_agenda_facilitators (
    item_id INTEGER NOT NULL REFERENCES event_agenda_items (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id),
    PRIMARY KEY (item_id, person_id)
);
CREATE INDEX event_agenda_facilitators_person ON event_agenda_facilitators (person_id);

CREATE TABLE event_roles (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    role TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people (id),
    proposed_from_rotation BOOLEAN NOT NULL,
    proposed_at TEXT NOT NULL,
    confirmed_by INTEGER REFERENCES users (id),
    confirmed_at TEXT,
    UNIQUE (event_id, role)
);
CREATE INDEX event_roles_person ON event_roles (person_id);
