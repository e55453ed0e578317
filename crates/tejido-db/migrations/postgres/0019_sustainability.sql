-- Filled by the sustainability change; a placeholder keeps the numbering in lockstep.
SELECT 1;
