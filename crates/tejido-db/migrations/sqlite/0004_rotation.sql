-- Rotation of duties: a policy per community and rotating role, people's and organizations'
-- opt-outs and skills, and swaps of turns agreed by the community (each with its decision).

CREATE TABLE rotation_policies (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    role TEXT NOT NULL,
    mode TEXT NOT NULL,
    required_skill TEXT,
    term_days INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    updated_at TEXT NOT NULL,
    UNIQUE (community_id, role)
);

CREATE TABLE rotation_preferences (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    opted_out_roles TEXT NOT NULL DEFAULT '',
    skills TEXT NOT NULL DEFAULT '',
    updated_by INTEGER REFERENCES users (id),
    updated_at TEXT NOT NULL,
    UNIQUE (community_id, subject_kind, subject_id)
);

CREATE TABLE rotation_swaps (
    id INTEGER PRIMARY KEY,
    policy_id INTEGER NOT NULL REFERENCES rotation_policies (id),
    a_id INTEGER NOT NULL,
    b_id INTEGER NOT NULL,
    decision_id INTEGER REFERENCES decisions (id),
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    consumed_at TEXT
);
CREATE INDEX rotation_swaps_pending ON rotation_swaps (policy_id, consumed_at, id);
CREATE INDEX rotation_swaps_decision ON rotation_swaps (decision_id);

-- Past turns of a role are counted per community and role.
CREATE INDEX community_roles_rotation ON community_roles (community_id, role, person_id, starts_at);
