-- The Local System map: ties between organizations of the directory, kept per community. A tie
-- is never deleted, only ended (ended_on), so the network at any past date can be rebuilt.
-- Survey rounds collect each member organization's ties; their answers become ties with the
-- round as their source.

CREATE TABLE network_survey_rounds (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    title TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    closed_at TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX network_survey_rounds_community ON network_survey_rounds (community_id, id);

CREATE TABLE network_ties (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    from_org INTEGER NOT NULL REFERENCES organizations (id),
    to_org INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL CHECK (kind IN ('collaboration', 'information', 'funding', 'referral', 'alliance', 'mentoring', 'peer-help')),
    directed BOOLEAN NOT NULL,
    strength INTEGER NOT NULL CHECK (strength BETWEEN 1 AND 3),
    trust INTEGER CHECK (trust BETWEEN 1 AND 4),
    value INTEGER CHECK (value BETWEEN 1 AND 4),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    source TEXT NOT NULL CHECK (source IN ('survey', 'member', 'peer-help', 'joint-project', 'import')),
    round_id INTEGER REFERENCES network_survey_rounds (id),
    via_community BOOLEAN NOT NULL,
    entered_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    CHECK (from_org <> to_org)
);
CREATE INDEX network_ties_community ON network_ties (community_id, started_on, ended_on);
CREATE INDEX network_ties_from ON network_ties (from_org);
CREATE INDEX network_ties_to ON network_ties (to_org);
CREATE INDEX network_ties_round ON network_ties (round_id, from_org);
