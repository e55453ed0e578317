-- Filled by the library change; a placeholder keeps the numbering in lockstep.
SELECT 1;
