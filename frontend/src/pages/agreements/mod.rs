//! Data processing agreements: the organisation's list, drafting from a template with the
//! register's facts, and one agreement — its text, what Art. 28(3) still needs, sending,
//! signing after confirming with a passkey or a code, versions with their differences,
//! the PDF and the verification of the signatures.

mod campaigns;
mod detail;
mod editor;
mod templates;

pub use campaigns::{CampaignPage, CampaignsPage, NewCampaignPage};
pub use detail::AgreementPage;
pub use editor::NewAgreementPage;
pub use templates::{AgreementTemplatePage, AgreementTemplatesPage};

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use vern_domain::access::Permission;
use vern_domain::agreements::deadlines::{AgreementDeadlinePage as DeadlinePage, Urgency};
use vern_domain::agreements::lifecycle::AgreementStatus;
use vern_domain::agreements::view::AgreementPage as Page;

use crate::api::{self, with_query};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::{I18n, use_i18n};
use crate::pages::admin::org_from_path;
use crate::session::use_session;

pub(crate) fn status_key(status: AgreementStatus) -> String {
    format!("agreement-status-{}", status.as_str().replace('_', "-"))
}

pub(crate) fn status_color(status: AgreementStatus) -> &'static str {
    match status {
        AgreementStatus::Active => "success",
        AgreementStatus::Sent | AgreementStatus::PartiallySigned => "warning",
        AgreementStatus::Draft => "info",
        _ => "neutral",
    }
}

pub(crate) fn status_tag(i18n: I18n, status: AgreementStatus) -> impl IntoView {
    let key = status_key(status);
    view! { <span class="ds-tag" data-color=status_color(status)>{move || i18n.t(&key)}</span> }
}

/// What the organisation must sign or review, soonest first.
#[component]
fn Deadlines(org: Memo<Option<vern_domain::OrganizationId>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        async move {
            let org = org.filter(|_| ready)?;
            let url = format!("/api/v1/organizations/{org}/agreement-deadlines?limit=20");
            Some(
                session
                    .authorized(|t| api::fetch_json::<DeadlinePage>(url.clone(), t))
                    .await,
            )
        }
    });
    view! {
        <section class="vern-section" aria-labelledby="deadlines-heading">
            <h2 class="ds-heading" data-size="sm" id="deadlines-heading">{i18n.tr("deadlines-title")}</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || page.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("deadlines-none")}</p> }.into_any(),
                    Ok(page) => view! {
                        <div class="vern-table-wrap">
                            <table class="ds-table" data-border="true">
                                <caption class="ds-sr-only">{i18n.tr("deadlines-title")}</caption>
                                <thead><tr>
                                    <th scope="col">{i18n.tr("deadlines-col-due")}</th>
                                    <th scope="col">{i18n.tr("deadlines-col-kind")}</th>
                                    <th scope="col">{i18n.tr("agreements-col-title")}</th>
                                    <th scope="col">{i18n.tr("deadlines-col-counterparty")}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|d| {
                                        let kind = format!("deadline-kind-{}", d.kind.as_str());
                                        let (color, when) = match (d.urgency, d.days_left) {
                                            (Urgency::Overdue, Some(n)) => ("danger", i18n.t_with("deadline-overdue", &[("days", ((-n) as usize).into())])),
                                            (_, Some(n)) => (if d.urgency == Urgency::Soon { "warning" } else { "neutral" }, i18n.t_with("deadline-days-left", &[("days", (n as usize).into())])),
                                            (_, None) => ("neutral", i18n.t("deadline-no-date")),
                                        };
                                        view! {
                                            <tr>
                                                <td>{d.due.map(|d| d.to_string()).unwrap_or_default()} " " <span class="ds-tag" data-color=color>{when}</span></td>
                                                <td>{move || i18n.t(&kind)}</td>
                                                <th scope="row"><A href=format!("/agreements/{}", d.agreement_id) attr:class="ds-link">{d.title.clone()}</A></th>
                                                <td>{d.counterparty.name.clone()}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn AgreementsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("agreements-title"));
    let query_map = use_query_map();
    let param =
        move |k: &'static str| Memo::new(move |_| query_map.get().get(k).filter(|v| !v.is_empty()));
    let (role, status, q, cursor) = (param("role"), param("status"), param("q"), param("cursor"));
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        let params = vec![
            ("role", role.get()),
            ("status", status.get()),
            ("q", q.get()),
            ("cursor", cursor.get()),
            ("limit", Some("25".to_owned())),
        ];
        async move {
            let org = org.filter(|_| ready)?;
            let url = with_query(&format!("/api/v1/organizations/{org}/agreements"), &params);
            Some(
                session
                    .authorized(|t| api::fetch_json::<Page>(url.clone(), t))
                    .await,
            )
        }
    });
    let can_draft = Signal::derive(move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::DraftAgreements))
    });
    let here = move || {
        org.get()
            .map(|o| format!("/organizations/{o}/agreements"))
            .unwrap_or_default()
    };
    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("agreements-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("agreements-intro")}</p>
            <p class="vern-actions">
                <Show when=move || can_draft.get()>
                    {move || org.get().map(|o| view! {
                        <A href=format!("/organizations/{o}/agreements/new") attr:class="ds-button" attr:data-variant="primary">{i18n.tr("agreements-new")}</A>
                    })}
                </Show>
                {move || org.get().map(|o| view! {
                    <A href=format!("/organizations/{o}/campaigns") attr:class="ds-button" attr:data-variant="secondary">{i18n.tr("agreements-campaigns")}</A>
                    <A href=format!("/organizations/{o}/agreement-templates") attr:class="ds-button" attr:data-variant="secondary">{i18n.tr("agreement-templates-title")}</A>
                })}
            </p>
            <Deadlines org=org/>
            <h2 class="ds-heading vern-section" data-size="sm">{i18n.tr("agreements-all")}</h2>
            <Form method="GET" action=here attr:class="vern-filters" attr:aria-label=move || i18n.t("agreements-filter")>
                <div class="ds-field">
                    <label class="ds-label" for="agreements-q">{i18n.tr("agreements-search")}</label>
                    <input class="ds-input" id="agreements-q" name="q" type="search" maxlength="200" prop:value=move || q.get().unwrap_or_default()/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="agreements-role">{i18n.tr("agreements-role")}</label>
                    <select class="ds-input" id="agreements-role" name="role">
                        <option value="" selected=move || role.get().is_none()>{i18n.tr("agreements-role-all")}</option>
                        <option value="controller" selected=move || role.get().as_deref() == Some("controller")>{i18n.tr("agreements-role-controller")}</option>
                        <option value="processor" selected=move || role.get().as_deref() == Some("processor")>{i18n.tr("agreements-role-processor")}</option>
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="agreements-status">{i18n.tr("agreements-status")}</label>
                    <select class="ds-input" id="agreements-status" name="status">
                        <option value="" selected=move || status.get().is_none()>{i18n.tr("agreements-status-all")}</option>
                        {AgreementStatus::ALL.into_iter().map(|s| {
                            let key = status_key(s);
                            view! { <option value=s.as_str() selected=move || status.get().as_deref() == Some(s.as_str())>{move || i18n.t(&key)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button class="ds-button" data-variant="secondary" type="submit">{i18n.tr("agreements-apply")}</button>
            </Form>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || page.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("agreements-none")}</p> }.into_any(),
                    Ok(page) => {
                        let next = page.next_cursor.clone();
                        view! {
                            <div class="vern-table-wrap">
                                <table class="ds-table" data-border="true" data-zebra="true">
                                    <caption class="ds-sr-only">{i18n.tr("agreements-title")}</caption>
                                    <thead><tr>
                                        <th scope="col">{i18n.tr("agreements-col-title")}</th>
                                        <th scope="col">{i18n.tr("agreements-col-controller")}</th>
                                        <th scope="col">{i18n.tr("agreements-col-processor")}</th>
                                        <th scope="col">{i18n.tr("agreements-col-status")}</th>
                                        <th scope="col">{i18n.tr("agreements-col-version")}</th>
                                        <th scope="col">{i18n.tr("agreements-col-review")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|a| view! {
                                            <tr>
                                                <th scope="row"><A href=format!("/agreements/{}", a.id) attr:class="ds-link">{a.title.clone()}</A></th>
                                                <td>{a.controller.name.clone()}</td>
                                                <td>{a.processor.name.clone()}</td>
                                                <td>{status_tag(i18n, a.status)}</td>
                                                <td>{a.current_version}</td>
                                                <td>{a.review_date.map(|d| d.to_string()).unwrap_or_default()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|c| {
                                let href = with_query(&here(), &[("role", role.get_untracked()), ("status", status.get_untracked()), ("q", q.get_untracked()), ("cursor", Some(c))]);
                                view! { <p><A href=href attr:class="ds-link">{i18n.tr("agreements-next")}</A></p> }
                            })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}
