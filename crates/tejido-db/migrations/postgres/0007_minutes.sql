-- Filled by the minutes change; a placeholder keeps the numbering in lockstep.
SELECT 1;
