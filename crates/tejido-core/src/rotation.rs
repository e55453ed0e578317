//! Rotation of duties (leader, facilitator, rapporteur, timekeeper): who goes next, fairly.
