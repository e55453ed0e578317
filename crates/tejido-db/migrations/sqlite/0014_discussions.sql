-- Filled by the discussions change; a placeholder keeps the numbering in lockstep.
SELECT 1;
