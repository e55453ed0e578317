# Layout, navigation, shared words and errors.
skip-to-content = Skip to content
nav-main = Main navigation
nav-home = Home
nav-communities = Communities
nav-directory = Directory
nav-account = My account
nav-admin = Administration
nav-sign-in = Sign in
nav-sign-out = Sign out
language = Language
footer-tagline = Tejido: learning communities of civil society.
back-home = Back to home
pager-label = Pagination
pager-prev = Previous
pager-next = Next
pager-status = Page { $page } of { $pages }
choose-none = — Not specified —
form-has-errors = Check the highlighted fields; nothing was saved.
save = Save
cancel = Cancel
edit = Edit
archive = Archive
restore = Restore
search = Search
search-by-name = Search by name
filter-all = All
results-count = { $count ->
    [one] 1 result
   *[other] { $count } results
}
none-yet = Nothing here yet.
no-results = No results.
see-all = See all
add = Add
remove = Remove
add-named = Add { $name }
remove-named = Remove { $name }
organization = Organization
person = Person
field-name = Name
field-email = Email
field-themes = Themes
themes-hint = Separate themes with commas.
field-description = Description
count-organizations = { $count ->
    [one] 1 organization
   *[other] { $count } organizations
}
count-people = { $count ->
    [one] 1 person
   *[other] { $count } people
}
since-date = since { $date }
expires-date = expires { $date }
joined-date = joined { $date }
left-date = left { $date }
home-title = Home
home-greeting = Hello, { $name }
home-my-communities = My communities
home-no-communities = You are not part of any community yet. When you are invited, it will show here.
home-all-communities = See all communities
welcome-title = Welcome to Tejido
welcome-lead = A place where civil-society organizations meet, learn together and strengthen their alliances.
month-01 = Jan
month-02 = Feb
month-03 = Mar
month-04 = Apr
month-05 = May
month-06 = Jun
month-07 = Jul
month-08 = Aug
month-09 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec
error-required = This field is required.
error-too-long = The text is too long.
error-invalid-choice = Choose an option from the list.
error-url = Enter a full web address starting with https://
error-email = Enter a valid email address, for example name@organization.org
error-email-taken = An account with that email already exists.
error-password-short = The password must be at least 10 characters long.
error-password-mismatch = The passwords do not match.
error-last-manager = Not possible: the community would be left with nobody to coordinate it (leader, co-leader or convener).
error-not-found = We could not find what you are looking for, or it no longer exists.
error-not-found-title = Not found
error-unauthorized = You need to sign in to see this page.
error-unauthorized-title = Sign in
error-forbidden = You do not have permission to do this. If you think this is a mistake, ask whoever coordinates your community.
error-forbidden-title = No permission
error-csrf = The form expired or did not come from Tejido. Go back, reload the page and try again.
error-csrf-title = Invalid form
error-too-many = Too many attempts. Wait a few minutes and try again.
error-too-many-title = Too many attempts
error-bad-request = The request is not valid.
error-bad-request-title = Invalid request
error-validation = Some data is not valid.
error-validation-title = Invalid data
error-internal = Something failed on our side. Nothing you saved was lost; try again in a moment.
error-internal-title = Server error
error-date = Enter a valid date (year-month-day).
error-count = Enter a whole number between 0 and 100,000.
home-my-items = My open action items
home-no-items = You have no open action items.
home-item-due = due { $date }
