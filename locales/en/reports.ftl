# Reports: see crates/tejido-web/src/features/reports.rs.
