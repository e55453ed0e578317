# Discussions: see crates/tejido-web/src/features/discussions.rs.
discussion-title = Discussions
discussion-intro = Questions, news and ideas among the people of the community. Replies are shown oldest first.
discussion-new = New discussion
discussion-none = No discussions yet. Start the first one.
discussion-count = { $count ->
    [one] 1 discussion
   *[other] { $count } discussions
}
discussion-by = By { $name }
discussion-replies-n = { $count ->
    [one] 1 reply
   *[other] { $count } replies
}
discussion-last-activity = Last activity: { $date }
discussion-hidden-title = Discussion hidden by moderation
discussion-hidden-tag = Hidden
discussion-hidden-notice = Hidden by moderation: { $reason }
discussion-edit = Edit
discussion-edit-reply = Edit reply
discussion-edit-hint = The previous text is kept in the history.
discussion-edited = edited
discussion-history = Edit history
discussion-history-hint = Every edit keeps the text that was there before. Here they are, newest first.
discussion-history-none = Nobody has edited this discussion.
discussion-history-thread = Discussion
discussion-history-reply = Reply
discussion-history-replaced = Text replaced on { $date }
discussion-history-by = by { $name }
discussion-field-title = Title
discussion-field-body = Message
discussion-field-reply = Your reply
discussion-markdown-hint = You can use Markdown: **bold**, lists with dashes, and links.
discussion-mention-hint = To mention someone and notify them by e-mail, type their handle:
discussion-mention-more = and { $count } more
discussion-publish = Publish
discussion-save = Save
discussion-reply = Reply
discussion-send-reply = Send reply
discussion-no-replies = No replies yet.
discussion-sign-in-to-reply = Sign in to reply.
discussion-subscribe = Follow this discussion
discussion-unsubscribe = Stop following
discussion-subscribed-hint = You follow this discussion: you get an e-mail for every new reply.
discussion-not-subscribed-hint = You don't follow this discussion: you get no e-mails about its replies.
discussion-hide-thread = Hide the discussion (moderation)
discussion-hide-reply = Hide the reply (moderation)
discussion-hide-reason = Reason (the community will see it)
discussion-hide = Hide
discussion-mail-mention-subject = { $name } mentioned you in a discussion
discussion-mail-mention-body = { $name } mentioned you in “{ $title }”.
discussion-mail-community = Community: { $community }
discussion-mail-reply-subject = New reply in “{ $title }”
discussion-mail-reply-body = { $name } replied in “{ $title }”:
discussion-mail-unsubscribe-hint = You get this e-mail because you follow the discussion; you can stop following it from its page.
discussion-digest-title = Weekly discussion digest
discussion-digest-explain = Once a week we send you an e-mail with the new discussions and new replies in your communities. If nothing happened, nothing is sent.
discussion-digest-receive = I want to receive the weekly digest
discussion-digest-saved = Your preference was saved.
discussion-digest-last = Last digest sent: { $date }
discussion-digest-link = Weekly digest
discussion-digest-subject = Your weekly discussion digest
discussion-digest-intro = This is what happened in your communities' discussions during the last week:
discussion-digest-new = new
discussion-digest-replies = { $count ->
    [one] 1 new reply
   *[other] { $count } new replies
}
discussion-digest-opt-out = To stop receiving this digest, change your preference here:
