-- Filled by the reports change; a placeholder keeps the numbering in lockstep.
SELECT 1;
