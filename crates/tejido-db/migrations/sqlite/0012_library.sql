-- The knowledge library: resources (methodologies, guides, templates, contact lists, …) with a
-- Markdown body, themes, attachments (see 0011) and a visibility: public (anyone), instance
-- (every signed-in person) or community (those who may view community_id). Every save keeps a
-- version; resources are archived, never deleted. Lessons recorded in minutes and reviews are
-- read from their own tables, not copied here.

CREATE TABLE resources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('methodology', 'guide', 'template', 'contact-list', 'best-practice', 'lesson-learned', 'dataset', 'report', 'link')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT,
    language TEXT NOT NULL CHECK (language IN ('es', 'en', 'other')),
    themes TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'instance', 'community')),
    community_id INTEGER REFERENCES communities (id),
    organization_id INTEGER REFERENCES organizations (id),
    source_kind TEXT CHECK (source_kind IN ('event', 'review', 'minutes')),
    source_id INTEGER,
    version INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT,
    CHECK (visibility <> 'community' OR community_id IS NOT NULL),
    CHECK (kind <> 'contact-list' OR visibility <> 'public'),
    CHECK ((source_kind IS NULL) = (source_id IS NULL))
);
CREATE INDEX resources_updated ON resources (updated_at, id);
CREATE INDEX resources_community ON resources (community_id, updated_at);
CREATE INDEX resources_kind ON resources (kind, updated_at);
CREATE INDEX resources_organization ON resources (organization_id);
CREATE INDEX resources_creator ON resources (created_by);

-- One row per theme, for the theme filter.
CREATE TABLE resource_themes (
    resource_id INTEGER NOT NULL REFERENCES resources (id),
    theme TEXT NOT NULL,
    PRIMARY KEY (resource_id, theme)
);
CREATE INDEX resource_themes_theme ON resource_themes (theme, resource_id);

-- Every saved state of a resource, the newest equal to the resource row.
CREATE TABLE resource_versions (
    id INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL REFERENCES resources (id),
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT,
    language TEXT NOT NULL,
    themes TEXT NOT NULL,
    visibility TEXT NOT NULL,
    community_id INTEGER,
    edited_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (resource_id, version)
);
