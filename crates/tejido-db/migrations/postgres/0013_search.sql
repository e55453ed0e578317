-- Search: one row per searchable item (a library resource, an event's minutes, a decision, a
-- discussion thread), written by the item's own change in the same transaction. Who may read
-- a row is decided at query time from its visibility and community, never stored per reader.
-- title_key and body_key hold the folded text (tejido_core::text::fold, written from Rust);
-- the tsvector is built from them, so accents and case never matter (no unaccent extension).

CREATE TABLE search_docs (
    id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('resource', 'minutes', 'decision', 'discussion')),
    source_id BIGINT NOT NULL,
    community_id BIGINT REFERENCES communities (id),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'instance', 'community', 'members')),
    kind TEXT,
    themes TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'es',
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    title_key TEXT NOT NULL DEFAULT '',
    body_key TEXT NOT NULL DEFAULT '',
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_key), 'A') || setweight(to_tsvector('simple', body_key), 'B')
    ) STORED,
    UNIQUE (source, source_id)
);
CREATE INDEX search_docs_community ON search_docs (community_id);
CREATE INDEX search_docs_visibility ON search_docs (visibility, source);
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);

-- Backfill what existed before search: decisions still in force and published minutes. The
-- keys are folded here with translate(), the same letters tejido_core::text::fold folds.
INSERT INTO search_docs (source, source_id, community_id, visibility, kind, themes, lang, title, body, url, updated_at)
SELECT 'decision', d.id, d.community_id, 'community', NULL, '', 'es', d.title, COALESCE(d.body, ''),
       '/c/' || c.slug || '/decisions/' || d.id, d.recorded_at
FROM decisions d JOIN communities c ON c.id = d.community_id
WHERE NOT EXISTS (SELECT 1 FROM decisions x WHERE x.corrects_id = d.id);

INSERT INTO search_docs (source, source_id, community_id, visibility, kind, themes, lang, title, body, url, updated_at)
SELECT 'minutes', e.id, e.community_id, 'community', NULL, '', 'es', e.title,
       m.summary || chr(10) || COALESCE(m.takeaways, '') || chr(10)
         || COALESCE((SELECT string_agg(l.text, chr(10) ORDER BY l.id) FROM event_lessons l WHERE l.event_id = e.id), ''),
       '/c/' || c.slug || '/events/' || e.id || '/minutes', m.created_at
FROM events e JOIN communities c ON c.id = e.community_id
JOIN event_minutes m ON m.event_id = e.id AND m.version = (
    SELECT MAX(m2.version) FROM event_minutes m2 WHERE m2.event_id = e.id AND m2.status = 'published');

UPDATE search_docs SET
    title_key = translate(lower(title), 'áàäâãéèëêíìïîóòöôõúùüûñç', 'aaaaaeeeeiiiiooooouuuunc'),
    body_key = translate(lower(body || ' ' || themes), 'áàäâãéèëêíìïîóòöôõúùüûñç', 'aaaaaeeeeiiiiooooouuuunc');
