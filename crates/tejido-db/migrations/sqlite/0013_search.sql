-- Search: one row per searchable item (a library resource, an event's minutes, a decision, a
-- discussion thread), written by the item's own change in the same transaction. Who may read
-- a row is decided at query time from its visibility and community, never stored per reader.
-- title_key and body_key hold the folded text (tejido_core::text::fold); PostgreSQL searches
-- them, SQLite searches the FTS5 index below, whose tokenizer folds case and accents itself.

CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('resource', 'minutes', 'decision', 'discussion')),
    source_id INTEGER NOT NULL,
    community_id INTEGER REFERENCES communities (id),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'instance', 'community', 'members')),
    kind TEXT,
    themes TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'es',
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    title_key TEXT NOT NULL DEFAULT '',
    body_key TEXT NOT NULL DEFAULT '',
    UNIQUE (source, source_id)
);
CREATE INDEX search_docs_community ON search_docs (community_id);
CREATE INDEX search_docs_visibility ON search_docs (visibility, source);

-- External-content full-text index over search_docs, kept in step by the triggers.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    title, body, themes,
    content = 'search_docs', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title, body, themes) VALUES (new.id, new.title, new.body, new.themes);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, themes) VALUES ('delete', old.id, old.title, old.body, old.themes);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, themes) VALUES ('delete', old.id, old.title, old.body, old.themes);
    INSERT INTO search_fts (rowid, title, body, themes) VALUES (new.id, new.title, new.body, new.themes);
END;

-- Backfill what existed before search: decisions still in force and published minutes.
INSERT INTO search_docs (source, source_id, community_id, visibility, kind, themes, lang, title, body, url, updated_at)
SELECT 'decision', d.id, d.community_id, 'community', NULL, '', 'es', d.title, COALESCE(d.body, ''),
       '/c/' || c.slug || '/decisions/' || d.id, d.recorded_at
FROM decisions d JOIN communities c ON c.id = d.community_id
WHERE NOT EXISTS (SELECT 1 FROM decisions x WHERE x.corrects_id = d.id);

INSERT INTO search_docs (source, source_id, community_id, visibility, kind, themes, lang, title, body, url, updated_at)
SELECT 'minutes', e.id, e.community_id, 'community', NULL, '', 'es', e.title,
       m.summary || char(10) || COALESCE(m.takeaways, '') || char(10)
         || COALESCE((SELECT group_concat(l.text, char(10)) FROM event_lessons l WHERE l.event_id = e.id), ''),
       '/c/' || c.slug || '/events/' || e.id || '/minutes', m.created_at
FROM events e JOIN communities c ON c.id = e.community_id
JOIN event_minutes m ON m.event_id = e.id AND m.version = (
    SELECT MAX(m2.version) FROM event_minutes m2 WHERE m2.event_id = e.id AND m2.status = 'published');
