//! Goals and objectives (Step 1), the community's phase and the conditions for the next one,
//! and the six steps checklist computed from data.
