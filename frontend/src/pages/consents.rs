//! Consent records: the list with filters and a look-up by national identity number,
//! recording a consent (the resident's own or a guardian's for a child), one consent with its
//! withdrawal, and the counts the activity editor shows. People appear by name and masked
//! number; the full numbers leave only in the export.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::calendar::{oslo_input, oslo_input_value};
use vern_domain::consents::{
    Consent, ConsentChannel, ConsentCounts, ConsentGiver, ConsentLookup, ConsentPage,
    ConsentStatus, ConsentWithdrawal, NewConsent, PersonInput, ResidentConsent,
    ResidentConsentList,
};
use vern_domain::incidents::report::local_time;
use vern_domain::problem::FieldError;
use vern_domain::register::activity::{ActivityPage, ActivityStatus};

use crate::api::{self, ApiError, with_query};
use crate::components::{ErrorAlert, Loading, now, set_title};
use crate::i18n::{I18n, use_i18n};
use crate::pages::admin::org_from_path;
use crate::pages::register::{FieldErrors, field_errors_of};
use crate::pages::requests::key;
use crate::session::use_session;

fn status_tag(i18n: I18n, status: ConsentStatus) -> impl IntoView {
    let k = key("consent-status", status.as_str());
    let color = match status {
        ConsentStatus::Active => "success",
        ConsentStatus::RenewalDue => "warning",
        ConsentStatus::Withdrawn => "neutral",
    };
    view! { <span class="ds-tag" data-color=color>{move || i18n.t(&k)}</span> }
}

fn giver_text(i18n: I18n, giver: ConsentGiver) -> impl Fn() -> String + Clone {
    let k = key("consent-giver", giver.as_str());
    move || i18n.t(&k)
}

fn channel_text(i18n: I18n, channel: ConsentChannel) -> impl Fn() -> String + Clone {
    let k = key("consent-channel", channel.as_str());
    move || i18n.t(&k)
}

/// The organisation's activities based on consent and still in use: (id, name, own-consent age).
fn consent_activities(
    session: crate::session::Session,
    org: Memo<Option<OrganizationId>>,
) -> LocalResource<Vec<(Uuid, String, u8)>> {
    LocalResource::new(move || {
        let org = org.get().filter(|_| session.ready.get());
        async move {
            let Some(org) = org else {
                return Vec::new();
            };
            session
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
                        .filter(|a| {
                            a.facts.is_consent_based()
                                && a.facts.status != ActivityStatus::Discontinued
                        })
                        .map(|a| (a.id, a.facts.name.clone(), a.facts.own_consent_age()))
                        .collect()
                })
                .unwrap_or_default()
        }
    })
}

/// A table of consents, each linking to its page.
fn consent_table(
    i18n: I18n,
    org: Option<OrganizationId>,
    caption: &'static str,
    items: Vec<Consent>,
) -> impl IntoView {
    view! {
        <div class="vern-table-wrap">
            <table class="ds-table" data-border="true" data-zebra="true">
                <caption class="ds-sr-only">{i18n.tr(caption)}</caption>
                <thead><tr>
                    <th scope="col">{i18n.tr("consents-col-subject")}</th>
                    <th scope="col">{i18n.tr("consents-col-activity")}</th>
                    <th scope="col">{i18n.tr("consents-col-given-by")}</th>
                    <th scope="col">{i18n.tr("consents-col-given-at")}</th>
                    <th scope="col">{i18n.tr("consents-col-status")}</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|c| {
                        let href = org.map(|o| format!("/organizations/{o}/consents/{}", c.id)).unwrap_or_default();
                        let giver = match &c.guardian {
                            Some(g) => {
                                let words = giver_text(i18n, c.given_by);
                                let name = g.name.clone();
                                Box::new(move || format!("{} ({name})", words())) as Box<dyn Fn() -> String + Send + Sync>
                            }
                            None => Box::new(giver_text(i18n, c.given_by)),
                        };
                        view! {
                            <tr>
                                <th scope="row">
                                    <A href=href attr:class="ds-link">{c.subject.name.clone()}</A>
                                    <br/><small>{c.subject.national_id_masked.clone()}</small>
                                </th>
                                <td>{c.activity_name.clone()}</td>
                                <td>{giver}</td>
                                <td>{local_time(c.given_at)}</td>
                                <td>{status_tag(i18n, c.status)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Find a person's consents by number: the number goes in a POST body, never in the URL.
#[component]
fn Lookup(org: Memo<Option<OrganizationId>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let number = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<Vec<Consent>, ApiError>>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let body = ConsentLookup {
            national_id: number.get_untracked(),
            activity_id: None,
        };
        busy.set(true);
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/consent-lookups");
            let got = session
                .authorized(|t| api::post_json::<_, ConsentPage>(url.clone(), body.clone(), t))
                .await;
            busy.set(false);
            match got {
                Ok(page) => {
                    field_errors.set(Vec::new());
                    result.set(Some(Ok(page.items)));
                }
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    result.set(Some(Err(e)));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="consent-lookup-heading">
            <h2 class="ds-heading" data-size="sm" id="consent-lookup-heading">{i18n.tr("consents-lookup")}</h2>
            <form class="vern-filters" on:submit=submit novalidate>
                <div class="ds-field">
                    <label class="ds-label" for="consent-lookup-number">{i18n.tr("field-national-id")}</label>
                    <p class="ds-paragraph" data-size="sm" id="consent-lookup-hint">{i18n.tr("consents-lookup-hint")}</p>
                    <input class="ds-input" id="consent-lookup-number" type="text" inputmode="numeric" autocomplete="off"
                        aria-describedby="consent-lookup-hint" bind:value=number/>
                </div>
                <button class="ds-button" data-variant="secondary" type="submit" disabled=move || busy.get()>{i18n.tr("consents-lookup-button")}</button>
            </form>
            <FieldErrors errors=field_errors.into()/>
            {move || result.get().map(|r| match r {
                Err(e) if field_errors.get().is_empty() => view! { <ErrorAlert error=e/> }.into_any(),
                Err(_) => ().into_any(),
                Ok(items) if items.is_empty() => view! { <p class="ds-paragraph" role="status">{i18n.tr("consents-lookup-none")}</p> }.into_any(),
                Ok(items) => {
                    let count = items.len();
                    view! {
                        <p class="ds-paragraph" role="status">{move || i18n.t_with("consents-lookup-found", &[("count", count.into())])}</p>
                        {consent_table(i18n, org.get_untracked(), "consents-lookup", items)}
                    }.into_any()
                }
            })}
        </section>
    }
}

#[component]
pub fn ConsentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("consents-title"));
    let query_map = use_query_map();
    let param = move |name: &'static str| {
        Memo::new(move |_| query_map.get().get(name).filter(|v| !v.is_empty()))
    };
    let activity = param("activity_id");
    let status = param("status");
    let cursor = param("cursor");
    let activities = consent_activities(session, org);
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        let params = vec![
            ("activity_id", activity.get()),
            ("status", status.get()),
            ("cursor", cursor.get()),
            ("limit", Some("50".to_owned())),
        ];
        async move {
            let org = org.filter(|_| ready)?;
            let url = with_query(&format!("/api/v1/organizations/{org}/consents"), &params);
            Some(
                session
                    .authorized(|t| api::fetch_json::<ConsentPage>(url.clone(), t))
                    .await,
            )
        }
    });
    let here = move || {
        org.get()
            .map(|o| format!("/organizations/{o}/consents"))
            .unwrap_or_default()
    };
    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("consents-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("consents-intro")}</p>
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/consents/new") attr:class="ds-button" attr:data-variant="primary">{i18n.tr("consents-new")}</A>
            })}</p>
            <Lookup org=org/>
            <h2 class="ds-heading" data-size="sm">{i18n.tr("consents-all")}</h2>
            <Form method="GET" action=here attr:class="vern-filters" attr:aria-label=move || i18n.t("consents-filter")>
                <div class="ds-field">
                    <label class="ds-label" for="consent-filter-activity">{i18n.tr("consents-col-activity")}</label>
                    <select class="ds-input" id="consent-filter-activity" name="activity_id">
                        <option value="" selected=move || activity.get().is_none()>{i18n.tr("consents-activity-all")}</option>
                        {move || activities.get().unwrap_or_default().into_iter().map(|(id, name, _)| {
                            let value = id.to_string();
                            let selected = value.clone();
                            view! { <option value=value selected=move || activity.get().as_deref() == Some(selected.as_str())>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="consent-filter-status">{i18n.tr("consents-col-status")}</label>
                    <select class="ds-input" id="consent-filter-status" name="status">
                        <option value="" selected=move || status.get().is_none()>{i18n.tr("consents-status-all")}</option>
                        {ConsentStatus::ALL.into_iter().map(|s| {
                            let k = key("consent-status", s.as_str());
                            view! { <option value=s.as_str() selected=move || status.get().as_deref() == Some(s.as_str())>{move || i18n.t(&k)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button class="ds-button" data-variant="secondary" type="submit">{i18n.tr("consents-apply")}</button>
            </Form>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || page.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("consents-none")}</p> }.into_any(),
                    Ok(page) => {
                        let next = page.next_cursor.clone();
                        view! {
                            {consent_table(i18n, org.get_untracked(), "consents-all", page.items)}
                            {next.map(|c| {
                                let href = with_query(&here(), &[
                                    ("activity_id", activity.get_untracked()),
                                    ("status", status.get_untracked()),
                                    ("cursor", Some(c)),
                                ]);
                                view! { <p><A href=href attr:class="ds-link">{i18n.tr("consents-next")}</A></p> }
                            })}
                        }.into_any()
                    }
                })}
            </Suspense>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("consents-export-hint")}</p>
            <crate::pages::register::Downloads path="consents" file="samtykker" heading="consents-export"
                formats=&[("xlsx", "consents-export-xlsx"), ("csv", "consents-export-csv")]/>
        </div>
    }
}

fn channel_select(
    i18n: I18n,
    id: &'static str,
    signal: RwSignal<ConsentChannel>,
    include_portal: bool,
) -> impl IntoView {
    view! {
        <select class="ds-input" id=id on:change=move |ev| if let Some(c) = ConsentChannel::parse(&event_target_value(&ev)) { signal.set(c) }>
            {ConsentChannel::ALL.into_iter().filter(|c| include_portal || *c != ConsentChannel::Portal).map(|c| {
                let k = key("consent-channel", c.as_str());
                view! { <option value=c.as_str() selected=move || signal.get() == c>{move || i18n.t(&k)}</option> }
            }).collect_view()}
        </select>
    }
}

fn time_value(
    raw: &str,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> chrono::DateTime<chrono::Utc> {
    match oslo_input(raw.trim()) {
        Some(at) => at,
        None => {
            errors.push(FieldError::new(field, "not_a_date"));
            now()
        }
    }
}

#[component]
pub fn NewConsentPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let navigate = use_navigate();
    let query_map = use_query_map();
    set_title(i18n.tr("consents-new"));
    let activities = consent_activities(session, org);
    let activity = RwSignal::new(
        query_map
            .get_untracked()
            .get("activity_id")
            .unwrap_or_default(),
    );
    let subject_id = RwSignal::new(String::new());
    let subject_name = RwSignal::new(String::new());
    let given_by = RwSignal::new(ConsentGiver::Guardian);
    let guardian_id = RwSignal::new(String::new());
    let guardian_name = RwSignal::new(String::new());
    let given_at = RwSignal::new(oslo_input_value(now()));
    let channel = RwSignal::new(ConsentChannel::Paper);
    let statement = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    // The first activity is chosen when none is.
    Effect::new(move |_| {
        if activity.with_untracked(String::is_empty)
            && let Some((id, _, _)) = activities.get().and_then(|l| l.first().cloned())
        {
            activity.set(id.to_string());
        }
    });
    let age = move || {
        let chosen = activity.get();
        activities
            .get()
            .unwrap_or_default()
            .into_iter()
            .find(|(id, _, _)| id.to_string() == chosen)
            .map(|(_, _, age)| age)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let mut errors = Vec::new();
        let at = time_value(&given_at.get_untracked(), "given_at", &mut errors);
        let Ok(activity_id) = activity.get_untracked().parse::<Uuid>() else {
            errors.push(FieldError::new("activity_id", "required"));
            field_errors.set(errors);
            return;
        };
        if !errors.is_empty() {
            field_errors.set(errors);
            return;
        }
        let by = given_by.get_untracked();
        let body = NewConsent {
            activity_id,
            subject: PersonInput {
                national_id: subject_id.get_untracked(),
                name: subject_name.get_untracked(),
            },
            given_by: by,
            guardian: (by == ConsentGiver::Guardian).then(|| PersonInput {
                national_id: guardian_id.get_untracked(),
                name: guardian_name.get_untracked(),
            }),
            given_at: at,
            channel: channel.get_untracked(),
            statement: statement.get_untracked(),
        };
        field_errors.set(Vec::new());
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/consents");
            let result = session
                .authorized(|t| api::post_json::<_, Consent>(url.clone(), body.clone(), t))
                .await;
            busy.set(false);
            match result {
                Ok(c) => navigate(
                    &format!("/organizations/{org}/consents/{}", c.id),
                    Default::default(),
                ),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    let person_fields = move |prefix: &'static str,
                              id: RwSignal<String>,
                              name: RwSignal<String>| {
        let id_input = format!("{prefix}-national-id");
        let name_input = format!("{prefix}-name");
        view! {
            <div class="ds-field">
                <label class="ds-label" for=id_input.clone()>{i18n.tr("field-national-id")}</label>
                <input class="ds-input" id=id_input type="text" inputmode="numeric" autocomplete="off" maxlength="12" bind:value=id/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for=name_input.clone()>{i18n.tr("field-name")}</label>
                <input class="ds-input" id=name_input type="text" autocomplete="off" maxlength="200" bind:value=name/>
            </div>
        }
    };
    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/consents") attr:class="ds-link">{i18n.tr("consents-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("consents-new")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("consents-new-intro")}</p>
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <Suspense fallback=|| view! { <Loading/> }>
                {move || activities.get().map(|list| if list.is_empty() {
                    view! { <p class="ds-paragraph">{i18n.tr("consents-no-activities")}</p> }.into_any()
                } else {
                    let submit = submit.clone();
                    view! {
                        <form class="vern-form" on:submit=submit novalidate>
                            <FieldErrors errors=field_errors.into()/>
                            <div class="ds-field">
                                <label class="ds-label" for="consent-activity">{i18n.tr("field-activity-id")}</label>
                                <p class="ds-paragraph" data-size="sm" id="consent-activity-hint">
                                    {move || age().map(|a| i18n.t_with("consents-age-note", &[("age", (a as usize).into())]))}
                                </p>
                                <select class="ds-input" id="consent-activity" aria-describedby="consent-activity-hint"
                                    on:change=move |ev| activity.set(event_target_value(&ev))>
                                    {list.iter().map(|(id, name, _)| {
                                        let value = id.to_string();
                                        let selected = value.clone();
                                        view! { <option value=value selected=move || activity.get() == selected>{name.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <fieldset class="ds-fieldset">
                                <legend class="ds-heading" data-size="xs">{i18n.tr("field-subject")}</legend>
                                {person_fields("consent-subject", subject_id, subject_name)}
                            </fieldset>
                            <fieldset class="ds-fieldset">
                                <legend class="ds-label">{i18n.tr("field-given-by")}</legend>
                                {ConsentGiver::ALL.into_iter().map(|g| {
                                    let input_id = format!("consent-given-by-{}", g.as_str());
                                    let label_for = input_id.clone();
                                    view! {
                                        <div class="ds-field">
                                            <input class="ds-input" type="radio" name="given_by" id=input_id value=g.as_str()
                                                prop:checked=move || given_by.get() == g
                                                on:change=move |_| given_by.set(g)/>
                                            <label class="ds-label" data-weight="regular" for=label_for>{giver_text(i18n, g)}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <Show when=move || given_by.get() == ConsentGiver::Guardian>
                                <fieldset class="ds-fieldset">
                                    <legend class="ds-heading" data-size="xs">{i18n.tr("field-guardian")}</legend>
                                    {person_fields("consent-guardian", guardian_id, guardian_name)}
                                </fieldset>
                            </Show>
                            <div class="ds-field">
                                <label class="ds-label" for="consent-given-at">{i18n.tr("field-given-at")}</label>
                                <input class="ds-input" id="consent-given-at" type="datetime-local" bind:value=given_at/>
                            </div>
                            <div class="ds-field">
                                <label class="ds-label" for="consent-channel">{i18n.tr("field-channel")}</label>
                                {channel_select(i18n, "consent-channel", channel, false)}
                            </div>
                            <div class="ds-field">
                                <label class="ds-label" for="consent-statement">{i18n.tr("field-statement")}</label>
                                <p class="ds-paragraph" data-size="sm" id="consent-statement-hint">{i18n.tr("consents-statement-hint")}</p>
                                <textarea class="ds-input" id="consent-statement" rows="3" maxlength="4000" aria-describedby="consent-statement-hint" bind:value=statement></textarea>
                            </div>
                            <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>{i18n.tr("consents-record")}</button>
                        </form>
                    }.into_any()
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn ConsentPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("cid").and_then(|v| v.parse::<Uuid>().ok()));
    set_title(i18n.tr("consent-title"));
    let current = RwSignal::new(None::<Consent>);
    let load_error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        let (Some(org), Some(id), true) = (org.get(), id.get(), session.ready.get()) else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/consents/{id}");
            match session
                .authorized(|t| api::fetch_json::<Consent>(url.clone(), t))
                .await
            {
                Ok(c) => current.set(Some(c)),
                Err(e) => load_error.set(Some(e)),
            }
        });
    });
    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/consents") attr:class="ds-link">{i18n.tr("consents-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("consent-title")}</h1>
            {move || load_error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || current.get().map(|c| {
                let withdrawal = c.withdrawal.clone();
                let has_guardian = c.guardian.is_some();
                view! {
                    <p>{status_tag(i18n, c.status)}</p>
                    <dl class="vern-facts">
                        <dt>{i18n.tr("field-activity-id")}</dt>
                        <dd>{c.activity_name.clone()}</dd>
                        <dt>{i18n.tr("field-subject")}</dt>
                        <dd>{format!("{} ({})", c.subject.name, c.subject.national_id_masked)}</dd>
                        <dt>{i18n.tr("field-given-by")}</dt>
                        <dd>{giver_text(i18n, c.given_by)}</dd>
                        {c.guardian.clone().map(|g| view! {
                            <dt>{i18n.tr("field-guardian")}</dt>
                            <dd>{format!("{} ({})", g.name, g.national_id_masked)}</dd>
                        })}
                        <dt>{i18n.tr("field-given-at")}</dt>
                        <dd>{local_time(c.given_at)}</dd>
                        <dt>{i18n.tr("field-channel")}</dt>
                        <dd>{channel_text(i18n, c.channel)}</dd>
                        <dt>{i18n.tr("field-statement")}</dt>
                        <dd class="vern-pre">{c.statement.clone()}</dd>
                        {c.renewal_due_on.map(|d| view! {
                            <dt>{i18n.tr("consent-renewal-due-on")}</dt>
                            <dd>{d.format("%d.%m.%Y").to_string()}</dd>
                        })}
                        <dt>{i18n.tr("consent-recorded")}</dt>
                        <dd>{format!("{}{}", local_time(c.recorded_at), c.recorded_by.clone().map(|n| format!(", {n}")).unwrap_or_default())}</dd>
                    </dl>
                    {match withdrawal {
                        Some(w) => view! {
                            <h2 class="ds-heading" data-size="sm">{i18n.tr("consent-withdrawal")}</h2>
                            <dl class="vern-facts">
                                <dt>{i18n.tr("field-withdrawn-at")}</dt>
                                <dd>{local_time(w.withdrawn_at)}</dd>
                                <dt>{i18n.tr("field-withdrawn-by")}</dt>
                                <dd>{giver_text(i18n, w.withdrawn_by)}</dd>
                                <dt>{i18n.tr("field-channel")}</dt>
                                <dd>{channel_text(i18n, w.channel)}</dd>
                            </dl>
                        }.into_any(),
                        None => view! { <WithdrawForm consent=c.id has_guardian=has_guardian current=current/> }.into_any(),
                    }}
                }
            })}
        </div>
    }
}

#[component]
fn WithdrawForm(
    consent: Uuid,
    has_guardian: bool,
    current: RwSignal<Option<Consent>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let at = RwSignal::new(oslo_input_value(now()));
    let by = RwSignal::new(if has_guardian {
        ConsentGiver::Guardian
    } else {
        ConsentGiver::Subject
    });
    let channel = RwSignal::new(ConsentChannel::Email);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let mut errors = Vec::new();
        let withdrawn_at = time_value(&at.get_untracked(), "withdrawn_at", &mut errors);
        if !errors.is_empty() {
            field_errors.set(errors);
            return;
        }
        let body = ConsentWithdrawal {
            withdrawn_at,
            channel: channel.get_untracked(),
            withdrawn_by: by.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/consents/{consent}/withdraw");
            let result = session
                .authorized(|t| api::post_json::<_, Consent>(url.clone(), body.clone(), t))
                .await;
            busy.set(false);
            match result {
                Ok(c) => {
                    field_errors.set(Vec::new());
                    current.set(Some(c));
                }
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    let givers: Vec<ConsentGiver> = ConsentGiver::ALL
        .into_iter()
        .filter(|g| has_guardian || *g == ConsentGiver::Subject)
        .collect();
    view! {
        <section aria-labelledby="consent-withdraw-heading">
            <h2 class="ds-heading" data-size="sm" id="consent-withdraw-heading">{i18n.tr("consent-withdraw")}</h2>
            <p class="ds-paragraph">{i18n.tr("consent-withdraw-intro")}</p>
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <form class="vern-form" on:submit=submit novalidate>
                <FieldErrors errors=field_errors.into()/>
                <div class="ds-field">
                    <label class="ds-label" for="consent-withdrawn-at">{i18n.tr("field-withdrawn-at")}</label>
                    <input class="ds-input" id="consent-withdrawn-at" type="datetime-local" bind:value=at/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="consent-withdrawn-by">{i18n.tr("field-withdrawn-by")}</label>
                    <select class="ds-input" id="consent-withdrawn-by" on:change=move |ev| if let Some(g) = ConsentGiver::parse(&event_target_value(&ev)) { by.set(g) }>
                        {givers.into_iter().map(|g| view! {
                            <option value=g.as_str() selected=move || by.get() == g>{giver_text(i18n, g)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="consent-withdrawal-channel">{i18n.tr("field-channel")}</label>
                    {channel_select(i18n, "consent-withdrawal-channel", channel, false)}
                </div>
                <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>{i18n.tr("consent-withdraw-button")}</button>
            </form>
        </section>
    }
}

/// The counts of an activity's consents, for its page in the register; with a link to the
/// records for those who handle them.
#[component]
pub fn ActivityConsents(org: OrganizationId, activity: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let counts = LocalResource::new(move || async move {
        session
            .authorized(|t| {
                api::fetch_json::<ConsentCounts>(
                    format!(
                        "/api/v1/organizations/{org}/processing-activities/{activity}/consent-counts"
                    ),
                    t,
                )
            })
            .await
            .ok()
    });
    let handles = move || session.can(org, Permission::HandleConsents);
    view! {
        {move || counts.get().flatten().filter(|c| c.consent_based).map(|c| view! {
            <section class="vern-panel" aria-labelledby="activity-consents-heading">
                <h2 class="ds-heading" data-size="sm" id="activity-consents-heading">{i18n.tr("consent-counts-heading")}</h2>
                <p class="ds-paragraph">{move || i18n.t_with("consent-counts", &[
                    ("active", (c.active as usize).into()),
                    ("renewal", (c.renewal_due as usize).into()),
                    ("withdrawn", (c.withdrawn as usize).into()),
                ])}</p>
                <p class="ds-paragraph" data-size="sm">{move || i18n.t_with("consents-age-note", &[("age", (c.consent_age as usize).into())])}</p>
                <Show when=handles>
                    <p><A href=format!("/organizations/{org}/consents?activity_id={activity}") attr:class="ds-link">{i18n.tr("consent-counts-link")}</A></p>
                </Show>
            </section>
        })}
    }
}

/// The resident portal's list of the resident's consents — about them, or given by them for a
/// child — with withdrawal in two steps (Art. 7(3)).
#[component]
pub fn MyConsents() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        async {
            api::resident_get::<ResidentConsentList>("/api/v1/resident/consents".to_owned()).await
        }
    });
    let asking = RwSignal::new(None::<ResidentConsent>);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let confirm = move |_| {
        let Some(c) = asking.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match api::resident_post::<_, ResidentConsent>(
                format!("/api/v1/resident/consents/{}/withdraw", c.consent.id),
                serde_json::json!({}),
            )
            .await
            {
                Ok(w) => {
                    asking.set(None);
                    error.set(None);
                    done.set(Some(w.consent.activity_name));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="portal-consents-heading">
            <h2 class="ds-heading" data-size="sm" id="portal-consents-heading">{i18n.tr("portal-consents")}</h2>
            <p class="ds-paragraph">{i18n.tr("portal-consents-intro")}</p>
            <div role="status">{move || done.get().map(|name| i18n.t_with("portal-consent-withdrawn", &[("activity", name.into())]))}</div>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <Suspense fallback=|| view! { <Loading/> }>
                {move || list.get().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(l) if l.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("portal-consents-none")}</p> }.into_any(),
                    Ok(l) => view! {
                        <div class="vern-table-wrap">
                            <table class="ds-table" data-border="true" data-zebra="true">
                                <caption class="ds-sr-only">{i18n.tr("portal-consents")}</caption>
                                <thead><tr>
                                    <th scope="col">{i18n.tr("consents-col-activity")}</th>
                                    <th scope="col">{i18n.tr("portal-col-municipality")}</th>
                                    <th scope="col">{i18n.tr("portal-consent-about")}</th>
                                    <th scope="col">{i18n.tr("consents-col-given-at")}</th>
                                    <th scope="col">{i18n.tr("consents-col-status")}</th>
                                    <th scope="col"><span class="ds-sr-only">{i18n.tr("portal-consent-actions")}</span></th>
                                </tr></thead>
                                <tbody>
                                    {l.items.into_iter().map(|c| {
                                        let about = match c.resident_is {
                                            ConsentGiver::Subject => i18n.t("portal-consent-about-you"),
                                            ConsentGiver::Guardian => c.consent.subject.name.clone(),
                                        };
                                        let label = {
                                            let activity = c.consent.activity_name.clone();
                                            move || i18n.t_with("portal-consent-withdraw-named", &[("activity", activity.clone().into())])
                                        };
                                        let chosen = c.clone();
                                        view! {
                                            <tr>
                                                <th scope="row">{c.consent.activity_name.clone()}</th>
                                                <td>{c.organization_name.clone()}</td>
                                                <td>{about}</td>
                                                <td>{local_time(c.consent.given_at)}</td>
                                                <td>{status_tag(i18n, c.consent.status)}</td>
                                                <td>{c.can_withdraw.then(|| view! {
                                                    <button class="ds-button" data-variant="secondary" data-size="sm" type="button" aria-label=label
                                                        on:click=move |_| { done.set(None); asking.set(Some(chosen.clone())) }>
                                                        {i18n.tr("portal-consent-withdraw")}
                                                    </button>
                                                })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </Suspense>
            {move || asking.get().map(|c| view! {
                <div class="vern-panel" role="alert">
                    <p class="ds-paragraph">{move || i18n.t_with("portal-consent-confirm", &[
                        ("activity", c.consent.activity_name.clone().into()),
                        ("organization", c.organization_name.clone().into()),
                    ])}</p>
                    <button class="ds-button" data-variant="primary" data-color="danger" type="button" on:click=confirm>{i18n.tr("portal-consent-withdraw-yes")}</button>
                    " "
                    <button class="ds-button" data-variant="secondary" type="button" on:click=move |_| asking.set(None)>{i18n.tr("portal-withdraw-no")}</button>
                </div>
            })}
        </section>
    }
}
