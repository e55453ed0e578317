# Sign-in, passwords, invitations, personal settings and tokens.
login-title = Sign in
login-submit = Sign in
login-forgot = Forgot your password?
login-invite-only = Tejido works by invitation: if you do not have an account yet, ask whoever coordinates your community.
login-failed = The email or password is not correct.
login-too-many = Too many failed attempts. Wait 15 minutes or reset your password.
field-password = Password
field-new-password = New password
field-confirm-password = Confirm the password
password-hint = At least 10 characters. A phrase you remember makes a good password.
field-display-name = Your name
forgot-title = Reset password
forgot-lead = Enter your account's email and we will send you a link to choose a new password.
forgot-submit = Send link
forgot-sent = If there is an account with that email, we sent a link. Check your inbox; the link expires in 2 hours.
reset-title = Choose a new password
reset-submit = Save password
invitation-title = Invitation to Tejido
invitation-to-community = You were invited to the community “{ $community }”.
invitation-for = Invitation for { $email }.
invitation-existing = You already have an account with this email. Accept to join.
invitation-accept = Accept invitation
account-title = My account
tokens-title = API access keys
tokens-lead = To connect other tools with Tejido. Treat each key like a password.
tokens-name = Key name (what you will use it for)
tokens-create = Create key
tokens-created = Copy this key now: you will not see it again.
tokens-created-at = Created
tokens-last-used = Last used
tokens-state = State
tokens-revoke = Revoke
tokens-revoked = Revoked
mail-reset-subject = Reset your Tejido password
mail-reset-body = Hello,

    Someone (hopefully you) asked to reset the password of your Tejido account.
    To choose a new one, open this link within the next { $hours } hours:

    { $link }

    If it was not you, ignore this message: your password does not change.
mail-invite-subject = Invitation to { $place } on Tejido
mail-invite-body = Hello,

    { $inviter } invites you to { $place } on Tejido, the space of our learning communities.
    To accept, open this link within the next { $days } days:

    { $link }

    If you were not expecting this invitation, you can ignore this message.
account-mail-title = E-mail you receive
