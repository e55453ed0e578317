-- Minutes of events (relatoría): every save of the text is a new version row; action items
-- (compromisos) with an owner, a due date and a one-time reminder; lessons learned as rows of
-- their own; and each attendee's report-back to their organization (devolución).

CREATE TABLE event_minutes (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    summary TEXT NOT NULL,
    takeaways TEXT,
    author INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    published_at TEXT
);
CREATE UNIQUE INDEX event_minutes_version ON event_minutes (event_id, version);
CREATE INDEX event_minutes_status ON event_minutes (event_id, status, version);

CREATE TABLE event_action_items (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    title TEXT NOT NULL,
    owner_person_id INTEGER NOT NULL REFERENCES people (id),
    due_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    reminded_at TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX event_action_items_event ON event_action_items (event_id, due_on);
CREATE INDEX event_action_items_owner ON event_action_items (owner_person_id, status, due_on);
CREATE INDEX event_action_items_reminder ON event_action_items (status, reminded_at, due_on);

CREATE TABLE event_lessons (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    text TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX event_lessons_event ON event_lessons (event_id, id);

CREATE TABLE event_report_backs (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    reported_on TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('meeting', 'email', 'workshop', 'document', 'other')),
    audience INTEGER NOT NULL CHECK (audience >= 0),
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (event_id, person_id)
);
CREATE INDEX event_report_backs_person ON event_report_backs (person_id);
