-- Filled by the rotation change; a placeholder keeps the numbering in lockstep.
SELECT 1;
