## Organisations: list, search and detail.

org-list-title = Organisasjonar
org-list-intro = Kommunar, leverandørar og styresmakter i Vern. Alt i Vern høyrer til ein organisasjon.
org-search-label = Søk etter namn
org-search-hint = Store og små bokstavar og aksentar spelar inga rolle.
org-search-submit = Søk
org-kind-filter-label = Type organisasjon
org-kind-all = Alle typar
org-kind-municipality = Kommune
org-kind-vendor = Leverandør
org-kind-authority = Styresmakt
org-kind-platform = Plattformdrift
org-table-caption = Organisasjonar, sorterte alfabetisk
org-col-name = Namn
org-col-kind = Type
org-col-org-number = Organisasjonsnummer
org-col-municipality-number = Kommunenummer
org-col-county = Fylke
org-none-found = Ingen organisasjonar passar søket.
org-count-shown = { $count ->
    [one] Viser { $count } organisasjon
   *[other] Viser { $count } organisasjonar
}
org-pagination-label = Sider
org-next-page = Neste side
org-first-page = Fyrste side
org-not-registered = Ikkje registrert
org-detail-facts = Opplysningar
org-field-id = Vern-ID
org-field-created = Registrert i Vern
org-back-to-list = Tilbake til organisasjonane
