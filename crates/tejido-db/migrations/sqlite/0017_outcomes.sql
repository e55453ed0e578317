-- Outcome harvesting: significant outcomes of a community (who changed what, when and where),
-- with the organizations involved, the links given as sources or evidence, the substantiation
-- (claimed, substantiated by a named source, verified) and what contributed to each one:
-- events and ties of the Local System map (joint projects link in 0018).

CREATE TABLE outcomes (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    description TEXT NOT NULL,
    change_kind TEXT NOT NULL CHECK (change_kind IN ('behavior', 'relationships', 'actions', 'policies', 'practices')),
    significance TEXT NOT NULL,
    contribution TEXT NOT NULL,
    theme TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    substantiation TEXT NOT NULL CHECK (substantiation IN ('claimed', 'substantiated', 'verified')),
    source_name TEXT,
    source_view TEXT CHECK (source_view IN ('agrees-fully', 'agrees-partly', 'disagrees')),
    proposed_by INTEGER REFERENCES users (id),
    verified_by INTEGER REFERENCES users (id),
    verified_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX outcomes_community ON outcomes (community_id, theme, happened_on);
CREATE INDEX outcomes_community_date ON outcomes (community_id, happened_on);

CREATE TABLE outcome_organizations (
    outcome_id INTEGER NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (outcome_id, organization_id)
);
CREATE INDEX outcome_organizations_org ON outcome_organizations (organization_id);

CREATE TABLE outcome_links (
    id INTEGER PRIMARY KEY,
    outcome_id INTEGER NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    label TEXT
);
CREATE INDEX outcome_links_outcome ON outcome_links (outcome_id, id);

CREATE TABLE outcome_events (
    outcome_id INTEGER NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events (id),
    PRIMARY KEY (outcome_id, event_id)
);
CREATE INDEX outcome_events_event ON outcome_events (event_id);

CREATE TABLE outcome_ties (
    outcome_id INTEGER NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
    tie_id INTEGER NOT NULL REFERENCES network_ties (id),
    PRIMARY KEY (outcome_id, tie_id)
);
CREATE INDEX outcome_ties_tie ON outcome_ties (tie_id);
