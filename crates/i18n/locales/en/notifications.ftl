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
