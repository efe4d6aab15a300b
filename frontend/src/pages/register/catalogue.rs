use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use vern_domain::register::product::{HostingRole, Product};

use crate::api::{self, with_query};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::session::use_session;

/// The catalogue of published products, searchable by name. The search lives in the
/// address (`?q=…&cursor=…`), so links, reloads and the back button work.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    set_title(i18n.tr("catalogue-title"));
    let query_map = use_query_map();
    let q = Memo::new(move |_| query_map.get().get("q").filter(|q| !q.is_empty()));
    let cursor = Memo::new(move |_| query_map.get().get("cursor"));
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let (q, cursor) = (q.get(), cursor.get());
        async move {
            if !ready {
                return None;
            }
            Some(
                session
                    .authorized(|t| api::list_catalogue(q.clone(), cursor.clone(), t))
                    .await,
            )
        }
    });

    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("catalogue-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("catalogue-intro")}</p>
            <Form method="GET" action="/catalogue" attr:class="vern-search" attr:role="search">
                <div class="ds-field">
                    <label class="ds-label" for="catalogue-q">{i18n.tr("catalogue-search-label")}</label>
                    <input class="ds-input" id="catalogue-q" name="q" type="search" maxlength="200"
                        prop:value=move || q.get().unwrap_or_default()/>
                </div>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("org-search-submit")}</button>
            </Form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match page.await {
                        Some(Ok(page)) => {
                            let next = page.next_cursor.clone().map(|c| with_query("/catalogue", &[("q", q.get_untracked()), ("cursor", Some(c))]));
                            let first = cursor.get_untracked().map(|_| with_query("/catalogue", &[("q", q.get_untracked())]));
                            view! {
                                <ProductTable items=page.items caption="catalogue-caption"/>
                                <nav class="vern-pager" aria-label=i18n.tr("org-pagination-label")>
                                    {first.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("org-first-page")}</A> })}
                                    {next.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("org-next-page")}</A> })}
                                </nav>
                            }.into_any()
                        }
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// Products as a table: name (to the product's page), vendor, version, where data are
/// stored, whether it takes request tasks automatically.
#[component]
pub fn ProductTable(items: Vec<Product>, caption: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="ds-paragraph" role="status">{i18n.tr("catalogue-none")}</p> }
            .into_any();
    }
    view! {
        <div class="vern-table-wrap">
            <table class="ds-table" data-border="true" data-zebra="true">
                <caption class="ds-sr-only">{i18n.tr(caption)}</caption>
                <thead><tr>
                    <th scope="col">{i18n.tr("field-name")}</th>
                    <th scope="col">{i18n.tr("product-vendor")}</th>
                    <th scope="col">{i18n.tr("field-version")}</th>
                    <th scope="col">{i18n.tr("product-stored-in")}</th>
                    <th scope="col">{i18n.tr("field-connector")}</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|p| {
                        let stored = p.facts.hosting.iter()
                            .filter(|h| h.role == HostingRole::Storage)
                            .map(|h| h.country.clone())
                            .collect::<Vec<_>>()
                            .join(", ");
                        let connector = p.facts.connector.is_some();
                        let unpublished = !p.facts.published;
                        view! {
                            <tr>
                                <th scope="row">
                                    <A href=format!("/products/{}", p.id) attr:class="ds-link">{p.facts.name}</A>
                                    {unpublished.then(|| view! { " " <span class="ds-tag" data-color="warning">{i18n.tr("product-unpublished")}</span> })}
                                </th>
                                <td>{p.vendor_name}</td>
                                <td>{p.facts.version}</td>
                                <td>{stored}</td>
                                <td>{i18n.tr(if connector { "yes" } else { "no" })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
