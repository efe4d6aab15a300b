//! Data-subject requests, staff side: the organisation's cases by deadline with the DPO's
//! counts, registering a request that came by letter or phone, and one case — its clock,
//! what the resident asked (caseworkers only), the next step, assignment, notes and history.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;
use vern_domain::access::Permission;
use vern_domain::person::NationalId;
use vern_domain::problem::FieldError;
use vern_domain::requests::deadline::{DeadlineState, DeadlineUrgency};
use vern_domain::requests::view::{
    Assignment, CaseEvent, CaseEventKind, CaseEventPage, CaseMember, CaseStep, Extension, NewNote,
    NewRequest, RequestCase, RequestOverview, RequestPage as Page, Requester,
};
use vern_domain::requests::{CaseAction, CaseStatus, Channel, RefusalGround, RequestKind};

use crate::api::{self, ApiError, with_query};
use crate::components::{ErrorAlert, Loading, set_title, utc_minutes};
use crate::i18n::{I18n, use_i18n};
use crate::pages::admin::org_from_path;
use crate::pages::register::{FieldErrors, field_errors_of};
use crate::session::use_session;

mod portal;
mod tasks;
pub use portal::{PortalPage, PortalRequestPage};
pub use tasks::{SystemTaskPage, SystemTasksPage};

/// A text key from a prefix and a wire name: `dsr-case` + `in_progress` → `dsr-case-in-progress`.
pub(crate) fn key(prefix: &str, value: &str) -> String {
    format!("{prefix}-{}", value.replace('_', "-"))
}

fn status_color(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Received => "info",
        CaseStatus::IdentityClarification => "warning",
        CaseStatus::InProgress => "info",
        CaseStatus::Answered => "success",
        CaseStatus::Refused | CaseStatus::Withdrawn => "neutral",
    }
}

pub(super) fn status_tag(i18n: I18n, status: CaseStatus) -> impl IntoView {
    let k = key("dsr-case", status.as_str());
    view! { <span class="ds-tag" data-color=status_color(status)>{move || i18n.t(&k)}</span> }
}

fn urgency_color(u: DeadlineUrgency) -> &'static str {
    match u {
        DeadlineUrgency::Overdue => "danger",
        DeadlineUrgency::DueSoon => "warning",
        DeadlineUrgency::OnTrack => "success",
        DeadlineUrgency::Paused => "neutral",
    }
}

/// Days left (or over), in words, with the urgency as a tag.
fn time_left(i18n: I18n, d: DeadlineState) -> impl IntoView {
    let words = move || match d.days_left {
        0 => i18n.t("dsr-due-today"),
        n if n > 0 => i18n.t_with("dsr-days-left", &[("days", (n as usize).into())]),
        n => i18n.t_with(
            "dsr-days-over",
            &[("days", (n.unsigned_abs() as usize).into())],
        ),
    };
    let urgency = key(
        "dsr-urgency",
        match d.urgency {
            DeadlineUrgency::Overdue => "overdue",
            DeadlineUrgency::DueSoon => "due_soon",
            DeadlineUrgency::OnTrack => "on_track",
            DeadlineUrgency::Paused => "paused",
        },
    );
    view! {
        <span class="ds-tag" data-color=urgency_color(d.urgency)>{move || i18n.t(&urgency)}</span>
        " "
        <span>{words}</span>
    }
}

#[component]
fn Overview(org: Memo<Option<vern_domain::OrganizationId>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let overview = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        async move {
            let org = org.filter(|_| ready)?;
            let url = format!("/api/v1/organizations/{org}/request-overview");
            Some(
                session
                    .authorized(|t| api::fetch_json::<RequestOverview>(url.clone(), t))
                    .await,
            )
        }
    });
    view! {
        <section class="vern-section" aria-labelledby="dsr-overview-heading">
            <h2 class="ds-heading" data-size="sm" id="dsr-overview-heading">{i18n.tr("dsr-overview")}</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || overview.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(o) => view! {
                        <table class="ds-table vern-counts" data-border="true">
                            <caption class="ds-sr-only">{i18n.tr("dsr-overview")}</caption>
                            <thead><tr>
                                <th scope="col">{i18n.tr("dsr-open")}</th>
                                <th scope="col">{i18n.tr("dsr-overdue")}</th>
                                <th scope="col">{i18n.tr("dsr-due-soon")}</th>
                                <th scope="col">{i18n.tr("dsr-paused")}</th>
                                <th scope="col">{i18n.tr("dsr-unassigned")}</th>
                            </tr></thead>
                            <tbody><tr>
                                <td>{o.open}</td>
                                <td>{o.overdue}</td>
                                <td>{o.due_soon}</td>
                                <td>{o.paused}</td>
                                <td>{o.unassigned}</td>
                            </tr></tbody>
                        </table>
                        <p class="ds-paragraph" data-size="sm">{move || i18n.t_with("dsr-closed-late", &[("closed", (o.closed_last_year as usize).into()), ("late", (o.closed_late_last_year as usize).into())])}</p>
                        {(!o.by_system.is_empty()).then(|| view! {
                            <div class="vern-table-wrap">
                                <table class="ds-table" data-border="true">
                                    <caption>{i18n.tr("dsr-by-system")}</caption>
                                    <thead><tr>
                                        <th scope="col">{i18n.tr("dsr-task-col-system")}</th>
                                        <th scope="col">{i18n.tr("dsr-by-system-open")}</th>
                                        <th scope="col">{i18n.tr("dsr-by-system-manual")}</th>
                                        <th scope="col">{i18n.tr("dsr-by-system-late")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {o.by_system.iter().map(|l| view! {
                                            <tr>
                                                <th scope="row">{l.name.clone()}</th>
                                                <td>{l.open}</td>
                                                <td>{l.manual}</td>
                                                <td>{l.late}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        })}
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn RequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("dsr-title"));
    let query_map = use_query_map();
    let param = move |name: &'static str| {
        Memo::new(move |_| query_map.get().get(name).filter(|v| !v.is_empty()))
    };
    let status = param("status");
    let kind = param("kind");
    let assignee = param("assignee");
    let overdue = param("overdue");
    let cursor = param("cursor");
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        let params = vec![
            ("status", status.get()),
            ("kind", kind.get()),
            ("assignee", assignee.get()),
            ("overdue", overdue.get()),
            ("cursor", cursor.get()),
            ("limit", Some("50".to_owned())),
        ];
        async move {
            let org = org.filter(|_| ready)?;
            let url = with_query(&format!("/api/v1/organizations/{org}/requests"), &params);
            Some(
                session
                    .authorized(|t| api::fetch_json::<Page>(url.clone(), t))
                    .await,
            )
        }
    });
    let handles = Signal::derive(move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::HandleRequests))
    });
    let here = move || {
        org.get()
            .map(|o| format!("/organizations/{o}/requests"))
            .unwrap_or_default()
    };
    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("dsr-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("dsr-intro")}</p>
            <Show when=move || handles.get()>
                <p>{move || org.get().map(|o| view! {
                    <A href=format!("/organizations/{o}/requests/new") attr:class="ds-button" attr:data-variant="primary">{i18n.tr("dsr-new")}</A>
                })}</p>
            </Show>
            <Overview org=org/>
            <Form method="GET" action=here attr:class="vern-filters" attr:aria-label=move || i18n.t("dsr-filter")>
                <div class="ds-field">
                    <label class="ds-label" for="dsr-filter-status">{i18n.tr("dsr-status")}</label>
                    <select class="ds-input" id="dsr-filter-status" name="status">
                        <option value="open" selected=move || status.get().is_none_or(|s| s == "open")>{i18n.tr("dsr-status-open")}</option>
                        <option value="closed" selected=move || status.get().as_deref() == Some("closed")>{i18n.tr("dsr-status-closed")}</option>
                        <option value="all" selected=move || status.get().as_deref() == Some("all")>{i18n.tr("dsr-status-all")}</option>
                        {CaseStatus::ALL.into_iter().map(|s| {
                            let k = key("dsr-case", s.as_str());
                            view! { <option value=s.as_str() selected=move || status.get().as_deref() == Some(s.as_str())>{move || i18n.t(&k)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="dsr-filter-kind">{i18n.tr("dsr-kind")}</label>
                    <select class="ds-input" id="dsr-filter-kind" name="kind">
                        <option value="" selected=move || kind.get().is_none()>{i18n.tr("dsr-kind-all")}</option>
                        {RequestKind::ALL.into_iter().map(|k| {
                            let label = key("dsr-kind", k.as_str());
                            view! { <option value=k.as_str() selected=move || kind.get().as_deref() == Some(k.as_str())>{move || i18n.t(&label)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="dsr-filter-assignee">{i18n.tr("dsr-assignee")}</label>
                    <select class="ds-input" id="dsr-filter-assignee" name="assignee">
                        <option value="" selected=move || assignee.get().is_none()>{i18n.tr("dsr-assignee-all")}</option>
                        <option value="me" selected=move || assignee.get().as_deref() == Some("me")>{i18n.tr("dsr-assignee-me")}</option>
                        <option value="none" selected=move || assignee.get().as_deref() == Some("none")>{i18n.tr("dsr-assignee-none")}</option>
                    </select>
                </div>
                <div class="ds-field">
                    <input class="ds-input" type="checkbox" id="dsr-filter-overdue" name="overdue" value="true" prop:checked=move || overdue.get().as_deref() == Some("true")/>
                    <label class="ds-label" for="dsr-filter-overdue" data-weight="regular">{i18n.tr("dsr-only-overdue")}</label>
                </div>
                <button class="ds-button" data-variant="secondary" type="submit">{i18n.tr("dsr-apply")}</button>
            </Form>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || page.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("dsr-none")}</p> }.into_any(),
                    Ok(page) => {
                        let next = page.next_cursor.clone();
                        view! {
                            <div class="vern-table-wrap">
                                <table class="ds-table" data-border="true" data-zebra="true">
                                    <caption class="ds-sr-only">{i18n.tr("dsr-title")}</caption>
                                    <thead><tr>
                                        <th scope="col">{i18n.tr("dsr-col-reference")}</th>
                                        <th scope="col">{i18n.tr("dsr-col-kind")}</th>
                                        <th scope="col">{i18n.tr("dsr-col-status")}</th>
                                        <th scope="col">{i18n.tr("dsr-col-received")}</th>
                                        <th scope="col">{i18n.tr("dsr-col-due")}</th>
                                        <th scope="col">{i18n.tr("dsr-col-left")}</th>
                                        <th scope="col">{i18n.tr("dsr-col-assignee")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|r| {
                                            let kind_key = key("dsr-kind", r.kind.as_str());
                                            view! {
                                                <tr>
                                                    <th scope="row"><A href=format!("/requests/{}", r.id) attr:class="ds-link">{r.reference.clone()}</A></th>
                                                    <td>{move || i18n.t(&kind_key)}</td>
                                                    <td>{status_tag(i18n, r.status)}</td>
                                                    <td>{r.received_on.to_string()}</td>
                                                    <td>{r.deadline.map(|d| d.due.to_string()).unwrap_or_default()}</td>
                                                    <td>{r.deadline.map(|d| time_left(i18n, d))}</td>
                                                    <td>{r.assignee.map(|a| a.name).unwrap_or_default()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|c| {
                                let href = with_query(&here(), &[
                                    ("status", status.get_untracked()),
                                    ("kind", kind.get_untracked()),
                                    ("assignee", assignee.get_untracked()),
                                    ("overdue", overdue.get_untracked()),
                                    ("cursor", Some(c)),
                                ]);
                                view! { <p><A href=href attr:class="ds-link">{i18n.tr("dsr-next")}</A></p> }
                            })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}

/// One checkbox per data subject category of the taxonomy, ids `<prefix>-<key>`.
pub(super) fn subject_checkboxes(
    i18n: I18n,
    prefix: &'static str,
    subjects: RwSignal<Vec<String>>,
) -> impl IntoView {
    let keys = vern_domain::register::taxonomy::data_subjects()
        .iter()
        .map(|c| c.key)
        .collect();
    crate::pages::register::term_checkboxes(
        i18n,
        prefix,
        keys,
        crate::pages::register::subject_label,
        subjects,
    )
}

pub(super) fn optional(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

#[component]
pub fn NewRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let navigate = use_navigate();
    set_title(i18n.tr("dsr-new-title"));
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let kind = RwSignal::new(RequestKind::Access);
    let channel = RwSignal::new(Channel::Letter);
    let received = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let national_id = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let subjects = RwSignal::new(Vec::<String>::new());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let received_on = match optional(received.get_untracked()) {
            None => None,
            Some(raw) => match chrono::NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    field_errors.set(vec![FieldError::new("received_on", "not_a_date")]);
                    return;
                }
            },
        };
        let body = NewRequest {
            kind: kind.get_untracked(),
            channel: channel.get_untracked(),
            received_on,
            requester: Requester {
                name: name.get_untracked(),
                national_id: optional(national_id.get_untracked()),
                email: optional(email.get_untracked()),
                phone: optional(phone.get_untracked()),
                postal_address: optional(address.get_untracked()),
            },
            description: description.get_untracked(),
            subject_categories: subjects.get_untracked(),
        };
        field_errors.set(Vec::new());
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/requests");
            let result = session
                .authorized(|t| api::post_json::<_, RequestCase>(url.clone(), body.clone(), t))
                .await;
            busy.set(false);
            match result {
                Ok(c) => navigate(&format!("/requests/{}", c.summary.id), Default::default()),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    let text = move |id: &'static str,
                     label: &'static str,
                     kind: &'static str,
                     autocomplete: &'static str,
                     signal: RwSignal<String>| {
        view! {
            <div class="ds-field">
                <label class="ds-label" for=id>{i18n.tr(label)}</label>
                <input class="ds-input" id=id type=kind autocomplete=autocomplete maxlength="500" bind:value=signal/>
            </div>
        }
    };
    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/requests") attr:class="ds-link">{i18n.tr("dsr-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("dsr-new-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("dsr-new-intro")}</p>
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <form class="vern-form" on:submit=submit novalidate>
                <FieldErrors errors=field_errors.into()/>
                <div class="ds-field">
                    <label class="ds-label" for="dsr-kind">{i18n.tr("dsr-field-kind")}</label>
                    <select class="ds-input" id="dsr-kind" on:change=move |ev| if let Some(k) = RequestKind::parse(&event_target_value(&ev)) { kind.set(k) }>
                        {RequestKind::ALL.into_iter().map(|k| {
                            let label = key("dsr-kind", k.as_str());
                            view! { <option value=k.as_str() selected=move || kind.get() == k>{move || i18n.t(&label)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="dsr-channel">{i18n.tr("dsr-field-channel")}</label>
                    <select class="ds-input" id="dsr-channel" on:change=move |ev| if let Some(c) = Channel::parse(&event_target_value(&ev)) { channel.set(c) }>
                        {Channel::ALL.into_iter().filter(|c| c.registered_by_staff()).map(|c| {
                            let label = key("dsr-channel", c.as_str());
                            view! { <option value=c.as_str() selected=move || channel.get() == c>{move || i18n.t(&label)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="dsr-received">{i18n.tr("dsr-field-received")}</label>
                    <p class="ds-paragraph" data-size="sm" id="dsr-received-hint">{i18n.tr("dsr-field-received-hint")}</p>
                    <input class="ds-input" id="dsr-received" type="date" aria-describedby="dsr-received-hint" bind:value=received/>
                </div>
                <fieldset class="ds-fieldset">
                    <legend class="ds-heading" data-size="xs">{i18n.tr("dsr-requester")}</legend>
                    {text("dsr-name", "dsr-field-name", "text", "off", name)}
                    <div class="ds-field">
                        <label class="ds-label" for="dsr-national-id">{i18n.tr("dsr-field-national-id")}</label>
                        <p class="ds-paragraph" data-size="sm" id="dsr-national-id-hint">{i18n.tr("dsr-field-national-id-hint")}</p>
                        <input class="ds-input" id="dsr-national-id" type="text" inputmode="numeric" autocomplete="off" maxlength="13" aria-describedby="dsr-national-id-hint" bind:value=national_id/>
                    </div>
                    <p class="ds-paragraph" data-size="sm">{i18n.tr("dsr-contact-hint")}</p>
                    {text("dsr-email", "dsr-field-email", "email", "off", email)}
                    {text("dsr-phone", "dsr-field-phone", "tel", "off", phone)}
                    <div class="ds-field">
                        <label class="ds-label" for="dsr-address">{i18n.tr("dsr-field-address")}</label>
                        <textarea class="ds-input" id="dsr-address" rows="2" maxlength="500" bind:value=address></textarea>
                    </div>
                </fieldset>
                <div class="ds-field">
                    <label class="ds-label" for="dsr-description">{i18n.tr("dsr-field-description")}</label>
                    <textarea class="ds-input" id="dsr-description" rows="6" maxlength="20000" bind:value=description></textarea>
                </div>
                <fieldset class="ds-fieldset" aria-describedby="dsr-subjects-hint">
                    <legend class="ds-label">{i18n.tr("dsr-field-subjects")}</legend>
                    <p class="ds-paragraph" data-size="sm" id="dsr-subjects-hint">{i18n.tr("dsr-field-subjects-hint")}</p>
                    {subject_checkboxes(i18n, "dsr-subject", subjects)}
                </fieldset>
                <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t("dsr-registering") } else { i18n.t("dsr-register") }}
                </button>
            </form>
        </div>
    }
}

/// The resident's number, masked until the caseworker asks to see it.
#[component]
pub(super) fn MaskedId(raw: String) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(false);
    let masked = NationalId::parse(&raw)
        .map(|id| id.masked())
        .unwrap_or_else(|_| "*".repeat(raw.len()));
    view! {
        <span>{move || if shown.get() { raw.clone() } else { masked.clone() }}</span>
        " "
        <button class="ds-button" data-variant="tertiary" data-size="sm" type="button"
            aria-pressed=move || shown.get().to_string()
            on:click=move |_| shown.update(|s| *s = !*s)>
            {move || if shown.get() { i18n.t("dsr-hide-id") } else { i18n.t("dsr-show-id") }}
        </button>
    }
}

#[component]
pub fn RequestCasePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("rid").and_then(|v| v.parse::<Uuid>().ok()));
    set_title(i18n.tr("dsr-title"));
    let reload = RwSignal::new(0u32);
    // Work on the tasks adds to the history without redrawing the case.
    let history = RwSignal::new(0u32);
    let case = LocalResource::new(move || {
        let ready = session.ready.get();
        let id = id.get();
        reload.track();
        async move {
            let id = id.filter(|_| ready)?;
            let url = format!("/api/v1/requests/{id}");
            Some(
                session
                    .authorized(|t| api::fetch_json::<RequestCase>(url.clone(), t))
                    .await,
            )
        }
    });
    let events = LocalResource::new(move || {
        let ready = session.ready.get();
        let id = id.get();
        reload.track();
        history.track();
        async move {
            let id = id.filter(|_| ready)?;
            let url = format!("/api/v1/requests/{id}/events?limit=500");
            Some(
                session
                    .authorized(|t| api::fetch_json::<CaseEventPage>(url.clone(), t))
                    .await,
            )
        }
    });
    view! {
        <div class="vern-container">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || case.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(c) => view! { <CaseView case=c reload=reload history=history/> }.into_any(),
                })}
            </Suspense>
            <section class="vern-section" aria-labelledby="dsr-history-heading">
                <h2 class="ds-heading" data-size="sm" id="dsr-history-heading">{i18n.tr("dsr-history")}</h2>
                <Suspense fallback=|| view! { <Loading/> }>
                    {move || events.get().flatten().map(|result| match result {
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        Ok(page) => view! { <History items=page.items/> }.into_any(),
                    })}
                </Suspense>
            </section>
        </div>
    }
}

#[component]
fn History(items: Vec<CaseEvent>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="vern-table-wrap">
            <table class="ds-table" data-border="true" data-zebra="true">
                <caption class="ds-sr-only">{i18n.tr("dsr-history")}</caption>
                <thead><tr>
                    <th scope="col">{i18n.tr("dsr-col-when")}</th>
                    <th scope="col">{i18n.tr("dsr-col-event")}</th>
                    <th scope="col">{i18n.tr("dsr-col-by")}</th>
                    <th scope="col">{i18n.tr("dsr-col-detail")}</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|e| {
                        let event_key = key("dsr-event", e.kind.as_str());
                        let detail = match (e.kind, e.detail.clone()) {
                            (CaseEventKind::Refused, Some(g)) => {
                                let k = key("dsr-ground", &g);
                                Some(view! { <span>{move || i18n.t(&k)}</span> }.into_any())
                            }
                            (CaseEventKind::Withdrawn, Some(w)) if w == "resident" => {
                                Some(view! { <span>{move || i18n.t("dsr-withdrawn-by-resident")}</span> }.into_any())
                            }
                            (CaseEventKind::Registered, Some(c)) => {
                                let k = key("dsr-channel", &c);
                                Some(view! { <span>{move || i18n.t(&k)}</span> }.into_any())
                            }
                            (CaseEventKind::Extended, Some(m)) => {
                                let months = m.parse::<usize>().unwrap_or(1);
                                Some(view! { <span>{move || i18n.t_with("dsr-extended", &[("months", months.into())])}</span> }.into_any())
                            }
                            (_, Some(d)) => Some(view! { <span>{d}</span> }.into_any()),
                            (_, None) => None,
                        };
                        view! {
                            <tr>
                                <td>{utc_minutes(e.at)}</td>
                                <td>{move || i18n.t(&event_key)}</td>
                                <td>{e.actor.map(|a| a.name).unwrap_or_default()}</td>
                                <td>
                                    {detail}
                                    {e.text.map(|t| view! { <p class="ds-paragraph vern-pre" data-size="sm">{t}</p> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn CaseView(case: RequestCase, reload: RwSignal<u32>, history: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    // The answer draft, taken into the answer step.
    let prefill = RwSignal::new(None::<String>);
    let session = use_session();
    let s = case.summary.clone();
    let org = vern_domain::OrganizationId::from_uuid(case.organization_id);
    let handles = session.can(org, Permission::HandleRequests);
    let kind_key = key("dsr-kind", s.kind.as_str());
    let channel_key = key("dsr-channel", s.channel.as_str());
    let reference = s.reference.clone();
    let title_ref = reference.clone();
    set_title(move || i18n.t_with("dsr-case-title", &[("reference", title_ref.clone().into())]));
    let ground_key = case.refusal_ground.map(|g| key("dsr-ground", g.as_str()));
    view! {
        <p><A href=format!("/organizations/{org}/requests") attr:class="ds-link">{i18n.tr("dsr-title")}</A></p>
        <h1 class="ds-heading" data-size="lg">{move || i18n.t_with("dsr-case-title", &[("reference", reference.clone().into())])}</h1>
        <p class="ds-paragraph vern-lead">{move || i18n.t(&kind_key)} " " {status_tag(i18n, s.status)}</p>
        <section class="vern-section" aria-labelledby="dsr-deadline-heading">
            <h2 class="ds-heading" data-size="sm" id="dsr-deadline-heading">{i18n.tr("dsr-deadline")}</h2>
            <dl class="vern-facts">
                <dt>{i18n.tr("dsr-received-on")}</dt>
                <dd>{s.received_on.to_string()}</dd>
                <dt>{i18n.tr("dsr-channel")}</dt>
                <dd>{move || i18n.t(&channel_key)}</dd>
                {s.deadline.map(|d| view! {
                    <dt>{i18n.tr("dsr-due")}</dt>
                    <dd>{d.due.to_string()} " " {time_left(i18n, d)}</dd>
                    {d.extendable_until.map(|until| view! {
                        <dt>{i18n.tr("dsr-action-extend")}</dt>
                        <dd>{move || i18n.t_with("dsr-extendable-until", &[("date", until.to_string().into())])}</dd>
                    })}
                })}
                {(s.extension_months > 0).then(|| {
                    let months = usize::from(s.extension_months);
                    view! {
                        <dt>{i18n.tr("dsr-event-extended")}</dt>
                        <dd>{move || i18n.t_with("dsr-extended", &[("months", months.into())])}</dd>
                    }
                })}
                {s.closed_at.map(|at| view! {
                    <dt>{i18n.tr("dsr-col-status")}</dt>
                    <dd>{move || i18n.t_with("dsr-closed-on", &[("date", crate::components::utc_date(at).into())])}</dd>
                })}
                {ground_key.map(|k| view! {
                    <dt>{i18n.tr("dsr-refusal-ground")}</dt>
                    <dd>{move || i18n.t(&k)}</dd>
                })}
            </dl>
            <p class="ds-paragraph" data-size="sm">{if case.pause_stops_clock { i18n.tr("dsr-pause-policy-on") } else { i18n.tr("dsr-pause-policy-off") }}</p>
            {(!case.pauses.is_empty()).then(|| view! {
                <h3 class="ds-heading" data-size="xs">{i18n.tr("dsr-pauses")}</h3>
                <ul class="ds-list">
                    {case.pauses.iter().map(|p| {
                        let from = p.from.to_string();
                        let until = p.until.map(|u| u.to_string());
                        view! { <li>{move || match &until {
                            Some(u) => i18n.t_with("dsr-pause-closed", &[("from", from.clone().into()), ("until", u.clone().into())]),
                            None => i18n.t_with("dsr-pause-open", &[("from", from.clone().into())]),
                        }}</li> }
                    }).collect_view()}
                </ul>
            })}
        </section>
        <section class="vern-section" aria-labelledby="dsr-contents-heading">
            <h2 class="ds-heading" data-size="sm" id="dsr-contents-heading">{i18n.tr("dsr-contents")}</h2>
            {match case.contents.clone() {
                None => view! { <p class="ds-paragraph">{i18n.tr("dsr-contents-hidden")}</p> }.into_any(),
                Some(c) => view! {
                    <dl class="vern-facts">
                        <dt>{i18n.tr("dsr-field-name")}</dt>
                        <dd>{c.requester.name.clone()}</dd>
                        {c.requester.national_id.clone().map(|n| view! {
                            <dt>{i18n.tr("dsr-field-national-id")}</dt>
                            <dd><MaskedId raw=n/></dd>
                        })}
                        {c.requester.email.clone().map(|e| view! { <dt>{i18n.tr("dsr-field-email")}</dt><dd>{e}</dd> })}
                        {c.requester.phone.clone().map(|p| view! { <dt>{i18n.tr("dsr-field-phone")}</dt><dd>{p}</dd> })}
                        {c.requester.postal_address.clone().map(|a| view! { <dt>{i18n.tr("dsr-field-address")}</dt><dd class="vern-pre">{a}</dd> })}
                    </dl>
                    <p class="ds-paragraph vern-pre">{c.description.clone()}</p>
                }.into_any(),
            }}
        </section>
        <tasks::CaseTasks request=case.summary.id handles=handles open=s.status.is_open() history=history/>
        {(handles && s.status.is_open()).then(|| view! { <tasks::AnswerDraftView request=case.summary.id prefill=prefill/> })}
        {(handles && !case.allowed_actions.is_empty()).then(|| view! { <NextStep case=case.clone() reload=reload prefill=prefill/> })}
        {(handles && s.status.is_open()).then(|| view! { <Assign case=case.clone() reload=reload/> })}
        {handles.then(|| view! { <CaseAttachments id=case.summary.id/> })}
        {handles.then(|| view! { <Note id=case.summary.id reload=reload/> })}
        {(handles && !s.status.is_open()).then(|| view! { <ArchiveExport id=case.summary.id reference=case.summary.reference.clone()/> })}
    }
}

/// The files the resident attached in the portal; each download is logged.
#[component]
fn CaseAttachments(id: Uuid) -> impl IntoView {
    use vern_domain::requests::attachment::AttachmentList;
    let i18n = use_i18n();
    let session = use_session();
    let error = RwSignal::new(None::<ApiError>);
    let files = LocalResource::new(move || async move {
        session
            .authorized(|t| {
                api::fetch_json::<AttachmentList>(format!("/api/v1/requests/{id}/attachments"), t)
            })
            .await
    });
    let download = move |file: Uuid, name: String, mime: &'static str| {
        spawn_local(async move {
            let url = format!("/api/v1/requests/{id}/attachments/{file}");
            match session
                .authorized(|t| api::fetch_bytes(url.clone(), t))
                .await
            {
                Ok(bytes) => {
                    error.set(None);
                    crate::download::save_bytes(&name, &bytes, mime);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="vern-section" aria-labelledby="dsr-attachments-heading">
            <h2 class="ds-heading" data-size="sm" id="dsr-attachments-heading">{i18n.tr("dsr-attachments")}</h2>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <Suspense fallback=|| view! { <Loading/> }>
                {move || files.get().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(list) if list.items.is_empty() => view! { <p class="ds-paragraph" data-size="sm">{i18n.tr("dsr-attachments-none")}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="vern-list">
                            {list.items.into_iter().map(|f| {
                                let name = f.file_name.clone().unwrap_or_default();
                                let label = name.clone();
                                let mime = f.kind.media_type();
                                let purged = f.file_name.is_none();
                                view! {
                                    <li>
                                        <button class="ds-button" data-variant="tertiary" data-size="sm" type="button" disabled=purged
                                            on:click=move |_| download(f.id, name.clone(), mime)>
                                            {move || i18n.t_with("dsr-attachment-download", &[("name", label.clone().into())])}
                                        </button>
                                        " ("{f.size.div_ceil(1024)}" KiB)"
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// A closed case to the municipality's archive system: the Noark 5 package.
#[component]
fn ArchiveExport(id: Uuid, reference: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let error = RwSignal::new(None::<ApiError>);
    let file = format!("noark5-sak-{}.zip", reference.replace('/', "-"));
    let download = move |_| {
        let file = file.clone();
        spawn_local(async move {
            let url = format!("/api/v1/requests/{id}/noark5");
            match session
                .authorized(|t| api::fetch_bytes(url.clone(), t))
                .await
            {
                Ok(bytes) => {
                    error.set(None);
                    crate::download::save_bytes(&file, &bytes, "application/zip");
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="vern-section" aria-labelledby="dsr-archive-heading">
            <h2 class="ds-heading" data-size="sm" id="dsr-archive-heading">{i18n.tr("dsr-archive")}</h2>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("dsr-archive-hint")}</p>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <button class="ds-button" data-variant="secondary" type="button" on:click=download>{i18n.tr("dsr-archive-download")}</button>
        </section>
    }
}

#[component]
fn NextStep(
    case: RequestCase,
    reload: RwSignal<u32>,
    prefill: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let allowed = case.allowed_actions.clone();
    let chosen = RwSignal::new(allowed.first().cloned().unwrap_or_default());
    let explanation = RwSignal::new(String::new());
    let kind = case.summary.kind;
    let grounds: Vec<RefusalGround> = RefusalGround::ALL
        .into_iter()
        .filter(|g| g.applies_to(kind))
        .collect();
    let ground = RwSignal::new(grounds[0]);
    let months = RwSignal::new(1u8);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let done = RwSignal::new(false);
    let id = case.summary.id;
    let revision = case.revision;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let action = chosen.get_untracked();
        let text = explanation.get_untracked();
        error.set(None);
        field_errors.set(Vec::new());
        spawn_local(async move {
            let result = if action == "extend" {
                let url = format!("/api/v1/requests/{id}/extend");
                let body = Extension {
                    months: months.get_untracked(),
                    reasons: text,
                };
                session
                    .authorized(|t| {
                        api::post_json_if_match::<_, RequestCase>(
                            url.clone(),
                            body.clone(),
                            revision,
                            t,
                        )
                    })
                    .await
            } else {
                let step = match action.as_str() {
                    "start" => CaseAction::Start,
                    "clarify_identity" => CaseAction::ClarifyIdentity,
                    "identity_confirmed" => CaseAction::IdentityConfirmed,
                    "answer" => CaseAction::Answer,
                    "refuse" => CaseAction::Refuse {
                        ground: ground.get_untracked(),
                    },
                    _ => CaseAction::Withdraw,
                };
                let url = format!("/api/v1/requests/{id}/transitions");
                let body = CaseStep {
                    action: step,
                    explanation: optional(text),
                };
                session
                    .authorized(|t| {
                        api::post_json_if_match::<_, RequestCase>(
                            url.clone(),
                            body.clone(),
                            revision,
                            t,
                        )
                    })
                    .await
            };
            match result {
                Ok(_) => {
                    done.set(true);
                    reload.update(|n| *n += 1);
                }
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    let answerable = case.allowed_actions.iter().any(|a| a == "answer");
    Effect::new(move |_| {
        if let Some(text) = prefill.get() {
            if answerable {
                chosen.set("answer".to_owned());
            }
            explanation.set(text);
        }
    });
    let needs_text = move || matches!(chosen.get().as_str(), "answer" | "refuse" | "extend");
    let text_label = move || match chosen.get().as_str() {
        "extend" => i18n.t("dsr-extend-reasons"),
        _ => i18n.t("dsr-explanation"),
    };
    let text_hint = move || match chosen.get().as_str() {
        "extend" => i18n.t("dsr-extend-hint"),
        "refuse" => i18n.t("dsr-refusal-hint"),
        _ => i18n.t("dsr-answer-hint"),
    };
    view! {
        <section class="vern-section" aria-labelledby="dsr-actions-heading">
            <h2 class="ds-heading" data-size="sm" id="dsr-actions-heading">{i18n.tr("dsr-actions")}</h2>
            {move || done.get().then(|| view! { <div class="ds-alert" data-color="success" role="status"><p class="ds-paragraph">{i18n.tr("dsr-done")}</p></div> })}
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <form class="vern-form" on:submit=submit novalidate>
                <FieldErrors errors=field_errors.into()/>
                <div class="ds-field">
                    <label class="ds-label" for="dsr-next-step">{i18n.tr("dsr-choose-action")}</label>
                    <select class="ds-input" id="dsr-next-step" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {allowed.iter().map(|a| {
                            let a = a.clone();
                            let label = key("dsr-action", &a);
                            let value = a.clone();
                            view! { <option value=value selected=move || chosen.get() == a>{move || i18n.t(&label)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || chosen.get() == "refuse">
                    <div class="ds-field">
                        <label class="ds-label" for="dsr-ground">{i18n.tr("dsr-refusal-ground")}</label>
                        <select class="ds-input" id="dsr-ground" on:change=move |ev| if let Some(g) = RefusalGround::parse(&event_target_value(&ev)) { ground.set(g) }>
                            {grounds.iter().map(|g| {
                                let g = *g;
                                let label = key("dsr-ground", g.as_str());
                                view! { <option value=g.as_str() selected=move || ground.get() == g>{move || i18n.t(&label)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </Show>
                <Show when=move || chosen.get() == "extend">
                    <fieldset class="ds-fieldset">
                        <legend class="ds-label">{i18n.tr("dsr-extend-months")}</legend>
                        <div class="ds-field">
                            <input class="ds-input" type="radio" id="dsr-extend-1" name="dsr-months" prop:checked=move || months.get() == 1 on:change=move |_| months.set(1)/>
                            <label class="ds-label" for="dsr-extend-1" data-weight="regular">{i18n.tr("dsr-extend-one")}</label>
                        </div>
                        <div class="ds-field">
                            <input class="ds-input" type="radio" id="dsr-extend-2" name="dsr-months" prop:checked=move || months.get() == 2 on:change=move |_| months.set(2)/>
                            <label class="ds-label" for="dsr-extend-2" data-weight="regular">{i18n.tr("dsr-extend-two")}</label>
                        </div>
                    </fieldset>
                </Show>
                <Show when=needs_text>
                    <div class="ds-field">
                        <label class="ds-label" for="dsr-explanation">{text_label}</label>
                        <p class="ds-paragraph" data-size="sm" id="dsr-explanation-hint">{text_hint}</p>
                        <textarea class="ds-input" id="dsr-explanation" rows="5" maxlength="20000" aria-describedby="dsr-explanation-hint" bind:value=explanation></textarea>
                    </div>
                </Show>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("dsr-do")}</button>
            </form>
        </section>
    }
}

#[component]
fn Assign(case: RequestCase, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = case.organization_id;
    let id = case.summary.id;
    let revision = case.revision;
    let current = case.summary.assignee.as_ref().map(|a| a.id);
    let selected = RwSignal::new(current.map(|u| u.to_string()).unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let workers = LocalResource::new(move || async move {
        let url = format!("/api/v1/organizations/{org}/caseworkers");
        session
            .authorized(|t| api::fetch_json::<Vec<CaseMember>>(url.clone(), t))
            .await
            .unwrap_or_default()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = Assignment {
            user_id: selected.get_untracked().parse::<Uuid>().ok(),
        };
        spawn_local(async move {
            let url = format!("/api/v1/requests/{id}/assignee");
            match session
                .authorized(|t| {
                    api::put_json::<_, RequestCase>(url.clone(), body.clone(), revision, t)
                })
                .await
            {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="vern-section" aria-labelledby="dsr-assign-heading">
            <h2 class="ds-heading" data-size="sm" id="dsr-assign-heading">{i18n.tr("dsr-assign")}</h2>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <form class="vern-filters" on:submit=submit>
                <div class="ds-field">
                    <label class="ds-label" for="dsr-assignee">{i18n.tr("dsr-assign")}</label>
                    <select class="ds-input" id="dsr-assignee" on:change=move |ev| selected.set(event_target_value(&ev))>
                        <option value="" selected=move || selected.get().is_empty()>{i18n.tr("dsr-assign-none")}</option>
                        {move || workers.get().unwrap_or_default().into_iter().map(|w| {
                            let value = w.id.to_string();
                            let v = value.clone();
                            view! { <option value=value selected=move || selected.get() == v>{w.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button class="ds-button" data-variant="secondary" type="submit">{i18n.tr("dsr-assign-save")}</button>
            </form>
        </section>
    }
}

#[component]
fn Note(id: Uuid, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewNote {
            text: text.get_untracked(),
        };
        spawn_local(async move {
            let url = format!("/api/v1/requests/{id}/notes");
            match session
                .authorized(|t| api::post_json::<_, CaseEvent>(url.clone(), body.clone(), t))
                .await
            {
                Ok(_) => {
                    text.set(String::new());
                    error.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="vern-section" aria-labelledby="dsr-note-heading">
            <h2 class="ds-heading" data-size="sm" id="dsr-note-heading">{i18n.tr("dsr-notes")}</h2>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <form class="vern-form" on:submit=submit>
                <div class="ds-field">
                    <label class="ds-label" for="dsr-note">{i18n.tr("dsr-note-text")}</label>
                    <textarea class="ds-input" id="dsr-note" rows="3" maxlength="20000" bind:value=text></textarea>
                </div>
                <button class="ds-button" data-variant="secondary" type="submit">{i18n.tr("dsr-note-add")}</button>
            </form>
        </section>
    }
}
