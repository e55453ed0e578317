-- Follow-ups of polls and the Local System map.
--
-- Polls: the invitation pass looks for open polls not invited yet whose opening time has come.
CREATE INDEX polls_due ON polls (status, opens_at) WHERE invited_at IS NULL;

-- PARTNER sub-ratings of a tie (each 1-4: Nada, Poco, Bastante, Mucho), all six or none.
-- trust = mean of reliability, mission and openness; value = mean of power, resources and
-- involvement. The exact means are kept with two decimals in trust_mean and value_mean; the
-- existing integer trust and value columns keep the mean rounded to the nearest integer (a mean of
-- three integers is never a half), so every reader of trust/value keeps working. Ties rated
-- directly (trust and value only) leave all eight columns empty.
ALTER TABLE network_ties ADD COLUMN reliability INTEGER CHECK (reliability BETWEEN 1 AND 4);
ALTER TABLE network_ties ADD COLUMN mission INTEGER CHECK (mission BETWEEN 1 AND 4);
ALTER TABLE network_ties ADD COLUMN openness INTEGER CHECK (openness BETWEEN 1 AND 4);
ALTER TABLE network_ties ADD COLUMN power INTEGER CHECK (power BETWEEN 1 AND 4);
ALTER TABLE network_ties ADD COLUMN resources INTEGER CHECK (resources BETWEEN 1 AND 4);
ALTER TABLE network_ties ADD COLUMN involvement INTEGER CHECK (involvement BETWEEN 1 AND 4);
ALTER TABLE network_ties ADD COLUMN trust_mean REAL CHECK (trust_mean BETWEEN 1 AND 4);
ALTER TABLE network_ties ADD COLUMN value_mean REAL CHECK (value_mean BETWEEN 1 AND 4);
