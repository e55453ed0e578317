-- One visibility rule per kind of record (tejido_core::visibility): a search row now carries the
-- audience of the page it links to. Decisions are for members other than guests
-- ('full_members'), published minutes and library resources kept for a community for its members
-- and guests ('members'). SQLite cannot change a CHECK constraint in place, so the table is
-- rebuilt with its full-text index.

DROP TRIGGER search_docs_ai;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_au;
DROP TABLE search_fts;

CREATE TABLE search_docs_new (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('resource', 'minutes', 'decision', 'discussion')),
    source_id INTEGER NOT NULL,
    community_id INTEGER REFERENCES communities (id),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'instance', 'community', 'members', 'full_members')),
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
INSERT INTO search_docs_new (id, source, source_id, community_id, visibility, kind, themes, lang, title, body, url,
                             updated_at, title_key, body_key)
SELECT id, source, source_id, community_id,
       CASE
         WHEN source = 'decision' THEN 'full_members'
         WHEN source = 'minutes' THEN 'members'
         WHEN source = 'resource' AND visibility = 'community' THEN 'members'
         ELSE visibility
       END,
       kind, themes, lang, title, body, url, updated_at, title_key, body_key
FROM search_docs;
DROP TABLE search_docs;
ALTER TABLE search_docs_new RENAME TO search_docs;
CREATE INDEX search_docs_community ON search_docs (community_id);
CREATE INDEX search_docs_visibility ON search_docs (visibility, source);

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
INSERT INTO search_fts (search_fts) VALUES ('rebuild');

-- Rate limits (sign-in, password reset): one counter per key in a fixed window, charged by one
-- atomic upsert before the guarded work, so parallel requests never get past the limit.
CREATE TABLE rate_limits (
    key_hash TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    hits BIGINT NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
