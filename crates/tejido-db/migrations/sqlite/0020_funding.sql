-- Filled by the funding change; a placeholder keeps the numbering in lockstep.
SELECT 1;
