-- A member's own reports of sensitive ties are looked up by who recorded them.
CREATE INDEX network_ties_recorder ON network_ties (entered_by, community_id);
