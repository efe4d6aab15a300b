## The organisation administrator's pages: members and roles, the audit log.

account-col-tools = Administration
members-title = Members and roles
members-revoke = Remove
members-revoke-label = Remove the role { $role } from { $name }
members-revoked = The role has been removed.
members-granted = The role has been granted.
members-grant-title = Grant a role
members-grant-member = Member
members-grant-role = Role
members-choose-role = Choose a role
members-grant-until = Valid until (optional)
members-grant-until-hint = Without a date the role lasts until it is removed or not confirmed in an access review.
members-grant-submit = Grant the role
audit-title = Audit log
audit-intro = Every change in the organisation, newest first. The events are chained with checksums, so later changes are detected.
audit-verify = Check the log
audit-intact = The log is unchanged: { $count } events checked.
audit-broken = The log was changed at event { $sequence }: { $reason }
audit-reason-altered = its content was changed.
audit-reason-unlinked = an event is missing or was moved.
audit-reason-gap = the numbering has a gap.
audit-empty = No events yet.
audit-col-sequence = No.
audit-col-time = Time
audit-col-action = Event
audit-col-target = Concerns
audit-col-outcome = Outcome

settings-title = Settings
settings-allowlist-intro = The organisation's staff can use Vern only from the networks listed here. An empty list means no restriction.
settings-allowlist-label = Allowed networks (IP addresses or CIDR ranges)
settings-allowlist-hint = One range per line, for example 10.20.0.0/16. The list must include the network you are connected from now.
settings-save = Save allowed networks
settings-saved = The settings have been saved.
settings-login-title = Login
settings-require-passkey = Require a passkey at login
settings-require-passkey-hint = Staff who log in with a code from an authenticator app cannot act in the organisation until they log in with a passkey. Passkeys resist phishing. You must be logged in with a passkey yourself to turn this on.
settings-save-login = Save login requirement

audit-filter-action = Event code
audit-filter-action-hint = For example role.granted or member.removed. Leave empty for all events.
audit-filter-from = From date
audit-filter-to = Before date
audit-filter-apply = Show
audit-export = Download as CSV
