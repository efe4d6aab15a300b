## Varsel i appen

nav-notifications = Varsel
nav-notifications-unread = Varsel ({ $count } ulesne)
notifications-title = Varsel
notifications-intro = Det som har skjedd eller snart forfell i verksemdene du jobbar for. Varsla viser aldri personopplysningar, berre kva saka gjeld.
notifications-none = Ingen varsel.
notifications-unread = { $count ->
    [0] Ingen ulesne.
    [one] Eitt ulese varsel.
   *[other] { $count } ulesne varsel.
}
notifications-read-all = Merk alle som lesne
notifications-mark-read = Merk som lese
notifications-mark-read-label = Merk som lese: { $text }
notifications-new = Ny
notification-incident-received = { $from } har varsla { $org } om eit avvik: «{ $title }». Fristen for å melde Datatilsynet går ut { $due }.
notification-incident-clock-urgent = { $org }, avvik { $reference } «{ $title }»: under eitt døgn att til fristen for å melde Datatilsynet ({ $due }).
notification-incident-clock-overdue = { $org }, avvik { $reference } «{ $title }»: fristen for å melde Datatilsynet gjekk ut { $due }.
notification-request-due-soon = { $org }, førespurnad { $reference }: skal svarast innan { $due }.
notification-request-overdue = { $org }, førespurnad { $reference }: fristen gjekk ut { $due }.
notification-email-subject = Vern: { $text }
notification-email-body =
    { $text }

    Opne i Vern: { $link }

    Du får denne e-posten fordi du har ei rolle i verksemda. Vel kva varsel du vil ha på e-post: { $settings }
notifications-settings = E-post og språk
notifications-settings-intro = Varsel vert alltid viste her. Vel kva du òg vil ha på e-post, og språket i e-postane.
notifications-settings-language = Språk i e-postar
notifications-settings-email = Send på e-post
notifications-settings-save = Lagre vala
notifications-settings-saved = Vala er lagra.
notification-kind-incident-received = Avviksvarsel frå leverandør
notification-kind-incident-clock-urgent = Under eitt døgn att til å melde avvik
notification-kind-incident-clock-overdue = Fristen for å melde avvik er passert
notification-kind-request-due-soon = Førespurnad med frist innan ei veke
notification-kind-request-overdue = Førespurnad over fristen
notification-role-requested = { $org }: ein ny rolleførespurnad ventar på avgjerd.
notification-kind-role-requested = Rolleførespurnader som ventar på avgjerd
notification-agreement-to-sign = { $org }: databehandlaravtalen «{ $title }» ventar på signatur.
notification-kind-agreement-to-sign = Avtalar som ventar på signatur
notification-extension-notice-due = { $org }, førespurnad { $reference }: første månaden går ut { $due }. Svar innan då, eller gi melding om forlenging med grunngiving før fristen.
notification-kind-extension-notice-due = Førespurnader der svar eller melding om forlenging må givast innan ei veke
notification-review-due = { $org }: «{ $title }» skulle vore gått gjennom { $due }.
notification-kind-review-due = Behandlingar og system som skal gåast gjennom
notification-consent-renewal-due = { $org }: eit samtykke til «{ $title }» gitt av ein føresett må fornyast frå { $due }; barnet kan no samtykkje sjølv.
notification-kind-consent-renewal-due = Samtykke frå føresette som må fornyast
notification-vendor-change = { $from } har endra «{ $title }», som { $org } bruker. Gå gjennom endringa i registeret.
notification-kind-vendor-change = Endringar leverandørar gjer i produkt de bruker
notification-access-review-due = { $org }: roller skal stadfestast på nytt innan { $due }.
notification-kind-access-review-due = Tilgangsgjennomgangar som forfell
notification-campaign-deadline = { $org }: databehandlaravtalen «{ $title }» skal signerast innan { $due }.
notification-kind-campaign-deadline = Avtalar i kampanjar med frist innan ei veke
