-- Governance: the decision log (shared by the charter, phases and rotation), goals and
-- objectives with their status history.

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    title TEXT NOT NULL,
    body TEXT,
    search_key TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    method TEXT NOT NULL,
    votes_for INTEGER,
    votes_against INTEGER,
    votes_abstain INTEGER,
    decided_by TEXT,
    source_kind TEXT,
    source_id INTEGER,
    corrects_id INTEGER REFERENCES decisions (id),
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX decisions_community ON decisions (community_id, decided_on);
CREATE INDEX decisions_corrects ON decisions (corrects_id);
CREATE INDEX decisions_source ON decisions (source_kind, source_id);

CREATE TABLE goals (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    title TEXT NOT NULL,
    description TEXT,
    horizon TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX goals_community ON goals (community_id, horizon);

CREATE TABLE objectives (
    id INTEGER PRIMARY KEY,
    goal_id INTEGER NOT NULL REFERENCES goals (id),
    title TEXT NOT NULL,
    indicator TEXT NOT NULL,
    target TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX objectives_goal ON objectives (goal_id);

CREATE TABLE objective_status_changes (
    id INTEGER PRIMARY KEY,
    objective_id INTEGER NOT NULL REFERENCES objectives (id),
    status TEXT NOT NULL,
    comment TEXT,
    changed_by INTEGER REFERENCES users (id),
    changed_at TEXT NOT NULL
);
CREATE INDEX objective_status_changes_objective ON objective_status_changes (objective_id, changed_at);
