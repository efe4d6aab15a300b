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
notification-email-subject = Vern: { $text }
notification-email-body =
    { $text }

    Åpne i Vern: { $link }

    Du får denne e-posten fordi du har en rolle i virksomheten. Velg hvilke varsler du vil ha på e-post: { $settings }
notifications-settings = E-post og språk
notifications-settings-intro = Varsler vises alltid her. Velg hvilke du også vil ha på e-post, og språket i e-postene.
notifications-settings-language = Språk i e-poster
notifications-settings-email = Send på e-post
notifications-settings-save = Lagre valgene
notifications-settings-saved = Valgene er lagret.
notification-kind-incident-received = Avviksvarsel fra leverandør
notification-kind-incident-clock-urgent = Under ett døgn igjen til å melde avvik
notification-kind-incident-clock-overdue = Fristen for å melde avvik er passert
notification-kind-request-due-soon = Henvendelse med frist innen en uke
notification-kind-request-overdue = Henvendelse over fristen
notification-role-requested = { $org }: en ny rolleforespørsel venter på avgjørelse.
notification-kind-role-requested = Rolleforespørsler som venter på avgjørelse
notification-agreement-to-sign = { $org }: databehandleravtalen «{ $title }» venter på signatur.
notification-kind-agreement-to-sign = Avtaler som venter på signatur
notification-extension-notice-due = { $org }, henvendelse { $reference }: første måned går ut { $due }. Svar innen da, eller gi beskjed om forlengelse med begrunnelse før fristen.
notification-kind-extension-notice-due = Henvendelser der svar eller beskjed om forlengelse må gis innen en uke
notification-review-due = { $org }: «{ $title }» skulle vært gjennomgått { $due }.
notification-kind-review-due = Behandlinger og systemer som skal gjennomgås
notification-consent-renewal-due = { $org }: et samtykke til «{ $title }» gitt av en foresatt må fornyes fra { $due }; barnet kan nå samtykke selv.
notification-kind-consent-renewal-due = Samtykker fra foresatte som må fornyes
notification-vendor-change = { $from } har endret «{ $title }», som { $org } bruker. Gå gjennom endringen i registeret.
notification-kind-vendor-change = Endringer leverandører gjør i produkter dere bruker
notification-access-review-due = { $org }: roller skal bekreftes på nytt innen { $due }.
notification-kind-access-review-due = Tilgangsgjennomganger som forfaller
notification-campaign-deadline = { $org }: databehandleravtalen «{ $title }» skal signeres innen { $due }.
notification-kind-campaign-deadline = Avtaler i kampanjer med frist innen en uke
