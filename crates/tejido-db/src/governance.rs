//! Goals, objectives and their status history; the community's phase.
