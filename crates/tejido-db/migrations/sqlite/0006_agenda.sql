-- Filled by the agenda change; a placeholder keeps the numbering in lockstep.
SELECT 1;
