-- Filled by the polls_network change; a placeholder keeps the numbering in lockstep.
SELECT 1;
