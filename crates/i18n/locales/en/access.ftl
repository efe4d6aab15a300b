## Invitations, role requests, API clients, sessions and the platform operator's page.

members-col-status = Status
members-status-active = Active
members-status-disabled = Disabled
members-disable = Disable
members-enable = Enable
members-remove = Remove from the organisation
members-remove-confirm = Remove this person from the organisation? All their roles here end.
members-disabled = The member has been disabled. Their roles stop working at once.
members-enabled = The member has been enabled again.
members-removed = The member has been removed from the organisation.

invite-title = Invite someone
invite-intro = The person receives a link that works once and for seven days. Through it they choose a password and set up an authenticator app before the role takes effect.
invite-role = Role on joining
invite-submit = Create invitation
invite-link-once = Copy the link and send it to the person. It is shown only now.
invite-list = Invitations
invite-state-pending = Waiting
invite-state-accepted = Accepted
invite-state-expired = Expired
invite-state-withdrawn = Withdrawn
invite-withdraw = Withdraw
invite-accept-title = Join Vern
invite-accept-intro = You have been invited to { $organization }.
invite-no-token = The link is incomplete. Open the whole link from the invitation, or ask your administrator for a new one.
invite-step-authenticator = Step 1: Set up your authenticator app
invite-authenticator-intro = Vern asks for a one-time code from an authenticator app each time you log in. Have the app ready on your phone.
invite-show-secret = Show the code to scan
invite-qr-alt = QR code for setting up Vern in an authenticator app
invite-secret-text = Scan the QR code with the app, or type this key in by hand:
invite-step-password = Step 2: Choose a password and confirm the code
invite-new-password = New password
invite-password-hint = At least 12 characters. A sentence of a few words is easy to remember and hard to guess.
invite-repeat-password = Repeat the password
invite-password-mismatch = The two passwords are not the same.
invite-existing-account = You already have an account with this e-mail address. Confirm with your password and a code from your authenticator app.
invite-accept = Accept the invitation
invite-accepted = Welcome! The invitation is accepted. You can now log in.

requests-title = Role requests
requests-intro = Members ask for roles here and say why their work needs them. Approving grants the role at once.
requests-empty = No role requests.
requests-justification = Justification
requests-note = Note to the requester (optional)
requests-approve = Approve
requests-deny = Deny
requests-approved = The request is approved and the role granted.
requests-denied = The request is denied.
request-state-pending = Waiting for a decision
request-state-approved = Approved
request-state-denied = Denied
request-state-withdrawn = Withdrawn
request-title = Request a role
request-choose-org = Choose an organisation
request-justification-hint = Say what your work needs the role for (at least 10 characters). The administrators see this.
request-submit = Send the request
request-sent = The request has been sent to the administrators.
request-mine = My role requests
request-withdraw = Withdraw

clients-title = API clients
clients-intro = Integrations (a case system, a catalogue synchronisation) log in with a client id and a secret and act for the organisation with the permissions chosen here — never more than you hold yourself, and never user administration.
clients-create = New API client
clients-name = Name
clients-scopes = Permissions
clients-scopes-hint = Choose only what the integration needs.
clients-submit = Create the client
clients-secret-once = Copy the secret now and store it safely. It is shown only this once.
clients-list = The organisation's API clients
clients-expires = Expires
clients-revoke = Revoke
clients-revoked = Revoked

perm-create-organizations = Create organisations
perm-manage-members = Manage members
perm-manage-roles = Manage roles
perm-decide-role-requests = Decide role requests
perm-manage-org-settings = Manage settings
perm-manage-api-clients = Manage API clients
perm-read-audit-log = Read the audit log
perm-read-register = Read the register
perm-edit-register = Edit the register
perm-edit-own-systems = Edit own systems
perm-edit-products = Edit products
perm-read-agreements = Read agreements
perm-draft-agreements = Draft agreements
perm-sign-agreements = Sign agreements
perm-read-request-overview = See the overview of data-subject requests
perm-handle-requests = Handle data-subject requests
perm-answer-request-tasks = Answer request tasks
perm-read-incidents = Read incidents
perm-manage-incidents = Manage incidents

sessions-title = My sessions
sessions-started = Started
sessions-last-used = Last used
sessions-current = This session
sessions-end = End

operator-title = Create an organisation
operator-intro = Create a municipality, a vendor or an authority and invite its first administrator. The administrator then invites the others.
operator-org-name = Name of the organisation
operator-kommune = Municipality number
operator-kommune-hint = Four digits from the 2024 code list, for example 4601 for Bergen. The name comes from the list.
operator-org-number = Organisation number
operator-first-admin = The first administrator
operator-submit = Create the organisation
operator-created = The organisation has been created:

passkey-title = Passkeys
passkey-intro = A passkey lets you log in with your device's screen lock or a security key instead of a code, with or without your password.
passkey-list = My passkeys
passkey-name = Name of the new passkey
passkey-name-hint = So you can tell them apart, for example "Work laptop".
passkey-add = Add a passkey
passkey-added = The passkey has been added.
passkey-removed = The passkey has been removed.
passkey-remove = Remove
passkey-failed = The passkey could not be used. Try again, or use another way to log in.
passkey-login-intro = Do you have a passkey for Vern? Then you need neither e-mail nor password.
passkey-login = Log in with a passkey
passkey-second-title = Use your passkey
passkey-use = Confirm with passkey

review-title = Access review
review-intro = Every role in force must be confirmed by the chosen day. Roles not confirmed by then stop working.
review-due-label = Confirm by
review-start = Start the review
review-started = { $count ->
    [one] One role awaits confirmation.
   *[other] { $count } roles await confirmation.
}
review-due = confirm by { $date }
review-confirm = Confirm
review-confirm-label = Confirm the role { $role } for { $name }
review-confirmed = The role is confirmed.
