use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use vern_domain::access::Permission;
use vern_domain::register::system::{System, SystemStatus, review_overdue};

use super::status_key;
use crate::api::{self, with_query};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::pages::admin::org_from_path;
use crate::session::use_session;

/// Today in the browser's calendar.
pub fn today() -> chrono::NaiveDate {
    let now = js_sys::Date::new_0();
    chrono::NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default()
}

/// The organisation's systems in use, filtered by text, status and overdue review. The
/// filters live in the address, so a filtered list can be bookmarked and shared.
#[component]
pub fn SystemsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("systems-title"));
    let query_map = use_query_map();
    let filter = Memo::new(move |_| {
        let m = query_map.get();
        let get = |k: &str| m.get(k).filter(|v| !v.is_empty());
        (
            get("q"),
            get("status"),
            get("review"),
            get("cursor"),
            get("owner"),
        )
    });
    let version = RwSignal::new(0u32);
    let page = LocalResource::new(move || {
        version.get();
        let ready = session.ready.get();
        let org = org.get();
        let (q, status, review, cursor, owner) = filter.get();
        async move {
            let org = org.filter(|_| ready)?;
            let url = with_query(
                &format!("/api/v1/organizations/{org}/systems"),
                &[
                    ("q", q),
                    ("status", status),
                    ("review", review),
                    ("owner", owner),
                    ("cursor", cursor),
                ],
            );
            Some(
                session
                    .authorized(|t| api::list_systems(url.clone(), t))
                    .await,
            )
        }
    });
    let can_edit = move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::EditRegister))
    };
    let is_owner = move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::EditOwnSystems))
    };
    let here = move || {
        org.get()
            .map(|o| format!("/organizations/{o}/systems"))
            .unwrap_or_default()
    };

    view! {
        <div class="vern-container">
            <p><A href="/account" attr:class="ds-link">{i18n.tr("nav-account")}</A></p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("systems-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("systems-intro")}</p>
            <Show when=can_edit>
                <p class="vern-tools">
                    <A href=move || format!("{}/new", here()) attr:class="ds-button" attr:data-variant="primary">{i18n.tr("systems-new")}</A>
                    <A href="/catalogue" attr:class="ds-link">{i18n.tr("catalogue-title")}</A>
                </p>
            </Show>
            <super::transfer::Downloads path="systems" file="systemoversikt" heading="systems-export"
                formats=&[("xlsx", "activities-export-xlsx"), ("csv", "activities-export-csv")]/>
            <Show when=can_edit>
                <super::transfer::SystemsImport on_imported=Callback::new(move |()| version.update(|v| *v += 1))/>
            </Show>
            <Form method="GET" action=here attr:class="vern-search" attr:role="search">
                <div class="ds-field">
                    <label class="ds-label" for="sys-q">{i18n.tr("systems-search-label")}</label>
                    <input class="ds-input" id="sys-q" name="q" type="search" maxlength="200"
                        prop:value=move || filter.get().0.unwrap_or_default()/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="sys-status">{i18n.tr("field-status")}</label>
                    <select class="ds-input" id="sys-status" name="status">
                        <option value="" selected=move || filter.get().1.is_none()>{i18n.tr("systems-all-statuses")}</option>
                        {SystemStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || filter.get().1.as_deref() == Some(s.as_str())>{i18n.tr_owned(status_key(s))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <input class="ds-input" type="checkbox" id="sys-overdue" name="review" value="overdue"
                        prop:checked=move || filter.get().2.is_some()/>
                    <label class="ds-label" data-weight="regular" for="sys-overdue">{i18n.tr("systems-overdue-only")}</label>
                </div>
                <Show when=is_owner>
                    <div class="ds-field">
                        <input class="ds-input" type="checkbox" id="sys-mine" name="owner" value="me"
                            prop:checked=move || filter.get().4.is_some()/>
                        <label class="ds-label" data-weight="regular" for="sys-mine">{i18n.tr("systems-mine-only")}</label>
                    </div>
                </Show>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("org-search-submit")}</button>
            </Form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match page.await {
                        Some(Ok(page)) => {
                            let (q, status, review, cursor, owner) = filter.get_untracked();
                            let base = here();
                            let next = page.next_cursor.clone().map(|c| with_query(&base, &[("q", q.clone()), ("status", status.clone()), ("review", review.clone()), ("owner", owner.clone()), ("cursor", Some(c))]));
                            let first = cursor.map(|_| with_query(&base, &[("q", q), ("status", status), ("review", review), ("owner", owner)]));
                            view! {
                                <SystemTable items=page.items/>
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

#[component]
fn SystemTable(items: Vec<System>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="ds-paragraph" role="status">{i18n.tr("systems-none")}</p> }
            .into_any();
    }
    let today = today();
    view! {
        <div class="vern-table-wrap">
            <table class="ds-table" data-border="true" data-zebra="true">
                <caption class="ds-sr-only">{i18n.tr("systems-title")}</caption>
                <thead><tr>
                    <th scope="col">{i18n.tr("field-name")}</th>
                    <th scope="col">{i18n.tr("systems-product")}</th>
                    <th scope="col">{i18n.tr("field-owning-unit")}</th>
                    <th scope="col">{i18n.tr("field-status")}</th>
                    <th scope="col">{i18n.tr("field-review-date")}</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|s| {
                        let overdue = review_overdue(&s.facts, today);
                        let href = format!("/organizations/{}/systems/{}", s.organization_id, s.id);
                        let product = match (s.product_name, s.vendor_name) {
                            (Some(p), Some(v)) => Some(format!("{p} ({v})")),
                            (Some(p), None) => Some(p),
                            _ => None,
                        };
                        let status = status_key(s.facts.status);
                        view! {
                            <tr>
                                <th scope="row"><A href=href attr:class="ds-link">{s.facts.name}</A></th>
                                <td>{match product {
                                    Some(p) => view! { <span>{p}</span> }.into_any(),
                                    None => view! { <span>{i18n.tr("systems-own")}</span> }.into_any(),
                                }}</td>
                                <td>{s.facts.owning_unit}</td>
                                <td>{i18n.tr_owned(status)}</td>
                                <td>
                                    {s.facts.review_date.map(|d| d.to_string())}
                                    {overdue.then(|| view! { " " <span class="ds-tag" data-color="danger">{i18n.tr("systems-overdue")}</span> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
