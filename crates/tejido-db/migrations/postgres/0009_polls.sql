-- Filled by the polls change; a placeholder keeps the numbering in lockstep.
SELECT 1;
