-- Filled by the onboarding change; a placeholder keeps the numbering in lockstep.
SELECT 1;
