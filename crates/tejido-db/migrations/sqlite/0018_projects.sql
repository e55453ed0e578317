-- Filled by the projects change; a placeholder keeps the numbering in lockstep.
SELECT 1;
