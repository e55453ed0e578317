-- Joint projects and alliances of a community: where and on what they work, where they stand,
-- the member organizations and outside partners (government, private sector, donors…) with
-- their role, and the outcomes they contributed to.

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('joint-project', 'alliance')),
    theme TEXT,
    -- INEGI codes of the states, comma-separated (from the directory's catalog).
    states TEXT NOT NULL,
    municipality TEXT,
    status TEXT NOT NULL CHECK (status IN ('idea', 'design', 'under-way', 'completed', 'on-hold', 'dropped')),
    starts_on TEXT,
    ends_on TEXT,
    description TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX projects_community ON projects (community_id, status, id);
CREATE INDEX projects_community_dates ON projects (community_id, starts_on, ends_on);

-- A member organization (role NULL) or an outside partner (with its role).
CREATE TABLE project_organizations (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    partner BOOLEAN NOT NULL,
    role TEXT,
    PRIMARY KEY (project_id, organization_id)
);
CREATE INDEX project_organizations_org ON project_organizations (organization_id);

CREATE TABLE outcome_projects (
    outcome_id INTEGER NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    PRIMARY KEY (outcome_id, project_id)
);
CREATE INDEX outcome_projects_project ON outcome_projects (project_id);
