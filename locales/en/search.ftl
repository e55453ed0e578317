# Search: see crates/tejido-web/src/features/search.rs.
search-title = Search
search-title-for = Results for “{ $q }”
search-label = What are you looking for?
search-hint = Type one or more words; accents and capitals do not matter. You only see what you are allowed to see.
search-empty-title = Search all of Tejido
search-empty-body = Find library resources, meeting minutes, decisions and discussions. Try a theme, for example “mediation” or “restorative justice”.
search-empty-signin = Sign in to search your communities too.
search-total = { $count ->
    [0] No results
    [one] 1 result
   *[other] { $count } results
}
search-none-title = Nothing found
search-none-body = Check the spelling, use fewer words or try a more general word. If you are looking for something in a private community, ask its coordinators to add you.
search-clear-filters = Clear filters
search-filter-source = Type of content
search-filter-community = Community
search-any-community = All communities
search-filter-kind = Kind
search-filter-theme = Theme
search-filter-lang = Language
search-source-resource = Library resource
search-source-minutes = Minutes
search-source-decision = Decision
search-source-discussion = Discussion
search-kind-methodology = Methodology
search-kind-guide = Guide
search-kind-template = Template
search-kind-contact-list = Contact list
search-kind-best-practice = Best practice
search-kind-lesson-learned = Lesson learned
search-kind-dataset = Dataset
search-kind-report = Report
search-kind-link = Link
search-lang-es = Spanish
search-lang-en = English
search-lang-other = Other language
