-- Events, continued: certificates of participation with a public verification code, personal
-- calendar feed tokens (stored as SHA-256), and when the day-before reminders went out.

CREATE TABLE event_certificates (
    code TEXT PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    issued_at TEXT NOT NULL
);
CREATE UNIQUE INDEX event_certificates_person ON event_certificates (event_id, person_id);

CREATE TABLE calendar_tokens (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

ALTER TABLE events ADD COLUMN reminders_sent_at TEXT;
CREATE INDEX events_starts ON events (starts_at);
