-- Foundation: settings, directory, accounts, sessions, outbox, audit log, communities.
-- Times are UTC, bound from Rust. Ids are 64-bit integers.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    acronym TEXT,
    kind TEXT NOT NULL,
    state_code TEXT,
    municipality TEXT,
    themes TEXT NOT NULL DEFAULT '',
    expertise TEXT,
    needs TEXT,
    website TEXT,
    description TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX organizations_name_key ON organizations (name_key);
CREATE INDEX organizations_kind ON organizations (kind, name_key);
CREATE INDEX organizations_state ON organizations (state_code, name_key);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    email TEXT,
    organization_id INTEGER REFERENCES organizations (id),
    position_level TEXT,
    position_title TEXT,
    youth BOOLEAN,
    gender TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX people_name_key ON people (name_key);
CREATE INDEX people_organization ON people (organization_id, name_key);
CREATE INDEX people_email ON people (email);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    display_name TEXT NOT NULL,
    locale TEXT,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    person_id INTEGER REFERENCES people (id),
    created_at TEXT NOT NULL,
    disabled_at TEXT
);
CREATE UNIQUE INDEX users_person ON users (person_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    key_hash TEXT NOT NULL,
    at TEXT NOT NULL,
    success BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (key_hash, at);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    locked_until TEXT,
    sent_at TEXT,
    failed_at TEXT,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, failed_at, next_attempt_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);

CREATE TABLE communities (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    purpose TEXT NOT NULL,
    mission TEXT,
    vision TEXT,
    themes TEXT NOT NULL DEFAULT '',
    geography TEXT,
    time_zone TEXT NOT NULL,
    visibility TEXT NOT NULL,
    phase TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX communities_name_key ON communities (name_key);

CREATE TABLE community_organizations (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    joined_at TEXT NOT NULL,
    left_at TEXT,
    added_by INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX community_organizations_current ON community_organizations (community_id, organization_id) WHERE left_at IS NULL;
CREATE INDEX community_organizations_org ON community_organizations (organization_id);

CREATE TABLE community_people (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    joined_at TEXT NOT NULL,
    left_at TEXT,
    added_by INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX community_people_current ON community_people (community_id, person_id) WHERE left_at IS NULL;
CREATE INDEX community_people_person ON community_people (person_id, left_at);

CREATE TABLE community_roles (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    role TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    assigned_by INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX community_roles_current ON community_roles (community_id, person_id, role) WHERE ends_at IS NULL;
CREATE INDEX community_roles_person ON community_roles (person_id, ends_at);

CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id),
    community_id INTEGER REFERENCES communities (id),
    role TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX account_tokens_email ON account_tokens (email, purpose);
CREATE INDEX account_tokens_community ON account_tokens (community_id, created_at);
