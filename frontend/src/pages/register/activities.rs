use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use vern_domain::access::Permission;
use vern_domain::register::activity::{
    Activity, ActivityStatus, activity_review_overdue, has_special_categories,
};

use super::systems::today;
use crate::api::{self, with_query};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::pages::admin::org_from_path;
use crate::session::use_session;

pub fn activity_status_key(status: ActivityStatus) -> String {
    format!("activity-status-{}", status.as_str())
}

/// The record of processing: the organisation's processing activities, filtered by text,
/// status, special categories and overdue review (the filters live in the address).
#[component]
pub fn ActivitiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("activities-title"));
    let query_map = use_query_map();
    let filter = Memo::new(move |_| {
        let m = query_map.get();
        let get = |k: &str| m.get(k).filter(|v| !v.is_empty());
        [
            get("q"),
            get("status"),
            get("special"),
            get("review"),
            get("cursor"),
        ]
    });
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        let [q, status, special, review, cursor] = filter.get();
        async move {
            let org = org.filter(|_| ready)?;
            let url = with_query(
                &format!("/api/v1/organizations/{org}/processing-activities"),
                &[
                    ("q", q),
                    ("status", status),
                    ("special", special),
                    ("review", review),
                    ("cursor", cursor),
                ],
            );
            Some(
                session
                    .authorized(|t| api::list_activities(url.clone(), t))
                    .await,
            )
        }
    });
    let can_edit = move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::EditRegister))
    };
    let here = move || {
        org.get()
            .map(|o| format!("/organizations/{o}/processing-activities"))
            .unwrap_or_default()
    };

    view! {
        <div class="vern-container">
            <p><A href="/account" attr:class="ds-link">{i18n.tr("nav-account")}</A></p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("activities-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("activities-intro")}</p>
            <div class="vern-tools">
                <Show when=can_edit>
                    <A href=move || format!("{}/new", here()) attr:class="ds-button" attr:data-variant="primary">{i18n.tr("activities-new")}</A>
                </Show>
                {move || org.get().map(|o| view! {
                    <A href=format!("/organizations/{o}/activity-templates") attr:class="ds-button" attr:data-variant="secondary">{i18n.tr("templates-link")}</A>
                })}
            </div>
            <RecordExports/>
            <Form method="GET" action=here attr:class="vern-search" attr:role="search">
                <div class="ds-field">
                    <label class="ds-label" for="pa-q">{i18n.tr("activities-search-label")}</label>
                    <input class="ds-input" id="pa-q" name="q" type="search" maxlength="200"
                        prop:value=move || filter.get()[0].clone().unwrap_or_default()/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="pa-status">{i18n.tr("field-status")}</label>
                    <select class="ds-input" id="pa-status" name="status">
                        <option value="" selected=move || filter.get()[1].is_none()>{i18n.tr("systems-all-statuses")}</option>
                        {ActivityStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || filter.get()[1].as_deref() == Some(s.as_str())>{i18n.tr_owned(activity_status_key(s))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <input class="ds-input" type="checkbox" id="pa-special" name="special" value="true"
                        prop:checked=move || filter.get()[2].is_some()/>
                    <label class="ds-label" data-weight="regular" for="pa-special">{i18n.tr("activities-special-only")}</label>
                </div>
                <div class="ds-field">
                    <input class="ds-input" type="checkbox" id="pa-overdue" name="review" value="overdue"
                        prop:checked=move || filter.get()[3].is_some()/>
                    <label class="ds-label" data-weight="regular" for="pa-overdue">{i18n.tr("systems-overdue-only")}</label>
                </div>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("org-search-submit")}</button>
            </Form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match page.await {
                        Some(Ok(page)) => {
                            let [q, status, special, review, cursor] = filter.get_untracked();
                            let base = here();
                            let params = |c: Option<String>| [("q", q.clone()), ("status", status.clone()), ("special", special.clone()), ("review", review.clone()), ("cursor", c)];
                            let next = page.next_cursor.clone().map(|c| with_query(&base, &params(Some(c))));
                            let first = cursor.map(|_| with_query(&base, &params(None)));
                            view! {
                                <ActivityTable items=page.items/>
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
fn ActivityTable(items: Vec<Activity>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <p class="ds-paragraph" role="status">{i18n.tr("activities-none")}</p> }
            .into_any();
    }
    let today = today();
    view! {
        <div class="vern-table-wrap">
            <table class="ds-table" data-border="true" data-zebra="true">
                <caption class="ds-sr-only">{i18n.tr("activities-title")}</caption>
                <thead><tr>
                    <th scope="col">{i18n.tr("field-name")}</th>
                    <th scope="col">{i18n.tr("field-legal-bases")}</th>
                    <th scope="col">{i18n.tr("field-responsible")}</th>
                    <th scope="col">{i18n.tr("field-status")}</th>
                    <th scope="col">{i18n.tr("field-review-date")}</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|a| {
                        let overdue = activity_review_overdue(&a.facts, today);
                        let special = has_special_categories(&a.facts);
                        let href = format!("/organizations/{}/processing-activities/{}", a.organization_id, a.id);
                        let bases = a.facts.legal_bases.iter()
                            .map(|b| format!("{} {}", b.basis.article(), b.national_law).trim().to_owned())
                            .collect::<Vec<_>>().join("; ");
                        let status = activity_status_key(a.facts.status);
                        view! {
                            <tr>
                                <th scope="row">
                                    <A href=href attr:class="ds-link">{a.facts.name}</A>
                                    {special.then(|| view! { " " <span class="ds-tag" data-color="warning">{i18n.tr("category-special")}</span> })}
                                </th>
                                <td>{bases}</td>
                                <td>{a.facts.responsible}</td>
                                <td>{i18n.tr_owned(status)}</td>
                                <td>
                                    {a.facts.review_date.map(|d| d.to_string())}
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

/// Downloads of the record in force, in the language of the page.
#[component]
fn RecordExports() -> impl IntoView {
    view! {
        <super::transfer::Downloads path="record-of-processing" file="behandlingsprotokoll" heading="activities-export"
            formats=&[("xlsx", "activities-export-xlsx"), ("csv", "activities-export-csv"), ("html", "activities-export-html")]/>
    }
}
