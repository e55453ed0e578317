-- Reports read what other capabilities store; they add no table. The funder role is a value of
-- community_roles.role ('funder'), which has no CHECK list to extend. This index serves the
-- report's poll highlights (closed polls of a community in a period).
CREATE INDEX polls_community_status ON polls (community_id, status, closes_at);
