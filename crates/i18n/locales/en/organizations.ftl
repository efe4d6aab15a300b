## Organisations: list, search and detail.

org-list-title = Organisations
org-list-intro = Municipalities, vendors and authorities in Vern. Everything in Vern belongs to an organisation.
org-search-label = Search by name
org-search-hint = Upper and lower case and accents do not matter.
org-search-submit = Search
org-kind-filter-label = Kind of organisation
org-kind-all = All kinds
org-kind-municipality = Municipality
org-kind-vendor = Vendor
org-kind-authority = Authority
org-kind-platform = Platform operator
org-table-caption = Organisations in alphabetical order
org-col-name = Name
org-col-kind = Kind
org-col-org-number = Organisation number
org-col-municipality-number = Municipality number
org-col-county = County
org-none-found = No organisations match the search.
org-count-shown = { $count ->
    [one] Showing { $count } organisation
   *[other] Showing { $count } organisations
}
org-pagination-label = Pages
org-next-page = Next page
org-first-page = First page
org-not-registered = Not registered
org-detail-facts = Facts
org-field-id = Vern ID
org-field-created = Registered in Vern
org-back-to-list = Back to the organisations
