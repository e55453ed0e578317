-- Filled by the network change; a placeholder keeps the numbering in lockstep.
SELECT 1;
