## Organisations: list, search and detail.

org-list-title = Organisasjoner
org-list-intro = Kommuner, leverandører og myndigheter i Vern. Alt i Vern tilhører en organisasjon.
org-search-label = Søk etter navn
org-search-hint = Store og små bokstaver og aksenter spiller ingen rolle.
org-search-submit = Søk
org-kind-filter-label = Type organisasjon
org-kind-all = Alle typer
org-kind-municipality = Kommune
org-kind-vendor = Leverandør
org-kind-authority = Myndighet
org-kind-platform = Plattformdrift
org-table-caption = Organisasjoner, sortert alfabetisk
org-col-name = Navn
org-col-kind = Type
org-col-org-number = Organisasjonsnummer
org-col-municipality-number = Kommunenummer
org-col-county = Fylke
org-none-found = Ingen organisasjoner passer søket.
org-count-shown = { $count ->
    [one] Viser { $count } organisasjon
   *[other] Viser { $count } organisasjoner
}
org-pagination-label = Sider
org-next-page = Neste side
org-first-page = Første side
org-not-registered = Ikke registrert
org-detail-facts = Opplysninger
org-field-id = Vern-ID
org-field-created = Registrert i Vern
org-back-to-list = Tilbake til organisasjonene
