# Agenda: see crates/tejido-web/src/features/agenda.rs.
