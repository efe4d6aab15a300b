## The application frame: header, navigation, language switch, common states.

app-name = Vern
app-tagline = Personvern for kommuner, leverandører og innbyggere
skip-to-content = Hopp til hovedinnholdet
nav-label = Hovedmeny
nav-organizations = Organisasjoner
nav-api-docs = API-dokumentasjon
language-label = Språk
footer-text = Vern hjelper kommuner å holde oversikt over behandlingen av personopplysninger.
loading = Laster …
error-title = Noe gikk galt
error-retry = Prøv igjen
request-id-label = Referanse for feilmelding
not-found-title = Fant ikke siden
not-found-body = Adressen finnes ikke i Vern. Sjekk lenken, eller gå til oversikten.
go-home = Gå til oversikten
