# Support: see crates/tejido-web/src/features/support.rs.
support-title = Peer support
support-sections = Peer support sections
support-asks = Asks
support-my-offers = My organization's offers
support-intro = Ask the organizations of your communities for help, or offer what your organization knows how to do. Each ask is matched to the organizations whose expertise and themes fit, and they are invited by e-mail to answer.
support-ask-new = Ask for help
support-cannot-ask = To ask for help you need to belong to an organization in the directory and to a community.
support-no-organization = Your directory entry has no organization; ask whoever manages the directory to add it.
support-filter-state = Status
support-filter-all = All
support-filter-open = Open
support-filter-closed = Closed
support-filter = Filter
support-asks-none = No asks you can see with these filters.
support-asks-count = { $count ->
    [one] 1 ask
   *[other] { $count } asks
}
support-deadline-on = Deadline: { $date }
support-offers-of = Organization: { $org }
support-offers-none = Your organization has not published offers yet.
support-offers-manage = See and edit the offers
support-offers-intro = What your organization can share: methods, advice, materials, contacts. Offers, together with the directory's expertise and themes, are used to match asks with your organization.
support-offer-new = New offer
support-offer-edit = Edit offer
support-offer-themes = Themes: { $themes }
support-ask-as = You ask on behalf of { $org }.
support-field-title = What do you need?
support-field-need = Description
support-need-hint = Tell the context, what you have tried and what kind of help you are looking for. You can use Markdown.
support-field-theme = Theme
support-theme-hint = One theme, for example “Mediation”, “Strategic litigation” or “Fundraising”.
support-field-urgency = Urgency
support-field-deadline = Deadline
support-field-communities = Communities it is posted to
support-communities-hint = Only the people of these communities will see the ask.
support-ask-publish = Publish ask
support-urgency-low = Low
support-urgency-normal = Normal
support-urgency-high = High
support-status-open = Open
support-status-resolved = Resolved
support-status-withdrawn = Withdrawn
support-asked-by = Asked by { $name }, of { $org }
support-helped-by = Resolved with help from:
support-matches = Organizations that could help
support-matches-none = No organization of these communities fits the theme or the words of the ask yet.
support-matches-hint = Chosen for their offers, their expertise and their themes in the directory; their members in these communities were invited by e-mail.
support-invited-n = { $count ->
    [one] 1 person invited
   *[other] { $count } people invited
}
support-reason-offer-theme = Has an offer about “{ $value }”
support-reason-org-theme = Works on “{ $value }”
support-reason-keywords = Shared words: { $value }
support-answers-n = { $count ->
    [one] 1 answer
   *[other] { $count } answers
}
support-answers-none = No answers yet.
support-field-answer = Your answer
support-answer-send = Answer
support-close = Close the ask
support-close-helpers = Which organizations helped?
support-close-hint = Marking it resolved records a peer-help tie in the community's network map, from each organization that helped to yours.
support-close-no-orgs = There are no other organizations in these communities.
support-close-resolved = Mark as resolved
support-close-withdrawn = Withdraw the ask
support-field-offer-title = What do you offer?
support-field-description = Description
support-field-themes = Themes
support-themes-hint = Comma-separated, for example: Mediation, Restorative justice.
support-save = Save
support-error-deadline-past = The deadline cannot be in the past.
support-error-no-community = Choose at least one community.
support-error-no-organization = Your directory entry has no organization, so you cannot ask for help yet.
support-error-no-helper = Tick at least one organization that helped.
support-error-closed = This ask is already closed.
support-mail-invite-subject = { $org } asks for help and your organization could help
support-mail-invite-body = { $org } posted an ask for help that fits what your organization knows how to do: “{ $title }”.
support-mail-theme = Theme: { $theme }
support-mail-urgency = Urgency: { $urgency }
