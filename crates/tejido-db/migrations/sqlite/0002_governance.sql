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
