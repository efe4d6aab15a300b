## In-app notifications

nav-notifications = Notifications
nav-notifications-unread = Notifications ({ $count } unread)
notifications-title = Notifications
notifications-intro = What has happened or is soon due in the organisations you work for. Notifications never show personal data, only what the case is about.
notifications-none = No notifications.
notifications-unread = { $count ->
    [0] None unread.
    [one] One unread notification.
   *[other] { $count } unread notifications.
}
notifications-read-all = Mark all read
notifications-mark-read = Mark read
notifications-mark-read-label = Mark read: { $text }
notifications-new = New
notification-incident-received = { $from } has notified { $org } of an incident: “{ $title }”. The deadline to notify Datatilsynet is { $due }.
notification-incident-clock-urgent = { $org }, incident { $reference } “{ $title }”: less than a day left to notify Datatilsynet ({ $due }).
notification-incident-clock-overdue = { $org }, incident { $reference } “{ $title }”: the deadline to notify Datatilsynet passed on { $due }.
notification-request-due-soon = { $org }, request { $reference }: to be answered by { $due }.
notification-request-overdue = { $org }, request { $reference }: the deadline passed on { $due }.
notification-email-subject = Vern: { $text }
notification-email-body =
    { $text }

    Open in Vern: { $link }

    You receive this e-mail because you hold a role in the organisation. Choose which notifications you get by e-mail: { $settings }
notifications-settings = E-mail and language
notifications-settings-intro = Notifications always show here. Choose which you also want by e-mail, and the language of the e-mails.
notifications-settings-language = Language of e-mails
notifications-settings-email = Send by e-mail
notifications-settings-save = Save the choices
notifications-settings-saved = The choices are saved.
notification-kind-incident-received = Incident notice from a vendor
notification-kind-incident-clock-urgent = Less than a day left to notify an incident
notification-kind-incident-clock-overdue = Deadline to notify an incident passed
notification-kind-request-due-soon = Request due within a week
notification-kind-request-overdue = Request past its deadline
notification-role-requested = { $org }: a new role request awaits a decision.
notification-kind-role-requested = Role requests awaiting a decision
notification-agreement-to-sign = { $org }: the data processing agreement “{ $title }” awaits signature.
notification-kind-agreement-to-sign = Agreements awaiting signature
notification-extension-notice-due = { $org }, request { $reference }: the first month ends { $due }. Answer by then, or tell the resident of the extension with reasons before the deadline.
notification-kind-extension-notice-due = Requests whose answer or extension notice is due within a week
notification-review-due = { $org }: "{ $title }" was due for review { $due }.
notification-kind-review-due = Processing activities and systems due for review
notification-consent-renewal-due = { $org }: a guardian's consent to "{ $title }" is due for renewal from { $due }; the child can now consent on their own.
notification-kind-consent-renewal-due = Guardians' consents due for renewal
notification-vendor-change = { $from } changed "{ $title }", which { $org } uses. Review the change in the register.
notification-kind-vendor-change = Changes vendors make to products you use
notification-access-review-due = { $org }: roles are due for recertification by { $due }.
notification-kind-access-review-due = Access reviews falling due
notification-campaign-deadline = { $org }: the data processing agreement "{ $title }" is to be signed by { $due }.
notification-kind-campaign-deadline = Campaign agreements due within a week
