-- Filled by the support change; a placeholder keeps the numbering in lockstep.
SELECT 1;
