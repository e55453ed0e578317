# Rotation of roles: see crates/tejido-web/src/features/rotation.rs.

rotation-title = Role rotation
rotation-intro = For each role that can rotate (leader, facilitator, rapporteur, timekeeper), the community decides whether it rotates among people, among member organizations, or stays with its holder. Tejido proposes the next six turns fairly: first whoever held it least often and longest ago, skipping anyone who opted out or lacks the skill the role asks for.
rotation-key-consideration-title = Key consideration:
rotation-key-consideration = Decide early, and write it in the charter, whether leadership rotates or whether an organization keeps it for its experience. Choose facilitators for their skills, but also give turns to those who want to learn: facilitating is a way to build capacity.
rotation-lesson-title = Lesson learned:
rotation-lesson = Moving from a community convened from outside to one that governs itself is hard work, and governance rules do not appear on their own: they need time and listening. Rotating the rapporteur role shared the work of documenting and carried what was learned to more people in each organization.

rotation-holder = Held now by
rotation-nobody-holds = Nobody for now
rotation-policy = Rule
rotation-no-policy = No rule yet: a coordinator can choose one.
rotation-mode-people = Rotates among people
rotation-mode-organizations = Rotates among organizations
rotation-mode-continuity = Continuity (does not rotate)
rotation-term-days = { $days }-day turns
rotation-needs-skill = requires: { $skill }
rotation-next-turns = Next turns
rotation-nobody-eligible = Nobody can take the next turn: check who opted out and which skill is required.
rotation-pending-swaps = Agreed swaps
rotation-continuity-note = The role stays with its holder until the community decides otherwise.

rotation-handover-hint = Ends the current term and hands the role to the next in the list.
rotation-handover-to = Hand the role over to { $name }
rotation-policy-title = Rotation rule
rotation-policy-hint = Rotating or keeping a role is the community's decision; it belongs in the charter.
rotation-field-mode = How it is assigned
rotation-field-required-skill = Required skill (optional)
rotation-field-term-days = Length of each turn, in days
rotation-save-policy = Save rule
rotation-swap-title = Swap turns by agreement
rotation-swap-hint = When two people or organizations agree to swap their next turns, record it here; the agreement also goes into the decision log.
rotation-field-swap-a = Who gives up their turn
rotation-field-swap-b = Who takes it in exchange
rotation-field-swap-note = Note on the agreement (optional)
rotation-record-swap = Record swap
rotation-swap-decision = { $a } and { $b } swap their next turns

rotation-my-preferences = My preferences
rotation-opt-out-legend = I prefer not to take these roles
rotation-opt-out-hint = Whoever opts out of a role does not appear in its turns.
rotation-field-skills = Skills
rotation-skills-hint = Separated by commas, for example: facilitation, note-taking, sign language.
rotation-save-preferences = Save preferences
rotation-preferences-title = Rotation preferences
rotation-preferences-hint = Who opts out of which role, and which skills they offer.
rotation-preferences-of = Preferences of { $name }
rotation-no-preferences = No preferences recorded
rotation-opted-out = Opts out of
rotation-edit = Edit
rotation-edit-preferences-of = Edit the preferences of { $name }
rotation-kind-person = Person
rotation-kind-organization = Organization

rotation-error-term-days = Enter a number of days between 1 and 366.
rotation-error-too-many-skills = List at most 20 skills.
rotation-error-swap = That swap is not possible: both must have an upcoming turn, and nobody may end up with two turns in a row.
rotation-error-not-rotating = This role does not rotate: choose a rotation rule first.
rotation-error-nobody = There is nobody to hand the role over to.
