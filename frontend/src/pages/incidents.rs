//! Incidents (avvik): the register with each breach's 72-hour clock, registering a breach,
//! and one incident — its clock and what is outstanding, its facts, the notices to
//! Datatilsynet in phases, the resident notice decision, the generated notice texts, and
//! taking it in, closing or reopening it. Times are Oslo wall-clock times.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::calendar::{oslo_input, oslo_input_value};
use vern_domain::incidents::facts::{
    Incident, IncidentFacts, IncidentPage, IncidentStatus, NewAuthorityNotice,
    ResidentNoticeDecision, RiskLevel,
};
use vern_domain::incidents::report::{IncidentTexts, local_time};
use vern_domain::incidents::vendor::{NewVendorIncident, VendorIncident, VendorIncidentPage};
use vern_domain::incidents::{
    BreachClass, ClockState, ClockUrgency, NoticePhase, ResidentNoticeException,
};
use vern_domain::problem::FieldError;
use vern_domain::register::activity::ActivityPage;
use vern_domain::register::system::SystemPage;
use vern_domain::register::taxonomy::{data_categories, data_subjects};

use crate::api::{self, ApiError, with_query};
use crate::components::{ErrorAlert, Loading, now, set_title};
use crate::i18n::{I18n, use_i18n};
use crate::pages::admin::org_from_path;
use crate::pages::register::{
    FieldErrors, category_label, field_errors_of, subject_label, term_checkboxes, wire,
};
use crate::pages::requests::key;
use crate::session::use_session;

fn urgency_color(u: ClockUrgency) -> &'static str {
    match u {
        ClockUrgency::Overdue => "danger",
        ClockUrgency::Urgent => "warning",
        ClockUrgency::Running => "info",
        ClockUrgency::Notified => "success",
        ClockUrgency::NotDue => "neutral",
    }
}

/// The clock as a tag and, while it runs, the time left or over in words.
fn clock_view(i18n: I18n, clock: ClockState) -> impl IntoView {
    let tag = key("incident-urgency", &wire(&clock.urgency));
    let words = clock.minutes_left.map(|m| {
        let (hours, minutes) = ((m.abs() / 60) as usize, (m.abs() % 60) as usize);
        let k = if m >= 0 {
            "incident-clock-left"
        } else {
            "incident-clock-over"
        };
        move || i18n.t_with(k, &[("hours", hours.into()), ("minutes", minutes.into())])
    });
    view! {
        <span class="ds-tag" data-color=urgency_color(clock.urgency)>{move || i18n.t(&tag)}</span>
        {words.map(|w| view! { " " <span>{w}</span> })}
    }
}

fn status_tag(i18n: I18n, status: IncidentStatus) -> impl IntoView {
    let k = key("incident-status", status.as_str());
    let color = match status {
        IncidentStatus::Draft => "warning",
        IncidentStatus::Open => "info",
        IncidentStatus::Closed => "neutral",
    };
    view! { <span class="ds-tag" data-color=color>{move || i18n.t(&k)}</span> }
}

fn classes_text(i18n: I18n, classes: &[BreachClass]) -> String {
    classes
        .iter()
        .map(|c| i18n.t(&key("incident-class", &wire(c))))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn IncidentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("incidents-title"));
    let query_map = use_query_map();
    let param = move |name: &'static str| {
        Memo::new(move |_| query_map.get().get(name).filter(|v| !v.is_empty()))
    };
    let status = param("status");
    let clock = param("clock");
    let cursor = param("cursor");
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        let params = vec![
            ("status", status.get()),
            ("clock", clock.get()),
            ("cursor", cursor.get()),
            ("limit", Some("50".to_owned())),
        ];
        async move {
            let org = org.filter(|_| ready)?;
            let url = with_query(&format!("/api/v1/organizations/{org}/incidents"), &params);
            Some(
                session
                    .authorized(|t| api::fetch_json::<IncidentPage>(url.clone(), t))
                    .await,
            )
        }
    });
    let manages = Signal::derive(move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::ManageIncidents))
    });
    let here = move || {
        org.get()
            .map(|o| format!("/organizations/{o}/incidents"))
            .unwrap_or_default()
    };
    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("incidents-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("incidents-intro")}</p>
            <Show when=move || manages.get()>
                <p>{move || org.get().map(|o| view! {
                    <A href=format!("/organizations/{o}/incidents/new") attr:class="ds-button" attr:data-variant="primary">{i18n.tr("incidents-new")}</A>
                })}</p>
            </Show>
            <Form method="GET" action=here attr:class="vern-filters" attr:aria-label=move || i18n.t("incidents-filter")>
                <div class="ds-field">
                    <label class="ds-label" for="incident-filter-status">{i18n.tr("incidents-col-status")}</label>
                    <select class="ds-input" id="incident-filter-status" name="status">
                        <option value="" selected=move || status.get().is_none()>{i18n.tr("incidents-status-all")}</option>
                        {IncidentStatus::ALL.into_iter().map(|s| {
                            let k = key("incident-status", s.as_str());
                            view! { <option value=s.as_str() selected=move || status.get().as_deref() == Some(s.as_str())>{move || i18n.t(&k)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <input class="ds-input" type="checkbox" id="incident-filter-clock" name="clock" value="running" prop:checked=move || clock.get().is_some()/>
                    <label class="ds-label" for="incident-filter-clock" data-weight="regular">{i18n.tr("incidents-only-running")}</label>
                </div>
                <button class="ds-button" data-variant="secondary" type="submit">{i18n.tr("incidents-apply")}</button>
            </Form>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || page.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("incidents-none")}</p> }.into_any(),
                    Ok(page) => {
                        let next = page.next_cursor.clone();
                        let org_id = org.get_untracked();
                        view! {
                            <div class="vern-table-wrap">
                                <table class="ds-table" data-border="true" data-zebra="true">
                                    <caption class="ds-sr-only">{i18n.tr("incidents-title")}</caption>
                                    <thead><tr>
                                        <th scope="col">{i18n.tr("incidents-col-reference")}</th>
                                        <th scope="col">{i18n.tr("incidents-col-title")}</th>
                                        <th scope="col">{i18n.tr("incidents-col-status")}</th>
                                        <th scope="col">{i18n.tr("incidents-col-aware")}</th>
                                        <th scope="col">{i18n.tr("incidents-col-clock")}</th>
                                        <th scope="col">{i18n.tr("incidents-col-risk")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|r| {
                                            let risk = key("incident-risk", r.risk.as_str());
                                            let href = org_id.map(|o| format!("/organizations/{o}/incidents/{}", r.id)).unwrap_or_default();
                                            view! {
                                                <tr>
                                                    <th scope="row"><A href=href attr:class="ds-link">{r.reference.clone()}</A></th>
                                                    <td>{r.title.clone()}</td>
                                                    <td>{status_tag(i18n, r.status)}</td>
                                                    <td>{local_time(r.aware_at)}</td>
                                                    <td>{clock_view(i18n, r.clock.clone())}</td>
                                                    <td>{move || i18n.t(&risk)}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|c| {
                                let href = with_query(&here(), &[
                                    ("status", status.get_untracked()),
                                    ("clock", clock.get_untracked()),
                                    ("cursor", Some(c)),
                                ]);
                                view! { <p><A href=href attr:class="ds-link">{i18n.tr("incidents-next")}</A></p> }
                            })}
                        }.into_any()
                    }
                })}
            </Suspense>
            <crate::pages::register::Downloads path="incidents" file="avviksregister" heading="incidents-export"
                formats=&[("xlsx", "incidents-export-xlsx"), ("csv", "incidents-export-csv")]/>
        </div>
    }
}

/// The form's state: one signal per field.
#[derive(Clone, Copy)]
struct FactsForm {
    title: RwSignal<String>,
    occurred_from: RwSignal<String>,
    occurred_to: RwSignal<String>,
    aware_at: RwSignal<String>,
    discovered_how: RwSignal<String>,
    classes: RwSignal<Vec<String>>,
    description: RwSignal<String>,
    cause: RwSignal<String>,
    system_ids: RwSignal<Vec<String>>,
    activity_ids: RwSignal<Vec<String>>,
    data_categories: RwSignal<Vec<String>>,
    data_subjects: RwSignal<Vec<String>>,
    subjects_approx: RwSignal<String>,
    records_approx: RwSignal<String>,
    relation_to_affected: RwSignal<String>,
    data_location: RwSignal<String>,
    consequences: RwSignal<String>,
    measures_taken: RwSignal<String>,
    measures_planned: RwSignal<String>,
    risk: RwSignal<RiskLevel>,
    risk_reasons: RwSignal<String>,
}

impl FactsForm {
    fn new(f: Option<&IncidentFacts>) -> Self {
        let text =
            |get: fn(&IncidentFacts) -> String| RwSignal::new(f.map(get).unwrap_or_default());
        let time =
            |at: Option<DateTime<Utc>>| RwSignal::new(at.map(oslo_input_value).unwrap_or_default());
        let count = |n: Option<u64>| RwSignal::new(n.map(|n| n.to_string()).unwrap_or_default());
        Self {
            title: text(|f| f.title.clone()),
            occurred_from: time(f.and_then(|f| f.occurred_from)),
            occurred_to: time(f.and_then(|f| f.occurred_to)),
            aware_at: time(Some(f.map_or_else(now, |f| f.aware_at))),
            discovered_how: text(|f| f.discovered_how.clone()),
            classes: RwSignal::new(
                f.map(|f| f.classes.iter().map(wire).collect())
                    .unwrap_or_default(),
            ),
            description: text(|f| f.description.clone()),
            cause: text(|f| f.cause.clone()),
            system_ids: RwSignal::new(
                f.map(|f| f.system_ids.iter().map(Uuid::to_string).collect())
                    .unwrap_or_default(),
            ),
            activity_ids: RwSignal::new(
                f.map(|f| f.activity_ids.iter().map(Uuid::to_string).collect())
                    .unwrap_or_default(),
            ),
            data_categories: RwSignal::new(
                f.map(|f| f.data_categories.clone()).unwrap_or_default(),
            ),
            data_subjects: RwSignal::new(f.map(|f| f.data_subjects.clone()).unwrap_or_default()),
            subjects_approx: count(f.and_then(|f| f.subjects_approx)),
            records_approx: count(f.and_then(|f| f.records_approx)),
            relation_to_affected: text(|f| f.relation_to_affected.clone()),
            data_location: text(|f| f.data_location.clone()),
            consequences: text(|f| f.consequences.clone()),
            measures_taken: text(|f| f.measures_taken.clone()),
            measures_planned: text(|f| f.measures_planned.clone()),
            risk: RwSignal::new(f.map_or(RiskLevel::NotAssessed, |f| f.risk)),
            risk_reasons: text(|f| f.risk_reasons.clone()),
        }
    }

    /// The facts, or the fields whose values cannot be read (times, counts).
    fn facts(&self) -> Result<IncidentFacts, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut time = |field: &str, raw: String, required: bool| {
            let raw = raw.trim().to_owned();
            if raw.is_empty() {
                if required {
                    errors.push(FieldError::new(field, "required"));
                }
                return None;
            }
            let at = oslo_input(&raw);
            if at.is_none() {
                errors.push(FieldError::new(field, "not_a_date"));
            }
            at
        };
        let occurred_from = time("occurred_from", self.occurred_from.get_untracked(), false);
        let occurred_to = time("occurred_to", self.occurred_to.get_untracked(), false);
        let aware_at = time("aware_at", self.aware_at.get_untracked(), true);
        let mut count = |field: &str, raw: String| {
            let raw = raw.trim().to_owned();
            if raw.is_empty() {
                return None;
            }
            let n = raw.parse::<u64>().ok();
            if n.is_none() {
                errors.push(FieldError::new(field, "out_of_range"));
            }
            n
        };
        let subjects_approx = count("subjects_approx", self.subjects_approx.get_untracked());
        let records_approx = count("records_approx", self.records_approx.get_untracked());
        let ids = |v: Vec<String>| v.iter().filter_map(|s| s.parse().ok()).collect();
        let facts = IncidentFacts {
            title: self.title.get_untracked(),
            occurred_from,
            occurred_to,
            aware_at: aware_at.unwrap_or_else(now),
            discovered_how: self.discovered_how.get_untracked(),
            classes: self
                .classes
                .get_untracked()
                .iter()
                .filter_map(|c| crate::pages::register::from_wire(c))
                .collect(),
            description: self.description.get_untracked(),
            cause: self.cause.get_untracked(),
            system_ids: ids(self.system_ids.get_untracked()),
            activity_ids: ids(self.activity_ids.get_untracked()),
            data_categories: self.data_categories.get_untracked(),
            data_subjects: self.data_subjects.get_untracked(),
            subjects_approx,
            records_approx,
            relation_to_affected: self.relation_to_affected.get_untracked(),
            data_location: self.data_location.get_untracked(),
            consequences: self.consequences.get_untracked(),
            measures_taken: self.measures_taken.get_untracked(),
            measures_planned: self.measures_planned.get_untracked(),
            risk: self.risk.get_untracked(),
            risk_reasons: self.risk_reasons.get_untracked(),
        };
        if errors.is_empty() {
            Ok(facts)
        } else {
            Err(errors)
        }
    }
}

/// A labelled text field (`textarea` when `rows` > 1), with an optional hint below the label.
fn text_field(
    i18n: I18n,
    id: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    rows: u32,
    signal: RwSignal<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.map(|_| hint_id.clone());
    view! {
        <div class="ds-field">
            <label class="ds-label" for=id>{i18n.tr(label)}</label>
            {hint.map(|h| view! { <p class="ds-paragraph" data-size="sm" id=hint_id.clone()>{i18n.tr(h)}</p> })}
            {if rows > 1 {
                view! { <textarea class="ds-input" id=id rows=rows.to_string() maxlength="4000" aria-describedby=described bind:value=signal></textarea> }.into_any()
            } else {
                view! { <input class="ds-input" id=id type="text" maxlength="500" aria-describedby=described bind:value=signal/> }.into_any()
            }}
        </div>
    }
}

fn time_field(
    i18n: I18n,
    id: &'static str,
    label: &'static str,
    signal: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="ds-field">
            <label class="ds-label" for=id>{i18n.tr(label)}</label>
            <input class="ds-input" id=id type="datetime-local" bind:value=signal/>
        </div>
    }
}

/// Checkboxes for the organisation's systems and activities (named from the register).
#[component]
fn LinkChoices(org: OrganizationId, form: FactsForm) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let options = LocalResource::new(move || async move {
        let systems = session
            .authorized(|t| {
                api::fetch_json::<SystemPage>(
                    format!("/api/v1/organizations/{org}/systems?limit=500"),
                    t,
                )
            })
            .await
            .map(|p| {
                p.items
                    .into_iter()
                    .map(|s| (s.id.to_string(), s.facts.name))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let activities = session
            .authorized(|t| {
                api::fetch_json::<ActivityPage>(
                    format!("/api/v1/organizations/{org}/processing-activities?limit=500"),
                    t,
                )
            })
            .await
            .map(|p| {
                p.items
                    .into_iter()
                    .map(|a| (a.id.to_string(), a.facts.name))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        (systems, activities)
    });
    let boxes = move |prefix: &'static str,
                      items: Vec<(String, String)>,
                      chosen: RwSignal<Vec<String>>| {
        view! {
            <div class="vern-checkbox-grid">
                {items.into_iter().map(|(id, name)| {
                    let input_id = format!("{prefix}-{id}");
                    let label_for = input_id.clone();
                    let value = id.clone();
                    view! {
                        <div class="ds-field">
                            <input class="ds-input" type="checkbox" id=input_id
                                prop:checked={ let id = id.clone(); move || chosen.with(|v| v.contains(&id)) }
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let value = value.clone();
                                    chosen.update(|v| { v.retain(|s| *s != value); if on { v.push(value) } });
                                }/>
                            <label class="ds-label" for=label_for data-weight="regular">{name}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        }
    };
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || options.get().map(|(systems, activities)| view! {
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("field-system-ids")}</legend>
                    {if systems.is_empty() { view! { <p class="ds-paragraph" data-size="sm">{i18n.tr("incident-no-systems")}</p> }.into_any() } else { boxes("incident-system", systems, form.system_ids).into_any() }}
                </fieldset>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("field-activity-ids")}</legend>
                    {if activities.is_empty() { view! { <p class="ds-paragraph" data-size="sm">{i18n.tr("incident-no-activities")}</p> }.into_any() } else { boxes("incident-activity", activities, form.activity_ids).into_any() }}
                </fieldset>
            })}
        </Suspense>
    }
}

/// The facts as a form: the same for registering and for editing.
#[component]
fn FactsFields(
    org: OrganizationId,
    form: FactsForm,
    /// Whether to offer the organisation's systems and activities (not for a vendor's notice).
    #[prop(default = true)]
    links: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let class_keys: Vec<&'static str> = vec!["confidentiality", "integrity", "availability"];
    let class_label: fn(I18n, &str) -> String = |i18n, k| i18n.t(&key("incident-class", k));
    view! {
        <p class="ds-paragraph" data-size="sm">{i18n.tr("incident-no-personal-data")}</p>
        {text_field(i18n, "incident-title", "field-title", None, 1, form.title)}
        <fieldset class="ds-fieldset">
            <legend class="ds-heading" data-size="xs">{i18n.tr("incident-when")}</legend>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("incident-times-hint")}</p>
            {time_field(i18n, "incident-aware-at", "field-aware-at", form.aware_at)}
            {time_field(i18n, "incident-occurred-from", "field-occurred-from", form.occurred_from)}
            {time_field(i18n, "incident-occurred-to", "field-occurred-to", form.occurred_to)}
            {text_field(i18n, "incident-discovered-how", "field-discovered-how", None, 2, form.discovered_how)}
        </fieldset>
        <fieldset class="ds-fieldset">
            <legend class="ds-label">{i18n.tr("field-classes")}</legend>
            {term_checkboxes(i18n, "incident-class", class_keys, class_label, form.classes)}
        </fieldset>
        {text_field(i18n, "incident-description", "field-description", Some("incident-description-hint"), 5, form.description)}
        {text_field(i18n, "incident-cause", "field-cause", None, 3, form.cause)}
        {links.then(|| view! { <LinkChoices org=org form=form/> })}
        <fieldset class="ds-fieldset">
            <legend class="ds-label">{i18n.tr("field-data-categories")}</legend>
            {term_checkboxes(i18n, "incident-category", data_categories().iter().map(|c| c.key).collect(), category_label, form.data_categories)}
        </fieldset>
        <fieldset class="ds-fieldset">
            <legend class="ds-label">{i18n.tr("field-data-subjects")}</legend>
            {term_checkboxes(i18n, "incident-subject", data_subjects().iter().map(|c| c.key).collect(), subject_label, form.data_subjects)}
        </fieldset>
        <div class="ds-field">
            <label class="ds-label" for="incident-subjects-approx">{i18n.tr("field-subjects-approx")}</label>
            <input class="ds-input" id="incident-subjects-approx" type="text" inputmode="numeric" bind:value=form.subjects_approx/>
        </div>
        <div class="ds-field">
            <label class="ds-label" for="incident-records-approx">{i18n.tr("field-records-approx")}</label>
            <input class="ds-input" id="incident-records-approx" type="text" inputmode="numeric" bind:value=form.records_approx/>
        </div>
        {text_field(i18n, "incident-relation", "field-relation-to-affected", Some("incident-relation-hint"), 1, form.relation_to_affected)}
        {text_field(i18n, "incident-location", "field-data-location", None, 2, form.data_location)}
        {text_field(i18n, "incident-consequences", "field-consequences", None, 3, form.consequences)}
        {text_field(i18n, "incident-measures-taken", "field-measures-taken", None, 3, form.measures_taken)}
        {text_field(i18n, "incident-measures-planned", "field-measures-planned", None, 3, form.measures_planned)}
        <div class="ds-field">
            <label class="ds-label" for="incident-risk">{i18n.tr("field-risk")}</label>
            <p class="ds-paragraph" data-size="sm" id="incident-risk-hint">{i18n.tr("incident-risk-hint")}</p>
            <select class="ds-input" id="incident-risk" aria-describedby="incident-risk-hint"
                on:change=move |ev| if let Some(r) = RiskLevel::parse(&event_target_value(&ev)) { form.risk.set(r) }>
                {RiskLevel::ALL.into_iter().map(|r| {
                    let k = key("incident-risk", r.as_str());
                    view! { <option value=r.as_str() selected=move || form.risk.get() == r>{move || i18n.t(&k)}</option> }
                }).collect_view()}
            </select>
        </div>
        {text_field(i18n, "incident-risk-reasons", "field-risk-reasons", None, 3, form.risk_reasons)}
    }
}

#[component]
pub fn NewIncidentPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let navigate = use_navigate();
    set_title(i18n.tr("incidents-new"));
    let form = FactsForm::new(None);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let body = match form.facts() {
            Ok(f) => f,
            Err(errors) => {
                field_errors.set(errors);
                return;
            }
        };
        field_errors.set(Vec::new());
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/incidents");
            let result = session
                .authorized(|t| api::post_json::<_, Incident>(url.clone(), body.clone(), t))
                .await;
            busy.set(false);
            match result {
                Ok(i) => navigate(
                    &format!("/organizations/{org}/incidents/{}", i.id),
                    Default::default(),
                ),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/incidents") attr:class="ds-link">{i18n.tr("incidents-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("incidents-new")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("incidents-new-intro")}</p>
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            {move || org.get().map(|o| {
                let submit = submit.clone();
                view! {
                    <form class="vern-form" on:submit=submit novalidate>
                        <FieldErrors errors=field_errors.into()/>
                        <FactsFields org=o form=form/>
                        <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>{i18n.tr("incidents-register")}</button>
                    </form>
                }
            })}
        </div>
    }
}

#[component]
pub fn IncidentPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("iid").and_then(|v| v.parse::<Uuid>().ok()));
    set_title(i18n.tr("incidents-title"));
    // The latest state: set on load and by every step, so the page redraws from it.
    let current = RwSignal::new(None::<Incident>);
    let load_error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        let (Some(org), Some(id), true) = (org.get(), id.get(), session.ready.get()) else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/incidents/{id}");
            match session
                .authorized(|t| api::fetch_json::<Incident>(url.clone(), t))
                .await
            {
                Ok(i) => current.set(Some(i)),
                Err(e) => load_error.set(Some(e)),
            }
        });
    });
    let manages = Signal::derive(move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::ManageIncidents))
    });
    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/incidents") attr:class="ds-link">{i18n.tr("incidents-title")}</A>
            })}</p>
            {move || load_error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || match (org.get(), current.get()) {
                (Some(org), Some(incident)) => view! { <IncidentView org=org incident=incident current=current manages=manages/> }.into_any(),
                _ => view! { <Loading/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn IncidentView(
    org: OrganizationId,
    incident: Incident,
    current: RwSignal<Option<Incident>>,
    manages: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let clock = incident.clock.clone();
    let outstanding = incident.outstanding.clone();
    let base = format!("/api/v1/organizations/{org}/incidents/{}", incident.id);
    let editable = incident.status != IncidentStatus::Closed;
    let heading = format!("{} {}", incident.reference, incident.facts.title);
    view! {
        <h1 class="ds-heading" data-size="lg">{heading}</h1>
        <p>{status_tag(i18n, incident.status)}</p>
        {incident.vendor_source.clone().map(|v| view! {
            <div class="ds-alert" data-color="info">
                <p class="ds-paragraph">{move || i18n.t_with("incident-from-vendor", &[("vendor", v.vendor_name.clone().into()), ("product", v.product_name.clone().into()), ("sent", local_time(v.sent_at).into())])}</p>
            </div>
        })}
        <section class="vern-section" aria-labelledby="incident-clock-heading">
            <h2 class="ds-heading" data-size="sm" id="incident-clock-heading">{i18n.tr("incident-clock")}</h2>
            <div class="ds-alert" data-color=urgency_color(clock.urgency) role="status">
                <p class="ds-paragraph">{clock_view(i18n, clock.clone())}</p>
                <p class="ds-paragraph" data-size="sm">{move || i18n.t_with("incident-deadline", &[("aware", local_time(clock.aware_at).into()), ("deadline", local_time(clock.deadline).into())])}</p>
            </div>
            {(!outstanding.is_empty()).then(|| view! {
                <h3 class="ds-heading" data-size="xs">{i18n.tr("incident-outstanding")}</h3>
                <ul class="vern-list">
                    {outstanding.iter().map(|o| { let k = key("incident-outstanding", o); view! { <li>{move || i18n.t(&k)}</li> } }).collect_view()}
                </ul>
            })}
        </section>
        <StatusActions base=base.clone() incident=incident.clone() current=current manages=manages/>
        {if manages.get_untracked() && editable {
            view! { <FactsEditor org=org base=base.clone() incident=incident.clone() current=current/> }.into_any()
        } else {
            view! { <FactsSummary facts=incident.facts.clone()/> }.into_any()
        }}
        <Notices base=base.clone() incident=incident.clone() current=current manages=manages/>
        {incident.resident_notice_required.then(|| view! { <ResidentNotice base=base.clone() incident=incident.clone() current=current manages=manages/> })}
        <Texts base=base/>
    }
}

/// What the incident says, for those who read but do not handle incidents.
#[component]
fn FactsSummary(facts: IncidentFacts) -> impl IntoView {
    let i18n = use_i18n();
    let f = facts;
    let risk = key("incident-risk", f.risk.as_str());
    let categories = f
        .data_categories
        .iter()
        .map(|k| category_label(i18n, k))
        .collect::<Vec<_>>()
        .join(", ");
    let subjects = f
        .data_subjects
        .iter()
        .map(|k| subject_label(i18n, k))
        .collect::<Vec<_>>()
        .join(", ");
    let row = move |label: &'static str, value: String| view! { <dt>{i18n.tr(label)}</dt><dd>{value}</dd> };
    view! {
        <section class="vern-section" aria-labelledby="incident-facts-heading">
            <h2 class="ds-heading" data-size="sm" id="incident-facts-heading">{i18n.tr("incident-facts")}</h2>
            <dl class="vern-facts">
                {row("field-classes", classes_text(i18n, &f.classes))}
                {row("field-description", f.description.clone())}
                {row("field-cause", f.cause.clone())}
                {row("field-data-categories", categories)}
                {row("field-data-subjects", subjects)}
                {row("field-subjects-approx", f.subjects_approx.map(|n| n.to_string()).unwrap_or_default())}
                {row("field-consequences", f.consequences.clone())}
                {row("field-measures-taken", f.measures_taken.clone())}
                {row("field-measures-planned", f.measures_planned.clone())}
                <dt>{i18n.tr("field-risk")}</dt><dd>{move || i18n.t(&risk)}</dd>
                {row("field-risk-reasons", f.risk_reasons.clone())}
            </dl>
        </section>
    }
}

#[component]
fn FactsEditor(
    org: OrganizationId,
    base: String,
    incident: Incident,
    current: RwSignal<Option<Incident>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let form = FactsForm::new(Some(&incident.facts));
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let revision = incident.revision;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = match form.facts() {
            Ok(f) => f,
            Err(errors) => {
                field_errors.set(errors);
                return;
            }
        };
        field_errors.set(Vec::new());
        error.set(None);
        saved.set(false);
        busy.set(true);
        let url = base.clone();
        spawn_local(async move {
            let result = session
                .authorized(|t| {
                    api::put_json::<_, Incident>(url.clone(), body.clone(), revision, t)
                })
                .await;
            busy.set(false);
            match result {
                Ok(i) => current.set(Some(i)),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <section class="vern-section" aria-labelledby="incident-facts-heading">
            <h2 class="ds-heading" data-size="sm" id="incident-facts-heading">{i18n.tr("incident-facts")}</h2>
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <form class="vern-form" on:submit=submit novalidate>
                <FieldErrors errors=field_errors.into()/>
                <FactsFields org=org form=form/>
                <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>{i18n.tr("incident-save")}</button>
            </form>
        </section>
    }
}

/// Take in a draft, close an open incident, reopen a closed one.
#[component]
fn StatusActions(
    base: String,
    incident: Incident,
    current: RwSignal<Option<Incident>>,
    manages: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let error = RwSignal::new(None::<ApiError>);
    let (to, label) = match incident.status {
        IncidentStatus::Draft => (IncidentStatus::Open, "incident-take-in"),
        IncidentStatus::Open => (IncidentStatus::Closed, "incident-close"),
        IncidentStatus::Closed => (IncidentStatus::Open, "incident-reopen"),
    };
    let blocked = incident.status == IncidentStatus::Open && !incident.outstanding.is_empty();
    let revision = incident.revision;
    let act = move |_| {
        let url = format!("{base}/status");
        error.set(None);
        spawn_local(async move {
            let body = serde_json::json!({ "status": to });
            match session
                .authorized(|t| {
                    api::post_json_if_match::<_, Incident>(url.clone(), body.clone(), revision, t)
                })
                .await
            {
                Ok(i) => current.set(Some(i)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Show when=move || manages.get()>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <p class="vern-tools">
                <button class="ds-button" data-variant="secondary" type="button" disabled=blocked aria-describedby=blocked.then_some("incident-close-blocked") on:click=act.clone()>{i18n.tr(label)}</button>
                {blocked.then(|| view! { <span class="ds-paragraph" data-size="sm" id="incident-close-blocked">{i18n.tr("incident-close-blocked")}</span> })}
            </p>
        </Show>
    }
}

/// The notices given to Datatilsynet, and recording the next.
#[component]
fn Notices(
    base: String,
    incident: Incident,
    current: RwSignal<Option<Incident>>,
    manages: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let given: Vec<NoticePhase> = incident.notices.iter().map(|n| n.phase).collect();
    let next = vern_domain::incidents::report::next_phase(incident.facts.risk, &given);
    let phase = RwSignal::new(next.unwrap_or(NoticePhase::Initial));
    let sent_at = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let late_reason = RwSignal::new(String::new());
    let late = incident.notices.is_empty() && incident.clock.urgency == ClockUrgency::Overdue;
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let revision = incident.revision;
    let open = incident.status == IncidentStatus::Open;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let sent = sent_at.get_untracked();
        let sent = if sent.trim().is_empty() {
            None
        } else if let Some(at) = oslo_input(&sent) {
            Some(at)
        } else {
            field_errors.set(vec![FieldError::new("sent_at", "not_a_date")]);
            return;
        };
        let body = NewAuthorityNotice {
            phase: phase.get_untracked(),
            sent_at: sent,
            reference: Some(reference.get_untracked()),
            late_reason: Some(late_reason.get_untracked()),
        };
        let url = format!("{base}/notices");
        field_errors.set(Vec::new());
        error.set(None);
        spawn_local(async move {
            match session
                .authorized(|t| {
                    api::post_json_if_match::<_, Incident>(url.clone(), body.clone(), revision, t)
                })
                .await
            {
                Ok(i) => current.set(Some(i)),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    let notices = incident.notices.clone();
    view! {
        <section class="vern-section" aria-labelledby="incident-notices-heading">
            <h2 class="ds-heading" data-size="sm" id="incident-notices-heading">{i18n.tr("incident-notices")}</h2>
            {if !incident.authority_notice_required {
                view! { <p class="ds-paragraph">{i18n.tr("incident-not-notifiable")}</p> }.into_any()
            } else if notices.is_empty() {
                view! { <p class="ds-paragraph">{i18n.tr("incident-no-notices")}</p> }.into_any()
            } else {
                view! {
                    <table class="ds-table" data-border="true">
                        <caption class="ds-sr-only">{i18n.tr("incident-notices")}</caption>
                        <thead><tr>
                            <th scope="col">{i18n.tr("field-phase")}</th>
                            <th scope="col">{i18n.tr("field-sent-at")}</th>
                            <th scope="col">{i18n.tr("field-reference")}</th>
                            <th scope="col">{i18n.tr("field-late-reason")}</th>
                            <th scope="col">{i18n.tr("incident-recorded-by")}</th>
                        </tr></thead>
                        <tbody>
                            {notices.into_iter().map(|n| {
                                let k = key("incident-phase", n.phase.as_str());
                                view! {
                                    <tr>
                                        <th scope="row">{move || i18n.t(&k)}</th>
                                        <td>{local_time(n.sent_at)}</td>
                                        <td>{n.reference.clone().unwrap_or_default()}</td>
                                        <td>{n.late_reason.clone().unwrap_or_default()}</td>
                                        <td>{n.recorded_by.clone().unwrap_or_default()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {(open && next.is_some()).then(|| view! {
                <Show when=move || manages.get()>
                    <h3 class="ds-heading" data-size="xs">{i18n.tr("incident-record-notice")}</h3>
                    {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
                    <form class="vern-form" on:submit=submit.clone() novalidate>
                        <FieldErrors errors=field_errors.into()/>
                        <div class="ds-field">
                            <label class="ds-label" for="notice-phase">{i18n.tr("field-phase")}</label>
                            <select class="ds-input" id="notice-phase" on:change=move |ev| if let Some(p) = NoticePhase::parse(&event_target_value(&ev)) { phase.set(p) }>
                                {vern_domain::incidents::report::phases_allowed(&given).into_iter().map(|p| {
                                    let k = key("incident-phase", p.as_str());
                                    view! { <option value=p.as_str() selected=move || phase.get() == p>{move || i18n.t(&k)}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="ds-field">
                            <label class="ds-label" for="notice-sent-at">{i18n.tr("field-sent-at")}</label>
                            <p class="ds-paragraph" data-size="sm" id="notice-sent-at-hint">{i18n.tr("incident-sent-at-hint")}</p>
                            <input class="ds-input" id="notice-sent-at" type="datetime-local" aria-describedby="notice-sent-at-hint" bind:value=sent_at/>
                        </div>
                        {text_field(i18n, "notice-reference", "field-reference", Some("incident-reference-hint"), 1, reference)}
                        {late.then(|| text_field(i18n, "notice-late-reason", "field-late-reason", Some("incident-late-hint"), 3, late_reason))}
                        <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("incident-record-notice")}</button>
                    </form>
                </Show>
            })}
        </section>
    }
}

/// Whether the residents were told of a high-risk breach, or why not (Art. 34(3)).
#[component]
fn ResidentNotice(
    base: String,
    incident: Incident,
    current: RwSignal<Option<Incident>>,
    manages: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sent = RwSignal::new(true);
    let sent_at = RwSignal::new(oslo_input_value(now()));
    let channel = RwSignal::new(String::new());
    let recipients = RwSignal::new(String::new());
    let exception = RwSignal::new(ResidentNoticeException::Unintelligible);
    let explanation = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let revision = incident.revision;
    let open = incident.status == IncidentStatus::Open;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = if sent.get_untracked() {
            let Some(at) = oslo_input(&sent_at.get_untracked()) else {
                field_errors.set(vec![FieldError::new("sent_at", "not_a_date")]);
                return;
            };
            let raw = recipients.get_untracked();
            let count = if raw.trim().is_empty() {
                None
            } else if let Ok(n) = raw.trim().parse() {
                Some(n)
            } else {
                field_errors.set(vec![FieldError::new("recipients", "out_of_range")]);
                return;
            };
            ResidentNoticeDecision::Sent {
                sent_at: at,
                channel: channel.get_untracked(),
                recipients: count,
            }
        } else {
            ResidentNoticeDecision::NotSent {
                exception: exception.get_untracked(),
                explanation: explanation.get_untracked(),
            }
        };
        let url = format!("{base}/resident-notice");
        field_errors.set(Vec::new());
        error.set(None);
        spawn_local(async move {
            match session
                .authorized(|t| {
                    api::put_json::<_, Incident>(url.clone(), body.clone(), revision, t)
                })
                .await
            {
                Ok(i) => current.set(Some(i)),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    let decided = incident.resident_notice.clone().map(|d| match d {
        ResidentNoticeDecision::Sent { sent_at, channel, recipients } => {
            let count = recipients.map(|n| format!(", {n}")).unwrap_or_default();
            view! { <p class="ds-paragraph">{move || i18n.t("incident-residents-told")}" "{local_time(sent_at)}" ("{channel.clone()}{count.clone()}")"</p> }.into_any()
        }
        ResidentNoticeDecision::NotSent { exception, explanation } => {
            let k = key("incident-exception", &wire(&exception));
            view! { <p class="ds-paragraph">{move || i18n.t("incident-residents-not-told")}" "{move || i18n.t(&k)}": "{explanation.clone()}</p> }.into_any()
        }
    });
    let choose_exception = move |ev: leptos::ev::Event| {
        if let Some(x) =
            crate::pages::register::from_wire::<ResidentNoticeException>(&event_target_value(&ev))
        {
            exception.set(x);
        }
    };
    let not_sent_fields = move || {
        view! {
            <div class="ds-field">
                <label class="ds-label" for="resident-exception">{i18n.tr("field-exception")}</label>
                <select class="ds-input" id="resident-exception" on:change=choose_exception>
                    {[ResidentNoticeException::Unintelligible, ResidentNoticeException::RiskNoLongerLikely, ResidentNoticeException::PublicNoticeInstead].into_iter().map(|x| {
                        let k = key("incident-exception", &wire(&x));
                        view! { <option value=wire(&x) selected=move || exception.get() == x>{move || i18n.t(&k)}</option> }
                    }).collect_view()}
                </select>
            </div>
            {text_field(i18n, "resident-explanation", "incident-explanation", Some("incident-explanation-hint"), 3, explanation)}
        }
    };
    view! {
        <section class="vern-section" aria-labelledby="incident-residents-heading">
            <h2 class="ds-heading" data-size="sm" id="incident-residents-heading">{i18n.tr("incident-residents")}</h2>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("incident-residents-intro")}</p>
            {decided}
            {open.then(|| view! {
                <Show when=move || manages.get()>
                    {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
                    <form class="vern-form" on:submit=submit.clone() novalidate>
                        <FieldErrors errors=field_errors.into()/>
                        <fieldset class="ds-fieldset">
                            <legend class="ds-label">{i18n.tr("incident-residents-decision")}</legend>
                            <div class="ds-field">
                                <input class="ds-input" type="radio" name="resident-decision" id="resident-sent" prop:checked=move || sent.get() on:change=move |_| sent.set(true)/>
                                <label class="ds-label" for="resident-sent" data-weight="regular">{i18n.tr("incident-residents-sent")}</label>
                            </div>
                            <div class="ds-field">
                                <input class="ds-input" type="radio" name="resident-decision" id="resident-not-sent" prop:checked=move || !sent.get() on:change=move |_| sent.set(false)/>
                                <label class="ds-label" for="resident-not-sent" data-weight="regular">{i18n.tr("incident-residents-exception")}</label>
                            </div>
                        </fieldset>
                        <Show when=move || sent.get() fallback=not_sent_fields>
                            {time_field(i18n, "resident-sent-at", "field-sent-at", sent_at)}
                            {text_field(i18n, "resident-channel", "field-channel", Some("incident-channel-hint"), 1, channel)}
                            <div class="ds-field">
                                <label class="ds-label" for="resident-recipients">{i18n.tr("incident-recipients")}</label>
                                <input class="ds-input" id="resident-recipients" type="text" inputmode="numeric" bind:value=recipients/>
                            </div>
                        </Show>
                        <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("incident-residents-save")}</button>
                    </form>
                </Show>
            })}
        </section>
    }
}

/// The generated texts: Datatilsynet's form, field by field, and the letter to residents.
#[component]
fn Texts(base: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let texts = RwSignal::new(None::<IncidentTexts>);
    let error = RwSignal::new(None::<ApiError>);
    let generate = move |_| {
        let url = format!("{base}/texts?lang={}", i18n.lang().tag());
        spawn_local(async move {
            match session
                .authorized(|t| api::fetch_json::<IncidentTexts>(url.clone(), t))
                .await
            {
                Ok(t) => {
                    error.set(None);
                    texts.set(Some(t));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="vern-section" aria-labelledby="incident-texts-heading">
            <h2 class="ds-heading" data-size="sm" id="incident-texts-heading">{i18n.tr("incident-texts")}</h2>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("incident-texts-intro")}</p>
            <button class="ds-button" data-variant="secondary" type="button" on:click=generate>{i18n.tr("incident-generate")}</button>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || texts.get().map(|t| view! {
                <h3 class="ds-heading" data-size="xs">{i18n.tr("incident-authority-text")}</h3>
                <dl class="vern-facts">
                    {t.authority.fields.into_iter().map(|f| view! { <dt>{f.label}</dt><dd class="vern-pre">{f.value}</dd> }).collect_view()}
                </dl>
                <h3 class="ds-heading" data-size="xs">{i18n.tr("incident-resident-text")}</h3>
                <p class="ds-paragraph"><strong>{t.residents.subject}</strong></p>
                <div class="vern-pre ds-paragraph">{t.residents.body}</div>
            })}
        </section>
    }
}

/// A vendor's notices to the customers of its products, with how many have taken each in.
#[component]
pub fn VendorIncidentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("vendor-incidents-title"));
    let query_map = use_query_map();
    let cursor = Memo::new(move |_| query_map.get().get("cursor").filter(|v| !v.is_empty()));
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        let params = vec![("cursor", cursor.get()), ("limit", Some("50".to_owned()))];
        async move {
            let org = org.filter(|_| ready)?;
            let url = with_query(
                &format!("/api/v1/organizations/{org}/vendor-incidents"),
                &params,
            );
            Some(
                session
                    .authorized(|t| api::fetch_json::<VendorIncidentPage>(url.clone(), t))
                    .await,
            )
        }
    });
    let manages = Signal::derive(move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::ManageIncidents))
    });
    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("vendor-incidents-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("vendor-incidents-intro")}</p>
            <Show when=move || manages.get()>
                <p>{move || org.get().map(|o| view! {
                    <A href=format!("/organizations/{o}/vendor-incidents/new") attr:class="ds-button" attr:data-variant="primary">{i18n.tr("vendor-incidents-new")}</A>
                })}</p>
            </Show>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || page.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("vendor-incidents-none")}</p> }.into_any(),
                    Ok(page) => {
                        let org_id = org.get_untracked();
                        let next = page.next_cursor.clone();
                        view! {
                            <div class="vern-table-wrap">
                                <table class="ds-table" data-border="true" data-zebra="true">
                                    <caption class="ds-sr-only">{i18n.tr("vendor-incidents-title")}</caption>
                                    <thead><tr>
                                        <th scope="col">{i18n.tr("incidents-col-title")}</th>
                                        <th scope="col">{i18n.tr("vendor-incidents-col-product")}</th>
                                        <th scope="col">{i18n.tr("vendor-incidents-col-sent")}</th>
                                        <th scope="col">{i18n.tr("vendor-incidents-col-acknowledged")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|n| {
                                            let href = org_id.map(|o| format!("/organizations/{o}/vendor-incidents/{}", n.id)).unwrap_or_default();
                                            let (done, all) = (n.acknowledged as usize, n.recipients as usize);
                                            view! {
                                                <tr>
                                                    <th scope="row"><A href=href attr:class="ds-link">{n.title.clone()}</A></th>
                                                    <td>{n.product_name.clone()}</td>
                                                    <td>{local_time(n.sent_at)}</td>
                                                    <td>{move || i18n.t_with("vendor-incidents-acknowledged-of", &[("done", done.into()), ("all", all.into())])}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|c| {
                                let href = with_query(&org_id.map(|o| format!("/organizations/{o}/vendor-incidents")).unwrap_or_default(), &[("cursor", Some(c))]);
                                view! { <p><A href=href attr:class="ds-link">{i18n.tr("incidents-next")}</A></p> }
                            })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}

/// A vendor tells every customer of one of its products about a breach.
#[component]
pub fn NewVendorIncidentPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let navigate = use_navigate();
    set_title(i18n.tr("vendor-incidents-new"));
    let form = FactsForm::new(None);
    let product = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let products = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        async move {
            let org = org.filter(|_| ready)?;
            session
                .authorized(|t| api::list_vendor_products(org, t))
                .await
                .ok()
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let facts = match form.facts() {
            Ok(f) => f,
            Err(errors) => {
                field_errors.set(errors);
                return;
            }
        };
        let Ok(product_id) = product.get_untracked().parse::<Uuid>() else {
            field_errors.set(vec![FieldError::new("product_id", "required")]);
            return;
        };
        let body = NewVendorIncident { product_id, facts };
        field_errors.set(Vec::new());
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/vendor-incidents");
            let result = session
                .authorized(|t| api::post_json::<_, VendorIncident>(url.clone(), body.clone(), t))
                .await;
            busy.set(false);
            match result {
                Ok(n) => navigate(
                    &format!("/organizations/{org}/vendor-incidents/{}", n.id),
                    Default::default(),
                ),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/vendor-incidents") attr:class="ds-link">{i18n.tr("vendor-incidents-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("vendor-incidents-new")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("vendor-incidents-new-intro")}</p>
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            {move || org.get().map(|o| {
                let submit = submit.clone();
                view! {
                    <form class="vern-form" on:submit=submit novalidate>
                        <FieldErrors errors=field_errors.into()/>
                        <div class="ds-field">
                            <label class="ds-label" for="vendor-incident-product">{i18n.tr("field-product-id")}</label>
                            <select class="ds-input" id="vendor-incident-product" on:change=move |ev| product.set(event_target_value(&ev))>
                                <option value="" selected=move || product.get().is_empty()>{i18n.tr("vendor-incidents-choose-product")}</option>
                                <Suspense fallback=|| ()>
                                    {move || products.get().flatten().map(|page| page.items.into_iter().map(|p| {
                                        let id = p.id.to_string();
                                        let value = id.clone();
                                        view! { <option value=value selected=move || product.get() == id>{p.facts.name.clone()}</option> }
                                    }).collect_view())}
                                </Suspense>
                            </select>
                        </div>
                        <FactsFields org=o form=form links=false/>
                        <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>{i18n.tr("vendor-incidents-send")}</button>
                    </form>
                }
            })}
        </div>
    }
}

/// One of the vendor's notices: what it said and who has taken it in.
#[component]
pub fn VendorIncidentPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("nid").and_then(|v| v.parse::<Uuid>().ok()));
    set_title(i18n.tr("vendor-incidents-title"));
    let notice = LocalResource::new(move || {
        let ready = session.ready.get();
        let (org, id) = (org.get(), id.get());
        async move {
            let (org, id) = (org.filter(|_| ready)?, id?);
            let url = format!("/api/v1/organizations/{org}/vendor-incidents/{id}");
            Some(
                session
                    .authorized(|t| api::fetch_json::<VendorIncident>(url.clone(), t))
                    .await,
            )
        }
    });
    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/vendor-incidents") attr:class="ds-link">{i18n.tr("vendor-incidents-title")}</A>
            })}</p>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || notice.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(n) => view! {
                        <h1 class="ds-heading" data-size="lg">{n.facts.title.clone()}</h1>
                        <p class="ds-paragraph">{move || i18n.t_with("vendor-incidents-sent-on", &[("product", n.product_name.clone().into()), ("sent", local_time(n.sent_at).into())])}</p>
                        <section class="vern-section" aria-labelledby="vendor-recipients-heading">
                            <h2 class="ds-heading" data-size="sm" id="vendor-recipients-heading">{i18n.tr("vendor-incidents-recipients")}</h2>
                            {if n.recipients.is_empty() {
                                view! { <p class="ds-paragraph">{i18n.tr("vendor-incidents-no-recipients")}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="ds-table" data-border="true">
                                        <caption class="ds-sr-only">{i18n.tr("vendor-incidents-recipients")}</caption>
                                        <thead><tr>
                                            <th scope="col">{i18n.tr("vendor-incidents-col-customer")}</th>
                                            <th scope="col">{i18n.tr("vendor-incidents-col-acknowledged-at")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {n.recipients.iter().map(|r| {
                                                let at = r.acknowledged_at.map(local_time);
                                                view! {
                                                    <tr>
                                                        <th scope="row">{r.organization_name.clone()}</th>
                                                        <td>{match at { Some(at) => at.into_any(), None => view! { <span class="ds-tag" data-color="warning">{i18n.tr("vendor-incidents-not-acknowledged")}</span> }.into_any() }}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        </section>
                        <FactsSummary facts=n.facts.clone()/>
                    }.into_any(),
                })}
            </Suspense>
        </div>
    }
}
