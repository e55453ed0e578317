-- Peer support: offers of expertise by organizations, asks for help posted to one or more of the
-- asker's communities, the organizations matched to an ask (with the reasons, one per line), the
-- answers, and who helped when an ask is closed as resolved (which also writes a peer-help tie).

CREATE TABLE support_offers (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    themes TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX support_offers_org ON support_offers (organization_id, updated_at);

CREATE TABLE support_asks (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    asker_user_id INTEGER NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    need TEXT NOT NULL,
    theme TEXT NOT NULL,
    theme_key TEXT NOT NULL,
    urgency TEXT NOT NULL CHECK (urgency IN ('low', 'normal', 'high')),
    deadline TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'withdrawn')),
    closed_at TEXT,
    closed_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX support_asks_status ON support_asks (status, created_at);
CREATE INDEX support_asks_org ON support_asks (organization_id);
CREATE INDEX support_asks_theme ON support_asks (theme_key);

CREATE TABLE support_ask_communities (
    ask_id INTEGER NOT NULL REFERENCES support_asks (id),
    community_id INTEGER NOT NULL REFERENCES communities (id),
    PRIMARY KEY (ask_id, community_id)
);
CREATE INDEX support_ask_communities_community ON support_ask_communities (community_id, ask_id);

CREATE TABLE support_matches (
    ask_id INTEGER NOT NULL REFERENCES support_asks (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    score INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    invited INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (ask_id, organization_id)
);
CREATE INDEX support_matches_org ON support_matches (organization_id);

CREATE TABLE support_answers (
    id INTEGER PRIMARY KEY,
    ask_id INTEGER NOT NULL REFERENCES support_asks (id),
    author_user_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX support_answers_ask ON support_answers (ask_id, created_at);

CREATE TABLE support_helpers (
    ask_id INTEGER NOT NULL REFERENCES support_asks (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    tie_id INTEGER REFERENCES network_ties (id),
    PRIMARY KEY (ask_id, organization_id)
);
CREATE INDEX support_helpers_org ON support_helpers (organization_id);
