-- Charter: versions of a community's charter (at most one draft and one adopted at a time) and
-- their named sections. Adopting a draft records a decision in the decision log.

CREATE TABLE charter_versions (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    number INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'adopted', 'superseded')),
    based_on INTEGER REFERENCES charter_versions (id),
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    adopted_at TEXT,
    decision_id INTEGER REFERENCES decisions (id),
    UNIQUE (community_id, number)
);
CREATE UNIQUE INDEX charter_versions_one_draft ON charter_versions (community_id) WHERE status = 'draft';
CREATE UNIQUE INDEX charter_versions_one_adopted ON charter_versions (community_id) WHERE status = 'adopted';
CREATE INDEX charter_versions_based_on ON charter_versions (based_on);
CREATE INDEX charter_versions_created_by ON charter_versions (created_by);
CREATE INDEX charter_versions_decision ON charter_versions (decision_id);

CREATE TABLE charter_sections (
    version_id INTEGER NOT NULL REFERENCES charter_versions (id),
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (version_id, section)
);
