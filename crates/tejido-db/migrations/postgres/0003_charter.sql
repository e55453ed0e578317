-- Filled by the charter change; a placeholder keeps the numbering in lockstep.
SELECT 1;
