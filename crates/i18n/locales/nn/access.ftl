## Invitasjonar, rolleførespurnader, API-klientar, økter og sida til plattformoperatøren.

members-col-status = Status
members-status-active = Aktiv
members-status-disabled = Deaktivert
members-disable = Deaktiver
members-enable = Aktiver
members-remove = Fjern frå verksemda
members-remove-confirm = Fjerne denne personen frå verksemda? Alle rollene personen har her, tek slutt.
members-disabled = Medlemmet er deaktivert. Rollene sluttar å verke med ein gong.
members-enabled = Medlemmet er aktivert igjen.
members-removed = Medlemmet er fjerna frå verksemda.

invite-title = Inviter nokon
invite-intro = Personen får ei lenkje som verkar éin gong og i sju dagar. Gjennom ho vel personen passord og set opp ein autentiseringsapp før rolla gjeld.
invite-role = Rolle når personen blir med
invite-submit = Lag invitasjon
invite-link-once = Kopier lenkja og send ho til personen. Ho blir berre vist no.
invite-list = Invitasjonar
invite-state-pending = Ventar
invite-state-accepted = Godteken
invite-state-expired = Gått ut
invite-state-withdrawn = Trekt tilbake
invite-withdraw = Trekk tilbake
invite-accept-title = Bli med i Vern
invite-accept-intro = Du er invitert til { $organization }.
invite-no-token = Lenkja er ufullstendig. Opne heile lenkja frå invitasjonen, eller be administratoren om ei ny.
invite-step-authenticator = Steg 1: Set opp autentiseringsappen
invite-authenticator-intro = Vern ber om ein eingongskode frå ein autentiseringsapp kvar gong du loggar inn. Ha appen klar på telefonen.
invite-show-secret = Vis koden som skal skannast
invite-qr-alt = QR-kode for å setje opp Vern i ein autentiseringsapp
invite-secret-text = Skann QR-koden med appen, eller skriv inn denne nøkkelen for hand:
invite-step-password = Steg 2: Vel passord og stadfest koden
invite-new-password = Nytt passord
invite-password-hint = Minst 12 teikn. Ei setning på nokre ord er lett å hugse og vanskeleg å gjette.
invite-repeat-password = Gjenta passordet
invite-password-mismatch = Dei to passorda er ikkje like.
invite-existing-account = Du har alt ein konto med denne e-postadressa. Stadfest med passordet ditt og ein kode frå autentiseringsappen.
invite-accept = Godta invitasjonen
invite-accepted = Velkomen! Invitasjonen er godteken. No kan du logge inn.

requests-title = Rolleførespurnader
requests-intro = Medlemmer ber om roller her og forklarer kvifor arbeidet krev dei. Godkjenning gjev rolla med ein gong.
requests-empty = Ingen rolleførespurnader.
requests-justification = Grunngjeving
requests-note = Merknad til den som spør (valfritt)
requests-approve = Godkjenn
requests-deny = Avslå
requests-approved = Førespurnaden er godkjend og rolla tildelt.
requests-denied = Førespurnaden er avslått.
request-state-pending = Ventar på avgjerd
request-state-approved = Godkjend
request-state-denied = Avslått
request-state-withdrawn = Trekt tilbake
request-title = Be om ei rolle
request-choose-org = Vel verksemd
request-justification-hint = Forklar kva arbeidet ditt treng rolla til (minst 10 teikn). Administratorane ser dette.
request-submit = Send førespurnaden
request-sent = Førespurnaden er send til administratorane.
request-mine = Rolleførespurnadene mine
request-withdraw = Trekk tilbake

clients-title = API-klientar
clients-intro = Integrasjonar (eit saksbehandlingssystem, ei katalogsynkronisering) loggar inn med klient-ID og løyndom og handlar for verksemda med rettane du vel her – aldri fleire enn du sjølv har, og aldri brukaradministrasjon.
clients-create = Ny API-klient
clients-name = Namn
clients-scopes = Rettar
clients-scopes-hint = Vel berre det integrasjonen treng.
clients-submit = Opprett klienten
clients-secret-once = Kopier løyndommen no og ta vare på han på ein trygg stad. Han blir berre vist denne eine gongen.
clients-list = API-klientane til verksemda
clients-expires = Går ut
clients-revoke = Trekk tilbake
clients-revoked = Trekt tilbake

perm-create-organizations = Opprette verksemder
perm-manage-members = Administrere medlemmer
perm-manage-roles = Administrere roller
perm-decide-role-requests = Avgjere rolleførespurnader
perm-manage-org-settings = Administrere innstillingar
perm-manage-api-clients = Administrere API-klientar
perm-read-audit-log = Lese revisjonsloggen
perm-read-register = Lese registeret
perm-edit-register = Redigere registeret
perm-edit-own-systems = Redigere eigne system
perm-edit-products = Redigere produkt
perm-read-agreements = Lese avtalar
perm-draft-agreements = Utarbeide avtalar
perm-sign-agreements = Signere avtalar
perm-read-request-overview = Sjå oversikta over innsynskrav
perm-handle-requests = Behandle førespurnader frå registrerte
perm-answer-request-tasks = Svare på oppgåver frå førespurnader
perm-read-incidents = Lese avvik
perm-manage-incidents = Handtere avvik

sessions-title = Øktene mine
sessions-started = Starta
sessions-last-used = Sist brukt
sessions-current = Denne økta
sessions-end = Avslutt

operator-title = Opprett ei verksemd
operator-intro = Opprett ein kommune, ein leverandør eller ei styresmakt og inviter den første administratoren. Administratoren inviterer så dei andre.
operator-org-name = Namnet på verksemda
operator-kommune = Kommunenummer
operator-kommune-hint = Fire siffer frå kodelista for 2024, til dømes 4601 for Bergen. Namnet blir henta frå lista.
operator-org-number = Organisasjonsnummer
operator-first-admin = Den første administratoren
operator-submit = Opprett verksemda
operator-created = Verksemda er oppretta:

passkey-title = Passnøklar
passkey-intro = Med ein passnøkkel loggar du inn med skjermlåsen på eininga eller ein tryggleiksnøkkel i staden for ein kode, med eller utan passord.
passkey-list = Passnøklane mine
passkey-name = Namn på den nye passnøkkelen
passkey-name-hint = Slik at du kan skilje dei frå kvarandre, til dømes «Jobb-PC».
passkey-add = Legg til passnøkkel
passkey-added = Passnøkkelen er lagd til.
passkey-removed = Passnøkkelen er fjerna.
passkey-remove = Fjern
passkey-failed = Passnøkkelen kunne ikkje brukast. Prøv igjen, eller logg inn på ein annan måte.
passkey-login-intro = Har du ein passnøkkel for Vern? Då treng du verken e-post eller passord.
passkey-login = Logg inn med passnøkkel
passkey-second-title = Bruk passnøkkelen
passkey-use = Stadfest med passnøkkel

review-title = Tilgangsgjennomgang
review-intro = Alle roller som gjeld, må stadfestast innan vald dag. Roller som ikkje er stadfesta då, sluttar å verke.
review-due-label = Stadfestast innan
review-start = Start gjennomgangen
review-started = { $count ->
    [one] Éi rolle ventar på stadfesting.
   *[other] { $count } roller ventar på stadfesting.
}
review-due = stadfestast innan { $date }
review-confirm = Stadfest
review-confirm-label = Stadfest rolla { $role } for { $name }
review-confirmed = Rolla er stadfesta.
