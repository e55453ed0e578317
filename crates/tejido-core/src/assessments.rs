//! Assessments: one engine for every scored instrument (instrument → sections → items → scale →
//! responses → derived scores), seeded with the sustainability self-assessment and others.
