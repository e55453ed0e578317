-- Events of a community and who registered and attended. Times are UTC; `time_zone` is the
-- zone the event is shown in (the community's by default).

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    title TEXT NOT NULL,
    description TEXT,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    venue TEXT,
    city TEXT,
    state_code TEXT,
    online_link TEXT,
    host_organization_id INTEGER REFERENCES organizations (id),
    scheduled_around TEXT,
    status TEXT NOT NULL,
    capacity INTEGER,
    dots_per_member INTEGER NOT NULL DEFAULT 3,
    voting_closes_at TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX events_community ON events (community_id, starts_at);

CREATE TABLE event_registrations (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    organization_id INTEGER REFERENCES organizations (id),
    position_level TEXT,
    registered_by INTEGER REFERENCES users (id),
    registered_at TEXT NOT NULL,
    cancelled_at TEXT,
    attendance TEXT,
    attendance_recorded_at TEXT
);
CREATE UNIQUE INDEX event_registrations_person ON event_registrations (event_id, person_id);
CREATE INDEX event_registrations_person_events ON event_registrations (person_id);
CREATE INDEX event_registrations_organization ON event_registrations (organization_id, event_id);
