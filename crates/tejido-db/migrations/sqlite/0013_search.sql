-- Search: one row per searchable item (a library resource, an event's minutes, a decision, a
-- discussion thread), written by the item's own change in the same transaction. Who may read
-- a row is decided at query time from its visibility and community, never stored per reader.

CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('resource', 'minutes', 'decision', 'discussion')),
    source_id INTEGER NOT NULL,
    community_id INTEGER REFERENCES communities (id),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'instance', 'community')),
    kind TEXT,
    themes TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'es',
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX search_docs_community ON search_docs (community_id);
