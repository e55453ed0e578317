-- Filled by the uploads change; a placeholder keeps the numbering in lockstep.
SELECT 1;
