# Sustainability: see crates/tejido-web/src/features/sustainability.rs.

## The assessment engine: the five maturity stages (shared by every instrument on that scale)
assessment-stage-0 = Not yet present
assessment-stage-1 = Emergent
assessment-stage-2 = Expanding
assessment-stage-3 = Advanced
assessment-stage-4 = Institutionalized
assessment-error-rating = Choose a stage on the scale (0 to 4) or leave the criterion unrated.

## The instrument: the seed's Table 4, "Dimensions of sustainability"
sust-instrument = Sustainability of a learning community
sust-dim-management = Management and Structure
sust-dim-funding = Funding
sust-dim-processes = Processes
sust-dim-culture = Culture
sust-item-ms-1 = Leadership: Clearly defined roles and responsibilities including delegations of authority to participating staff.
sust-item-ms-2 = A mission/vision is defined for the Learning Community.
sust-item-ms-3 = A set of accountability measures and interaction guidelines are defined.
sust-item-ms-4 = Participation schemes and methodologies are considered and incorporated, and level of effort is defined.
sust-item-fu-1 = Costs and resources: Clearly defined costs and schemes for contribution.
sust-item-fu-2 = Diversified funding: A fundraising plan that includes targeted donors, potential fee-for-service schemes, and opportunistic fundraising over time; clear responsibilities, budget goals and transparency mechanisms; and specific plans to diversify funding sources.
sust-item-fu-3 = Accounting services: Defined management, skills and level of effort needed to sustain the Learning Community
sust-item-fu-4 = Mapping and recognition of the collective assets (in cash and in kind) that member CSOs can put forward.
sust-item-pr-1 = Participatory methodologies are established to elicit diverse contributions.
sust-item-pr-2 = Information sources are made public and local knowledge is incorporated.
sust-item-pr-3 = Procedures and systems are established to capture, synthesize, store, and disseminate key information and tacit knowledge.
sust-item-pr-4 = Roles and responsibilities of participants are clearly established to enable effective engagement in Learning Community activities.
sust-item-cu-1 = Levels of autonomy and decision-making processes are established to ensure constant and equitable participation.
sust-item-cu-2 = An environment is established and cultivated where people can share ideas (inclusive, open and safe spaces for collaboration and interaction).
sust-item-cu-3 = Strong relationships are built on trust and good communication, in order to share knowledge and resources.
sust-item-cu-4 = Participants and members of the Learning Community are empowered to participate, learn and reflect.
sust-item-cu-5 = Reputation of participants, organizations and the Learning Community group is valued and protected.
sust-item-cu-6 = Experience of participants and organizations is leveraged and optimized.

## Pages
sust-title = Sustainability self-assessment
sust-intro = Each member rates the criteria of the four dimensions of sustainability (management and structure, funding, processes and culture) at one of five maturity stages, with evidence and a note. The stages start a conversation; they are not a rubric.
sust-privacy = Individual ratings are confidential: nobody, not even those who coordinate, sees who rated what. Results are aggregates, and evidence and notes are shown without names.
sust-rounds = Rounds
sust-rounds-none = No self-assessment rounds yet.
sust-round = Round
sust-round-dates = From { $opens } to { $closes }
sust-status-open = Open
sust-status-upcoming = Upcoming
sust-status-closed = Closed
sust-respondents-count = { $count ->
    [one] 1 person rated
   *[other] { $count } people rated
}
sust-rate = Rate
sust-trend = Change between rounds
sust-trend-hint = Each dimension's mean per round (0 to 4); in brackets, the change from the round before.
sust-trend-caption = Mean per dimension and round
sust-n = People
sust-actions = Action items
sust-actions-hint = The self-assessment's gaps become action items with an owner and a due date.
sust-actions-none = No action items yet.
sust-actions-none-round = This round has no action items yet.
sust-action-status-open = Open
sust-action-status-done = Done
sust-action-owner = Owner: { $name }
sust-action-due = Due: { $date }
sust-action-mark-done = Mark as done
sust-action-reopen = Reopen
sust-new-round = Open a round
sust-field-title = Round title
sust-field-opens = Opens on
sust-field-closes = Closes on
sust-open-round = Open the round
sust-error-closes-before = The closing date cannot be before the opening date.
sust-error-not-open = This round is not open: ratings are taken only between its opening and closing dates.
sust-radar-title = Sustainability radar: { $round }
sust-by-dimension = Results by dimension
sust-no-ratings = Nobody has rated this round yet.
sust-compared-with = The dashed outline is the previous round: { $round }.
sust-dimension-caption = Figures per dimension (0 to 4): the mean of what each person rated in the dimension
sust-dimension = Dimension
sust-criterion = Criterion
sust-mean = Mean
sust-median = Median
sust-min-max = Min–max
sust-spread = Spread (std. dev.)
sust-previous = Previous round
sust-change = Change
sust-no-consensus = No consensus: talk about it
sust-spread-hint = We flag "no consensus" when ratings are { $range } stages or more apart. The spread is the standard deviation of the ratings.
sust-criteria-caption = Figures per criterion: { $dimension }
sust-make-action = Turn into an action item
sust-make-action-title = Turn a gap into an action item
sust-make-action-hint = Choose the criterion, describe what will be done and assign a person of the community as owner.
sust-evidence-of = Evidence and notes for criterion { $number } ({ $count })
sust-field-item = Criterion
sust-field-action-title = What will be done?
sust-field-owner = Owner
sust-field-due = Due date
sust-create-action = Create action item
sust-not-rated = Not rated
sust-saved = Your answers were saved. You can come back and change them while the round is open.
sust-rate-hint = Choose the stage that best describes the community today for each criterion. Add the evidence behind it (a document, an agreement, an example) and, if you like, a note. You can save and come back later.
sust-stages = What does each stage mean?
sust-stage-hint-0 = It does not exist in the community yet.
sust-stage-hint-1 = There are first attempts, isolated or informal.
sust-stage-hint-2 = It is practised, but not everywhere nor consistently.
sust-stage-hint-3 = It is practised regularly and most people know it.
sust-stage-hint-4 = It is part of how the community works: documented, and not dependent on one person.
sust-field-evidence = Evidence
sust-field-note = Note
sust-save = Save my answers

## Audit log
audit-sustainability-round-opened = Self-assessment round opened
audit-sustainability-action-created = Sustainability action item created
audit-sustainability-action-status = Sustainability action item status changed
