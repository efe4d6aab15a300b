## Invitasjoner, rolleforespørsler, API-klienter, økter og plattformoperatørens side.

members-col-status = Status
members-status-active = Aktiv
members-status-disabled = Deaktivert
members-disable = Deaktiver
members-enable = Aktiver
members-remove = Fjern fra virksomheten
members-remove-confirm = Fjerne denne personen fra virksomheten? Alle rollene personen har her, opphører.
members-disabled = Medlemmet er deaktivert. Rollene slutter å virke med en gang.
members-enabled = Medlemmet er aktivert igjen.
members-removed = Medlemmet er fjernet fra virksomheten.

invite-title = Inviter noen
invite-intro = Personen får en lenke som virker én gang og i sju dager. Gjennom den velger personen passord og setter opp en autentiseringsapp før rollen gjelder.
invite-role = Rolle når personen blir med
invite-submit = Lag invitasjon
invite-link-once = Kopier lenken og send den til personen. Den vises bare nå.
invite-list = Invitasjoner
invite-state-pending = Venter
invite-state-accepted = Godtatt
invite-state-expired = Utløpt
invite-state-withdrawn = Trukket tilbake
invite-withdraw = Trekk tilbake
invite-accept-title = Bli med i Vern
invite-accept-intro = Du er invitert til { $organization }.
invite-no-token = Lenken er ufullstendig. Åpne hele lenken fra invitasjonen, eller be administratoren om en ny.
invite-step-authenticator = Steg 1: Sett opp autentiseringsappen
invite-authenticator-intro = Vern ber om en engangskode fra en autentiseringsapp hver gang du logger inn. Ha appen klar på telefonen.
invite-show-secret = Vis koden som skal skannes
invite-qr-alt = QR-kode for å sette opp Vern i en autentiseringsapp
invite-secret-text = Skann QR-koden med appen, eller skriv inn denne nøkkelen for hånd:
invite-step-password = Steg 2: Velg passord og bekreft koden
invite-new-password = Nytt passord
invite-password-hint = Minst 12 tegn. En setning på noen ord er lett å huske og vanskelig å gjette.
invite-repeat-password = Gjenta passordet
invite-password-mismatch = De to passordene er ikke like.
invite-existing-account = Du har allerede en konto med denne e-postadressen. Bekreft med passordet ditt og en kode fra autentiseringsappen.
invite-accept = Godta invitasjonen
invite-accepted = Velkommen! Invitasjonen er godtatt. Nå kan du logge inn.

requests-title = Rolleforespørsler
requests-intro = Medlemmer ber om roller her og forklarer hvorfor arbeidet krever dem. Godkjenning gir rollen med en gang.
requests-empty = Ingen rolleforespørsler.
requests-justification = Begrunnelse
requests-note = Merknad til den som spør (valgfritt)
requests-approve = Godkjenn
requests-deny = Avslå
requests-approved = Forespørselen er godkjent og rollen tildelt.
requests-denied = Forespørselen er avslått.
request-state-pending = Venter på avgjørelse
request-state-approved = Godkjent
request-state-denied = Avslått
request-state-withdrawn = Trukket tilbake
request-title = Be om en rolle
request-choose-org = Velg virksomhet
request-justification-hint = Forklar hva arbeidet ditt trenger rollen til (minst 10 tegn). Administratorene ser dette.
request-submit = Send forespørselen
request-sent = Forespørselen er sendt til administratorene.
request-mine = Mine rolleforespørsler
request-withdraw = Trekk tilbake

clients-title = API-klienter
clients-intro = Integrasjoner (et saksbehandlingssystem, en katalogsynkronisering) logger inn med klient-ID og hemmelighet og handler for virksomheten med rettighetene du velger her – aldri flere enn du selv har, og aldri brukeradministrasjon.
clients-create = Ny API-klient
clients-name = Navn
clients-scopes = Rettigheter
clients-scopes-hint = Velg bare det integrasjonen trenger.
clients-submit = Opprett klienten
clients-secret-once = Kopier hemmeligheten nå og oppbevar den trygt. Den vises bare denne ene gangen.
clients-list = Virksomhetens API-klienter
clients-expires = Utløper
clients-revoke = Trekk tilbake
clients-revoked = Trukket tilbake

perm-create-organizations = Opprette virksomheter
perm-manage-members = Administrere medlemmer
perm-manage-roles = Administrere roller
perm-decide-role-requests = Avgjøre rolleforespørsler
perm-manage-org-settings = Administrere innstillinger
perm-manage-api-clients = Administrere API-klienter
perm-read-audit-log = Lese revisjonsloggen
perm-read-register = Lese registeret
perm-edit-register = Redigere registeret
perm-edit-own-systems = Redigere egne systemer
perm-edit-products = Redigere produkter
perm-read-agreements = Lese avtaler
perm-draft-agreements = Utarbeide avtaler
perm-sign-agreements = Signere avtaler
perm-read-request-overview = Se oversikten over innsynsbegjæringer
perm-handle-requests = Behandle henvendelser fra registrerte
perm-answer-request-tasks = Svare på oppgaver fra henvendelser
perm-read-incidents = Lese avvik
perm-manage-incidents = Håndtere avvik

sessions-title = Mine økter
sessions-started = Startet
sessions-last-used = Sist brukt
sessions-current = Denne økten
sessions-end = Avslutt

operator-title = Opprett en virksomhet
operator-intro = Opprett en kommune, en leverandør eller en myndighet og inviter den første administratoren. Administratoren inviterer så de andre.
operator-org-name = Virksomhetens navn
operator-kommune = Kommunenummer
operator-kommune-hint = Fire sifre fra kodelisten for 2024, for eksempel 4601 for Bergen. Navnet hentes fra listen.
operator-org-number = Organisasjonsnummer
operator-first-admin = Den første administratoren
operator-submit = Opprett virksomheten
operator-created = Virksomheten er opprettet:

passkey-title = Passnøkler
passkey-intro = Med en passnøkkel logger du inn med skjermlåsen på enheten eller en sikkerhetsnøkkel i stedet for en kode, med eller uten passord.
passkey-list = Mine passnøkler
passkey-name = Navn på den nye passnøkkelen
passkey-name-hint = Slik at du kan skille dem fra hverandre, for eksempel «Jobb-PC».
passkey-add = Legg til passnøkkel
passkey-added = Passnøkkelen er lagt til.
passkey-removed = Passnøkkelen er fjernet.
passkey-remove = Fjern
passkey-failed = Passnøkkelen kunne ikke brukes. Prøv igjen, eller logg inn på en annen måte.
passkey-login-intro = Har du en passnøkkel for Vern? Da trenger du verken e-post eller passord.
passkey-login = Logg inn med passnøkkel
passkey-second-title = Bruk passnøkkelen
passkey-use = Bekreft med passnøkkel

review-title = Tilgangsgjennomgang
review-intro = Alle roller som gjelder, må bekreftes innen valgt dag. Roller som ikke er bekreftet da, slutter å virke.
review-due-label = Bekreftes innen
review-start = Start gjennomgangen
review-started = { $count ->
    [one] Én rolle venter på bekreftelse.
   *[other] { $count } roller venter på bekreftelse.
}
review-due = bekreftes innen { $date }
review-confirm = Bekreft
review-confirm-label = Bekreft rollen { $role } for { $name }
review-confirmed = Rollen er bekreftet.
