-- Filled by the outcomes change; a placeholder keeps the numbering in lockstep.
SELECT 1;
