-- Onboarding pack: everything on it is read from other capabilities' tables; the only thing
-- stored here is which library resources a community's leaders chose as key reading, in order.

CREATE TABLE community_key_resources (
    community_id BIGINT NOT NULL REFERENCES communities (id),
    resource_id BIGINT NOT NULL REFERENCES resources (id),
    position INTEGER NOT NULL,
    chosen_by BIGINT REFERENCES users (id),
    chosen_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, resource_id)
);
CREATE INDEX community_key_resources_order ON community_key_resources (community_id, position);
CREATE INDEX community_key_resources_resource ON community_key_resources (resource_id);
CREATE INDEX community_key_resources_chosen_by ON community_key_resources (chosen_by);
