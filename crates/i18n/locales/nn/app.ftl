## The application frame: header, navigation, language switch, common states.

app-name = Vern
app-tagline = Personvern for kommunar, leverandørar og innbyggjarar
skip-to-content = Hopp til hovudinnhaldet
nav-label = Hovudmeny
nav-organizations = Organisasjonar
nav-api-docs = API-dokumentasjon
language-label = Språk
footer-text = Vern hjelper kommunar å halde oversikt over behandlinga av personopplysningar.
loading = Lastar …
error-title = Noko gjekk gale
error-retry = Prøv igjen
request-id-label = Referanse for feilmelding
not-found-title = Fann ikkje sida
not-found-body = Adressa finst ikkje i Vern. Sjekk lenkja, eller gå til oversikta.
go-home = Gå til oversikta
