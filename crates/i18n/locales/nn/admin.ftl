## The organisation administrator's pages: members and roles, the audit log.

account-col-tools = Administrasjon
members-title = Medlemmer og roller
members-revoke = Fjern
members-revoke-label = Fjern rolla { $role } for { $name }
members-revoked = Rolla er fjerna.
members-granted = Rolla er gitt.
members-grant-title = Gi ei rolle
members-grant-member = Medlem
members-grant-role = Rolle
members-choose-role = Vel rolle
members-grant-until = Gjeld til og med (valfritt)
members-grant-until-hint = Utan dato gjeld rolla til ho blir fjerna eller ikkje stadfesta ved tilgangsgjennomgang.
members-grant-submit = Gi rolla
audit-title = Revisjonslogg
audit-intro = Alle endringar i organisasjonen, nyaste først. Hendingane er lenkja med sjekksummar, så endringar i ettertid blir oppdaga.
audit-verify = Kontroller loggen
audit-intact = Loggen er uendra: { $count } hendingar kontrollerte.
audit-broken = Loggen er endra ved hending { $sequence }: { $reason }
audit-reason-altered = innhaldet er endra.
audit-reason-unlinked = ei hending manglar eller er flytta.
audit-reason-gap = nummereringa har eit hol.
audit-empty = Ingen hendingar enno.
audit-col-sequence = Nr.
audit-col-time = Tidspunkt
audit-col-action = Hending
audit-col-target = Gjeld
audit-col-outcome = Utfall

settings-title = Innstillingar
settings-allowlist-intro = Tilsette i organisasjonen kan berre bruke Vern frå nettverka som står her. Står det ingenting, gjeld inga avgrensing.
settings-allowlist-label = Tillatne nettverk (IP-adresser eller CIDR-område)
settings-allowlist-hint = Eitt område per linje, til dømes 10.20.0.0/16. Lista må ta med nettverket du er kopla til frå no.
settings-save = Lagre tillatne nettverk
settings-saved = Innstillingane er lagra.
settings-login-title = Innlogging
settings-require-passkey = Krev passnøkkel ved innlogging
settings-require-passkey-hint = Tilsette som loggar inn med kode frå autentiseringsapp, slepp ikkje inn i organisasjonen før dei loggar inn med passnøkkel. Passnøklar står imot phishing. Du må sjølv vere innlogga med passnøkkel for å slå dette på.
settings-save-login = Lagre innloggingskrav

audit-filter-action = Hendingskode
audit-filter-action-hint = Til dømes role.granted eller member.removed. La feltet stå tomt for alle hendingar.
audit-filter-from = Frå dato
audit-filter-to = Før dato
audit-filter-apply = Vis
audit-export = Last ned som CSV
