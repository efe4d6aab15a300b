## The organisation administrator's pages: members and roles, the audit log.

account-col-tools = Administrasjon
members-title = Medlemmer og roller
members-revoke = Fjern
members-revoke-label = Fjern rollen { $role } for { $name }
members-revoked = Rollen er fjernet.
members-granted = Rollen er gitt.
members-grant-title = Gi en rolle
members-grant-member = Medlem
members-grant-role = Rolle
members-choose-role = Velg rolle
members-grant-until = Gjelder til og med (valgfritt)
members-grant-until-hint = Uten dato gjelder rollen til den fjernes eller ikke bekreftes ved tilgangsgjennomgang.
members-grant-submit = Gi rollen
audit-title = Revisjonslogg
audit-intro = Alle endringer i organisasjonen, nyeste først. Hendelsene er lenket med sjekksummer, så endringer i ettertid oppdages.
audit-verify = Kontroller loggen
audit-intact = Loggen er uendret: { $count } hendelser kontrollert.
audit-broken = Loggen er endret ved hendelse { $sequence }: { $reason }
audit-reason-altered = innholdet er endret.
audit-reason-unlinked = en hendelse mangler eller er flyttet.
audit-reason-gap = nummereringen har et hull.
audit-empty = Ingen hendelser ennå.
audit-col-sequence = Nr.
audit-col-time = Tidspunkt
audit-col-action = Hendelse
audit-col-target = Gjelder
audit-col-outcome = Utfall

settings-title = Innstillinger
settings-allowlist-intro = Ansatte i organisasjonen kan bare bruke Vern fra nettverkene som står her. Står det ingenting, gjelder ingen begrensning.
settings-allowlist-label = Tillatte nettverk (IP-adresser eller CIDR-områder)
settings-allowlist-hint = Ett område per linje, for eksempel 10.20.0.0/16. Listen må ta med nettverket du er koblet til fra nå.
settings-save = Lagre tillatte nettverk
settings-saved = Innstillingene er lagret.
settings-login-title = Innlogging
settings-require-passkey = Krev passnøkkel ved innlogging
settings-require-passkey-hint = Ansatte som logger inn med kode fra autentiseringsapp, slipper ikke inn i organisasjonen før de logger inn med passnøkkel. Passnøkler står imot phishing. Du må selv være logget inn med passnøkkel for å slå dette på.
settings-save-login = Lagre innloggingskrav

audit-filter-action = Hendelseskode
audit-filter-action-hint = For eksempel role.granted eller member.removed. La feltet stå tomt for alle hendelser.
audit-filter-from = Fra dato
audit-filter-to = Før dato
audit-filter-apply = Vis
audit-export = Last ned som CSV
