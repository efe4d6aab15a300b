use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use vern_domain::OrgKind;
use vern_domain::organization::{Organization, OrganizationPage};

use super::kind_key;
use crate::api::{self, OrgQuery, with_query};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;

/// The list's state lives in the URL (`?q=…&kind=…&cursor=…`): links, reloads and the back
/// button all work, and the search form is a plain GET form.
#[component]
pub fn OrganizationList() -> impl IntoView {
    let i18n = use_i18n();
    set_title(i18n.tr("org-list-title"));
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let map = query_map.get();
        OrgQuery {
            q: map.get("q"),
            kind: map.get("kind"),
            cursor: map.get("cursor"),
        }
    });
    let page = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_organizations(&query).await }
    });

    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("org-list-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("org-list-intro")}</p>
            <SearchForm query=query/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Results page=page query=query.get_untracked()/> }.into_any(),
                        Err(error) => view! { <ErrorAlert error=error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn SearchForm(query: Memo<OrgQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let current_kind = move || query.get().kind.unwrap_or_default();
    view! {
        <Form method="GET" action="/organizations" attr:class="vern-search" attr:role="search">
            <div class="ds-field">
                <label class="ds-label" for="org-q">{i18n.tr("org-search-label")}</label>
                <div class="ds-field__description" id="org-q-hint">{i18n.tr("org-search-hint")}</div>
                <input
                    class="ds-input"
                    id="org-q"
                    name="q"
                    type="search"
                    maxlength="200"
                    aria-describedby="org-q-hint"
                    prop:value=move || query.get().q.unwrap_or_default()
                />
            </div>
            <div class="ds-field">
                <label class="ds-label" for="org-kind">{i18n.tr("org-kind-filter-label")}</label>
                <select class="ds-input" id="org-kind" name="kind">
                    <option value="" selected=move || current_kind().is_empty()>{i18n.tr("org-kind-all")}</option>
                    {OrgKind::ALL.into_iter().map(|kind| view! {
                        <option value=kind.as_str() selected=move || current_kind() == kind.as_str()>
                            {i18n.tr_owned(kind_key(kind))}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("org-search-submit")}</button>
        </Form>
    }
}

#[component]
fn Results(page: OrganizationPage, query: OrgQuery) -> impl IntoView {
    let i18n = use_i18n();
    if page.items.is_empty() {
        return view! { <p class="ds-paragraph" role="status">{i18n.tr("org-none-found")}</p> }
            .into_any();
    }
    let count = page.items.len();
    let first_page = query.cursor.is_some().then(|| {
        with_query(
            "/organizations",
            &OrgQuery {
                cursor: None,
                ..query.clone()
            }
            .params(),
        )
    });
    let next_page = page.next_cursor.clone().map(|cursor| {
        with_query(
            "/organizations",
            &OrgQuery {
                cursor: Some(cursor),
                ..query.clone()
            }
            .params(),
        )
    });
    view! {
        <p class="ds-paragraph" role="status">{move || i18n.t_with("org-count-shown", &[("count", count.into())])}</p>
        <div class="vern-table-wrap">
            <table class="ds-table" data-border="true" data-zebra="true">
                <caption class="ds-sr-only">{i18n.tr("org-table-caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{i18n.tr("org-col-name")}</th>
                        <th scope="col">{i18n.tr("org-col-kind")}</th>
                        <th scope="col">{i18n.tr("org-col-org-number")}</th>
                        <th scope="col">{i18n.tr("org-col-municipality-number")}</th>
                        <th scope="col">{i18n.tr("org-col-county")}</th>
                    </tr>
                </thead>
                <tbody>
                    {page.items.into_iter().map(|org| view! { <Row org=org/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="vern-pager" aria-label=i18n.tr("org-pagination-label")>
            {first_page.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("org-first-page")}</A> })}
            {next_page.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("org-next-page")}</A> })}
        </nav>
    }
    .into_any()
}

#[component]
fn Row(org: Organization) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/organizations/{}", org.id);
    let kind = kind_key(org.kind);
    let org_number = org.org_number.map(|n| n.to_string());
    let (number, county) = match org.municipality {
        Some(m) => (Some(m.number.to_string()), Some(m.county_name)),
        None => (None, None),
    };
    view! {
        <tr>
            <th scope="row"><A href=href attr:class="ds-link">{org.name}</A></th>
            <td>{i18n.tr_owned(kind.clone())}</td>
            <td>{org_number.unwrap_or_default()}</td>
            <td>{number.unwrap_or_default()}</td>
            <td>{county.unwrap_or_default()}</td>
        </tr>
    }
}
