## Varsler i appen

nav-notifications = Varsler
nav-notifications-unread = Varsler ({ $count } uleste)
notifications-title = Varsler
notifications-intro = Det som har skjedd eller snart forfaller i virksomhetene du jobber for. Varslene viser aldri personopplysninger, bare hva saken gjelder.
notifications-none = Ingen varsler.
notifications-unread = { $count ->
    [0] Ingen uleste.
    [one] Ett ulest varsel.
   *[other] { $count } uleste varsler.
}
notifications-read-all = Merk alle som lest
notifications-mark-read = Merk som lest
notifications-mark-read-label = Merk som lest: { $text }
notifications-new = Ny
notification-incident-received = { $from } har varslet { $org } om et avvik: «{ $title }». Fristen for å melde Datatilsynet går ut { $due }.
notification-incident-clock-urgent = { $org }, avvik { $reference } «{ $title }»: under ett døgn igjen til fristen for å melde Datatilsynet ({ $due }).
notification-incident-clock-overdue = { $org }, avvik { $reference } «{ $title }»: fristen for å melde Datatilsynet gikk ut { $due }.
notification-request-due-soon = { $org }, henvendelse { $reference }: skal besvares innen { $due }.
notification-request-overdue = { $org }, henvendelse { $reference }: fristen gikk ut { $due }.
