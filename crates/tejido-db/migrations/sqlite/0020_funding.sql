-- Funding: cost lines, contributions of member organizations (cash and in kind), the collective
-- assets register and the fundraising pipeline with its stage history. Amounts are exact: an
-- integer number of minor units (centavos, cents) plus an ISO 4217 code; never floats.

CREATE TABLE funding_costs (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    event_id INTEGER REFERENCES events (id),
    category TEXT NOT NULL CHECK (category IN ('venue', 'travel', 'food', 'materials', 'facilitation', 'communication', 'other')),
    description TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL CHECK (currency IN ('MXN', 'USD', 'EUR')),
    spent_on TEXT NOT NULL,
    paid_by_org INTEGER REFERENCES organizations (id),
    paid_by_text TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX funding_costs_community ON funding_costs (community_id, spent_on);
CREATE INDEX funding_costs_event ON funding_costs (event_id);
CREATE INDEX funding_costs_org ON funding_costs (paid_by_org);

CREATE TABLE funding_contributions (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL CHECK (kind IN ('cash', 'in-kind')),
    description TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL CHECK (currency IN ('MXN', 'USD', 'EUR')),
    given_on TEXT NOT NULL,
    event_id INTEGER REFERENCES events (id),
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX funding_contributions_community ON funding_contributions (community_id, given_on);
CREATE INDEX funding_contributions_org ON funding_contributions (organization_id);
CREATE INDEX funding_contributions_event ON funding_contributions (event_id);

CREATE TABLE funding_assets (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL CHECK (kind IN ('cash', 'space', 'staff-time', 'equipment', 'expertise', 'networks', 'other')),
    description TEXT NOT NULL,
    value_minor INTEGER NOT NULL CHECK (value_minor > 0),
    currency TEXT NOT NULL CHECK (currency IN ('MXN', 'USD', 'EUR')),
    availability TEXT,
    contact TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX funding_assets_community ON funding_assets (community_id, id);
CREATE INDEX funding_assets_org ON funding_assets (organization_id);

CREATE TABLE funding_asks (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    donor_org INTEGER REFERENCES organizations (id),
    donor_text TEXT,
    ask TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL CHECK (currency IN ('MXN', 'USD', 'EUR')),
    stage TEXT NOT NULL CHECK (stage IN ('prospect', 'contacted', 'proposal-sent', 'under-review', 'awarded', 'declined')),
    stage_on TEXT NOT NULL,
    next_step TEXT,
    due_on TEXT,
    owner_person INTEGER REFERENCES people (id),
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (donor_org IS NOT NULL OR donor_text IS NOT NULL)
);
CREATE INDEX funding_asks_community ON funding_asks (community_id, stage, due_on);
CREATE INDEX funding_asks_donor ON funding_asks (donor_org);
CREATE INDEX funding_asks_owner ON funding_asks (owner_person);

-- Every stage an ask went through, the first one included.
CREATE TABLE funding_ask_stages (
    id INTEGER PRIMARY KEY,
    ask_id INTEGER NOT NULL REFERENCES funding_asks (id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('prospect', 'contacted', 'proposal-sent', 'under-review', 'awarded', 'declined')),
    changed_on TEXT NOT NULL,
    note TEXT,
    changed_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX funding_ask_stages_ask ON funding_ask_stages (ask_id, id);
