//! Assessments: storage of rounds, responses and their aggregates.
