//! Campaigns: one agreement to many organisations with one deadline. The sender's list,
//! the form that starts one (terms, what the processing is about, recipients — all
//! municipalities at once if need be), and the dashboard of where each recipient stands,
//! drawn as a bar with a table beside it, with reminders for those who have not signed.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::agreements::campaign::{
    Campaign, CampaignCounts, CampaignPage as Page, CampaignRecipientPage, CampaignTerms,
    NewCampaign, RecipientState, ReminderRound,
};
use vern_domain::agreements::terms::{Authorisation, EndOfContract, StatedCategory, StatedScope};
use vern_domain::organization::OrganizationPage;
use vern_domain::problem::FieldError;

use super::status_tag;
use crate::api::{self, ApiError, OrgQuery, with_query};
use crate::components::{ErrorAlert, Loading, set_title, utc_date};
use crate::i18n::{I18n, use_i18n};
use crate::pages::admin::org_from_path;
use crate::pages::register::{FieldErrors, field_errors_of};
use crate::session::use_session;

pub(crate) fn state_key(s: RecipientState) -> String {
    format!("campaign-state-{}", s.as_str().replace('_', "-"))
}

fn state_color(s: RecipientState) -> &'static str {
    match s {
        RecipientState::Signed => "success",
        RecipientState::InReview => "info",
        RecipientState::NotOpened => "neutral",
        RecipientState::Overdue => "danger",
        RecipientState::Withdrawn => "neutral",
    }
}

fn count_of(c: &CampaignCounts, s: RecipientState) -> u32 {
    match s {
        RecipientState::NotOpened => c.not_opened,
        RecipientState::InReview => c.in_review,
        RecipientState::Signed => c.signed,
        RecipientState::Overdue => c.overdue,
        RecipientState::Withdrawn => c.withdrawn,
    }
}

/// Where the recipients stand: a stacked bar (decorative; the table beside it carries the
/// same numbers for everyone).
fn progress_bar(c: CampaignCounts) -> impl IntoView {
    let total = c.total.max(1) as f64;
    let mut x = 0.0;
    let parts = RecipientState::ALL
        .into_iter()
        .filter(|s| count_of(&c, *s) > 0)
        .map(|s| {
            let width = f64::from(count_of(&c, s)) / total * 100.0;
            let part = view! {
                <rect x=format!("{x:.2}") y="0" width=format!("{width:.2}") height="12" class=format!("vern-bar-{}", state_color(s))/>
            };
            x += width;
            part
        })
        .collect_view();
    view! {
        <svg class="vern-progress" viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect x="0" y="0" width="100" height="12" class="vern-bar-track"/>
            {parts}
        </svg>
    }
}

fn counts_table(i18n: I18n, c: CampaignCounts, caption: &'static str) -> impl IntoView {
    view! {
        <table class="ds-table vern-counts" data-border="true">
            <caption class="ds-sr-only">{i18n.tr(caption)}</caption>
            <thead><tr>
                {RecipientState::ALL.into_iter().map(|s| {
                    let key = state_key(s);
                    view! { <th scope="col">{move || i18n.t(&key)}</th> }
                }).collect_view()}
                <th scope="col">{i18n.tr("campaign-total")}</th>
            </tr></thead>
            <tbody><tr>
                {RecipientState::ALL.into_iter().map(|s| view! { <td>{count_of(&c, s)}</td> }).collect_view()}
                <td>{c.total}</td>
            </tr></tbody>
        </table>
    }
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("campaigns-title"));
    let query_map = use_query_map();
    let cursor = Memo::new(move |_| query_map.get().get("cursor").filter(|v| !v.is_empty()));
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        let cursor = cursor.get();
        async move {
            let org = org.filter(|_| ready)?;
            let url = with_query(
                &format!("/api/v1/organizations/{org}/campaigns"),
                &[("cursor", cursor), ("limit", Some("25".to_owned()))],
            );
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
    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/agreements") attr:class="ds-link">{i18n.tr("agreements-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("campaigns-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("campaigns-intro")}</p>
            <Show when=move || can_draft.get()>
                <p>{move || org.get().map(|o| view! {
                    <A href=format!("/organizations/{o}/campaigns/new") attr:class="ds-button" attr:data-variant="primary">{i18n.tr("campaigns-new")}</A>
                })}</p>
            </Show>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || page.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("campaigns-none")}</p> }.into_any(),
                    Ok(page) => {
                        let next = page.next_cursor.clone();
                        view! {
                            <div class="vern-table-wrap">
                                <table class="ds-table" data-border="true" data-zebra="true">
                                    <caption class="ds-sr-only">{i18n.tr("campaigns-title")}</caption>
                                    <thead><tr>
                                        <th scope="col">{i18n.tr("campaigns-col-title")}</th>
                                        <th scope="col">{i18n.tr("campaigns-col-deadline")}</th>
                                        <th scope="col">{i18n.tr("campaigns-col-signed")}</th>
                                        <th scope="col">{i18n.tr("campaigns-col-overdue")}</th>
                                        <th scope="col">{i18n.tr("campaigns-col-progress")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|c| view! {
                                            <tr>
                                                <th scope="row"><A href=format!("/campaigns/{}", c.id) attr:class="ds-link">{c.title.clone()}</A></th>
                                                <td>{c.deadline.to_string()}</td>
                                                <td>{format!("{} / {}", c.counts.signed, c.counts.total)}</td>
                                                <td>{c.counts.overdue}</td>
                                                <td>{progress_bar(c.counts)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|c| {
                                let href = with_query(&org.get_untracked().map(|o| format!("/organizations/{o}/campaigns")).unwrap_or_default(), &[("cursor", Some(c))]);
                                view! { <p><A href=href attr:class="ds-link">{i18n.tr("agreements-next")}</A></p> }
                            })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One recipient chosen in the form.
#[derive(Debug, Clone, PartialEq)]
struct Chosen {
    id: OrganizationId,
    name: String,
}

#[component]
pub fn NewCampaignPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let navigate = use_navigate();
    set_title(i18n.tr("campaign-new-title"));
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);

    let title = RwSignal::new(String::new());
    let template = RwSignal::new("state-nb".to_owned());
    let deadline = RwSignal::new(String::new());
    let nature = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let general = RwSignal::new(false);
    let notice = RwSignal::new(String::new());
    let breach = RwSignal::new("24".to_owned());
    let ending = RwSignal::new("return_then_delete".to_owned());
    let audit = RwSignal::new(String::new());
    let c_contact = RwSignal::new(String::new());
    let p_contact = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let purposes = RwSignal::new(String::new());
    let categories = RwSignal::new(String::new());
    let special = RwSignal::new(String::new());
    let subjects = RwSignal::new(String::new());
    let measures = RwSignal::new(String::new());
    let countries = RwSignal::new(String::new());

    // Recipients: search by kind and name, or take every municipality at once.
    let chosen = RwSignal::new(Vec::<Chosen>::new());
    let kind = RwSignal::new("municipality".to_owned());
    let search = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let query = OrgQuery {
            kind: Some(kind.get()),
            q: Some(search.get()).filter(|q| !q.trim().is_empty()),
            ..Default::default()
        };
        async move {
            api::list_organizations(&query)
                .await
                .map(|p: OrganizationPage| p.items)
                .unwrap_or_default()
        }
    });
    let choose = move |id: OrganizationId, name: String, on: bool| {
        chosen.update(|list| {
            list.retain(|c| c.id != id);
            if on {
                list.push(Chosen { id, name });
            }
        });
    };
    let all_municipalities = move |_| {
        spawn_local(async move {
            let mut cursor = None;
            let mut all = Vec::new();
            loop {
                let query = OrgQuery {
                    kind: Some("municipality".into()),
                    cursor: cursor.clone(),
                    ..Default::default()
                };
                let Ok(page) = api::list_organizations(&query).await else {
                    break;
                };
                all.extend(page.items.into_iter().map(|o| Chosen {
                    id: o.id,
                    name: o.name,
                }));
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
            chosen.update(|list| {
                for c in all {
                    if !list.iter().any(|x| x.id == c.id) {
                        list.push(c);
                    }
                }
            });
        });
    };

    let templates = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        async move {
            let org = org.filter(|_| ready)?;
            Some(super::templates::template_options(session, org).await)
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(sender) = org.get_untracked() else {
            return;
        };
        let mut errors = Vec::new();
        let mut date = |field: &str, raw: String, required: bool| -> Option<NaiveDate> {
            let raw = raw.trim().to_owned();
            if raw.is_empty() {
                if required {
                    errors.push(FieldError {
                        field: field.into(),
                        code: "required".into(),
                    });
                }
                return None;
            }
            let parsed = NaiveDate::parse_from_str(&raw, "%Y-%m-%d").ok();
            if parsed.is_none() {
                errors.push(FieldError {
                    field: field.into(),
                    code: "not_a_date".into(),
                });
            }
            parsed
        };
        let due = date("deadline", deadline.get_untracked(), true);
        let start_date = date("terms.start_date", start.get_untracked(), false);
        if chosen.with_untracked(Vec::is_empty) {
            errors.push(FieldError {
                field: "recipient_ids".into(),
                code: "required".into(),
            });
        }
        let (Some(due), true) = (due, errors.is_empty()) else {
            field_errors.set(errors);
            return;
        };
        let number = |raw: String| raw.trim().parse::<u32>().ok();
        let mut data_categories: Vec<StatedCategory> = lines(&categories.get_untracked())
            .into_iter()
            .map(|label| StatedCategory {
                label,
                special: false,
                criminal: false,
            })
            .collect();
        data_categories.extend(lines(&special.get_untracked()).into_iter().map(|label| {
            StatedCategory {
                label,
                special: true,
                criminal: false,
            }
        }));
        let body = NewCampaign {
            deadline: due,
            recipient_ids: chosen.get_untracked().into_iter().map(|c| c.id).collect(),
            terms: CampaignTerms {
                title: title.get_untracked(),
                template: template.get_untracked(),
                nature: nature.get_untracked(),
                start_date,
                end_date: None,
                review_date: None,
                authorisation: if general.get_untracked() {
                    Authorisation::General
                } else {
                    Authorisation::Specific
                },
                notice_period_days: number(notice.get_untracked()),
                breach_notice_hours: number(breach.get_untracked()),
                end_of_contract: match ending.get_untracked().as_str() {
                    "delete" => Some(EndOfContract::Delete),
                    "return" => Some(EndOfContract::Return),
                    "return_then_delete" => Some(EndOfContract::ReturnThenDelete),
                    _ => None,
                },
                audit_procedure: audit.get_untracked(),
                instructions: String::new(),
                other_terms: String::new(),
                controller_contact: c_contact.get_untracked(),
                controller_address: String::new(),
                processor_contact: p_contact.get_untracked(),
                scope: StatedScope {
                    subject_matter: subject.get_untracked(),
                    purposes: lines(&purposes.get_untracked()),
                    data_categories,
                    data_subjects: lines(&subjects.get_untracked()),
                    security_measures: lines(&measures.get_untracked()),
                    locations: lines(&countries.get_untracked()),
                },
            },
        };
        field_errors.set(Vec::new());
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{sender}/campaigns");
            let result = session
                .authorized(|t| api::post_json::<_, Campaign>(url.clone(), body.clone(), t))
                .await;
            busy.set(false);
            match result {
                Ok(c) => navigate(&format!("/campaigns/{}", c.id), Default::default()),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };

    let text_field = move |id: &'static str, label: &'static str, signal: RwSignal<String>| {
        view! {
            <div class="ds-field">
                <label class="ds-label" for=id>{i18n.tr(label)}</label>
                <input class="ds-input" id=id type="text" maxlength="300" bind:value=signal/>
            </div>
        }
    };
    let area = move |id: &'static str,
                     label: &'static str,
                     hint: Option<&'static str>,
                     signal: RwSignal<String>| {
        let described = hint.map(|_| format!("{id}-hint"));
        view! {
            <div class="ds-field">
                <label class="ds-label" for=id>{i18n.tr(label)}</label>
                {hint.map(|h| view! { <p class="ds-paragraph" data-size="sm" id=format!("{id}-hint")>{i18n.tr(h)}</p> })}
                <textarea class="ds-input" id=id rows="3" maxlength="4000" aria-describedby=described bind:value=signal></textarea>
            </div>
        }
    };
    let date_field = move |id: &'static str, label: &'static str, signal: RwSignal<String>| {
        view! {
            <div class="ds-field">
                <label class="ds-label" for=id>{i18n.tr(label)}</label>
                <input class="ds-input" id=id type="date" bind:value=signal/>
            </div>
        }
    };

    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/campaigns") attr:class="ds-link">{i18n.tr("campaigns-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("campaign-new-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("campaign-new-intro")}</p>
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <form class="vern-form" on:submit=submit novalidate>
                <FieldErrors errors=field_errors.into()/>
                {text_field("campaign-title", "agreement-field-title", title)}
                <div class="ds-field">
                    <label class="ds-label" for="campaign-template">{i18n.tr("agreement-field-template")}</label>
                    <select class="ds-input" id="campaign-template" on:change=move |ev| template.set(event_target_value(&ev))>
                        {move || templates.get().flatten().unwrap_or_default().into_iter().map(|(key, name_nb, name_en)| {
                            let name = if i18n.lang() == vern_i18n::Lang::En { name_en } else { name_nb };
                            view! { <option value=key.clone() selected=move || template.get() == key>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {date_field("campaign-deadline", "campaign-field-deadline", deadline)}

                <fieldset class="ds-fieldset">
                    <legend class="ds-heading" data-size="xs">{i18n.tr("campaign-recipients")}</legend>
                    <p class="ds-paragraph" data-size="sm" aria-live="polite">{move || i18n.t_with("campaign-chosen", &[("count", chosen.with(Vec::len).into())])}</p>
                    <div class="vern-filters">
                        <div class="ds-field">
                            <label class="ds-label" for="campaign-kind">{i18n.tr("campaign-recipient-kind")}</label>
                            <select class="ds-input" id="campaign-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                                <option value="municipality" selected=move || kind.get() == "municipality">{i18n.tr("org-kind-municipality")}</option>
                                <option value="vendor" selected=move || kind.get() == "vendor">{i18n.tr("org-kind-vendor")}</option>
                                <option value="authority" selected=move || kind.get() == "authority">{i18n.tr("org-kind-authority")}</option>
                            </select>
                        </div>
                        <div class="ds-field">
                            <label class="ds-label" for="campaign-search">{i18n.tr("campaign-recipient-search")}</label>
                            <input class="ds-input" id="campaign-search" type="search" maxlength="200" bind:value=search/>
                        </div>
                        <button class="ds-button" data-variant="secondary" type="button" on:click=all_municipalities>{i18n.tr("campaign-all-municipalities")}</button>
                    </div>
                    <Suspense fallback=|| view! { <Loading/> }>
                        <ul class="vern-choices">
                            {move || found.get().unwrap_or_default().into_iter().filter(|o| Some(o.id) != org.get()).map(|o| {
                                let id = o.id;
                                let name = o.name.clone();
                                let input_id = format!("campaign-recipient-{id}");
                                view! {
                                    <li class="ds-field">
                                        <input class="ds-input" type="checkbox" id=input_id.clone()
                                            prop:checked=move || chosen.with(|l| l.iter().any(|c| c.id == id))
                                            on:change=move |ev| choose(id, name.clone(), event_target_checked(&ev))/>
                                        <label class="ds-label" for=input_id data-weight="regular">{o.name.clone()}</label>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </Suspense>
                    <Show when=move || !chosen.with(Vec::is_empty)>
                        <details class="ds-details">
                            <summary>{i18n.tr("campaign-chosen-list")}</summary>
                            <ul class="ds-list">
                                {move || chosen.get().into_iter().map(|c| {
                                    let id = c.id;
                                    let label = format!("{} {}", i18n.t("campaign-remove"), c.name);
                                    view! { <li>{c.name.clone()} " " <button class="ds-button" data-variant="tertiary" data-size="sm" type="button" aria-label=label on:click=move |_| choose(id, String::new(), false)>{i18n.tr("campaign-remove")}</button></li> }
                                }).collect_view()}
                            </ul>
                        </details>
                    </Show>
                </fieldset>

                <fieldset class="ds-fieldset">
                    <legend class="ds-heading" data-size="xs">{i18n.tr("campaign-scope")}</legend>
                    <p class="ds-paragraph" data-size="sm">{i18n.tr("campaign-scope-intro")}</p>
                    {area("campaign-subject", "campaign-field-subject", None, subject)}
                    {area("campaign-nature", "agreement-field-nature", None, nature)}
                    {area("campaign-purposes", "campaign-field-purposes", Some("campaign-one-per-line"), purposes)}
                    {area("campaign-categories", "campaign-field-categories", Some("campaign-one-per-line"), categories)}
                    {area("campaign-special", "campaign-field-special", Some("campaign-one-per-line"), special)}
                    {area("campaign-subjects", "campaign-field-subjects", Some("campaign-one-per-line"), subjects)}
                    {area("campaign-measures", "campaign-field-measures", Some("campaign-one-per-line"), measures)}
                    {area("campaign-countries", "campaign-field-countries", Some("campaign-one-per-line"), countries)}
                </fieldset>

                <fieldset class="ds-fieldset">
                    <legend class="ds-heading" data-size="xs">{i18n.tr("campaign-terms")}</legend>
                    {date_field("campaign-start", "agreement-field-start", start)}
                    <fieldset class="ds-fieldset">
                        <legend class="ds-label">{i18n.tr("agreement-field-authorisation")}</legend>
                        <div class="ds-field">
                            <input class="ds-input" type="radio" id="campaign-specific" name="authorisation" prop:checked=move || !general.get() on:change=move |_| general.set(false)/>
                            <label class="ds-label" for="campaign-specific" data-weight="regular">{i18n.tr("agreement-authorisation-specific")}</label>
                        </div>
                        <div class="ds-field">
                            <input class="ds-input" type="radio" id="campaign-general" name="authorisation" prop:checked=move || general.get() on:change=move |_| general.set(true)/>
                            <label class="ds-label" for="campaign-general" data-weight="regular">{i18n.tr("agreement-authorisation-general")}</label>
                        </div>
                    </fieldset>
                    <div class="ds-field">
                        <label class="ds-label" for="campaign-notice">{i18n.tr("agreement-field-notice")}</label>
                        <input class="ds-input" id="campaign-notice" type="number" min="1" max="365" inputmode="numeric" bind:value=notice/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="campaign-breach">{i18n.tr("agreement-field-breach")}</label>
                        <input class="ds-input" id="campaign-breach" type="number" min="1" max="72" inputmode="numeric" bind:value=breach/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="campaign-ending">{i18n.tr("agreement-field-ending")}</label>
                        <select class="ds-input" id="campaign-ending" on:change=move |ev| ending.set(event_target_value(&ev))>
                            <option value="delete" selected=move || ending.get() == "delete">{i18n.tr("agreement-ending-delete")}</option>
                            <option value="return" selected=move || ending.get() == "return">{i18n.tr("agreement-ending-return")}</option>
                            <option value="return_then_delete" selected=move || ending.get() == "return_then_delete">{i18n.tr("agreement-ending-return-then-delete")}</option>
                        </select>
                    </div>
                    {area("campaign-audit", "agreement-field-audit", None, audit)}
                    {text_field("campaign-controller-contact", "agreement-field-controller-contact", c_contact)}
                    {text_field("campaign-processor-contact", "campaign-field-processor-contact", p_contact)}
                </fieldset>
                <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t("campaign-sending") } else { i18n.t("campaign-send") }}
                </button>
            </form>
        </div>
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("cid").and_then(|v| v.parse::<Uuid>().ok()));
    set_title(i18n.tr("campaign-title"));
    let query_map = use_query_map();
    let state_filter = Memo::new(move |_| query_map.get().get("state").filter(|v| !v.is_empty()));
    let cursor = Memo::new(move |_| query_map.get().get("cursor").filter(|v| !v.is_empty()));
    let reload = RwSignal::new(0u32);
    let campaign = LocalResource::new(move || {
        let ready = session.ready.get();
        let id = id.get();
        reload.track();
        async move {
            let id = id.filter(|_| ready)?;
            let url = format!("/api/v1/campaigns/{id}");
            Some(
                session
                    .authorized(|t| api::fetch_json::<Campaign>(url.clone(), t))
                    .await,
            )
        }
    });
    let recipients = LocalResource::new(move || {
        let ready = session.ready.get();
        let id = id.get();
        let params = vec![
            ("state", state_filter.get()),
            ("cursor", cursor.get()),
            ("limit", Some("100".to_owned())),
        ];
        reload.track();
        async move {
            let id = id.filter(|_| ready)?;
            let url = with_query(&format!("/api/v1/campaigns/{id}/recipients"), &params);
            Some(
                session
                    .authorized(|t| api::fetch_json::<CampaignRecipientPage>(url.clone(), t))
                    .await,
            )
        }
    });
    let notice = RwSignal::new(None::<u32>);
    let error = RwSignal::new(None::<ApiError>);
    let remind = move |_| {
        let Some(id) = id.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/campaigns/{id}/reminders");
            match session
                .authorized(|t| {
                    api::post_json::<_, ReminderRound>(url.clone(), serde_json::json!({}), t)
                })
                .await
            {
                Ok(round) => {
                    error.set(None);
                    notice.set(Some(round.reminded));
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let here = move || {
        id.get()
            .map(|i| format!("/campaigns/{i}"))
            .unwrap_or_default()
    };
    view! {
        <div class="vern-container">
            <Suspense fallback=|| view! { <Loading/> }>
                {move || campaign.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(c) => {
                        let sender: OrganizationId = c.organization.id;
                        let may_remind = session.can(sender, Permission::DraftAgreements);
                        let awaiting = c.counts.not_opened + c.counts.in_review + c.counts.overdue;
                        view! {
                            <p><A href=format!("/organizations/{sender}/campaigns") attr:class="ds-link">{i18n.tr("campaigns-title")}</A></p>
                            <h1 class="ds-heading" data-size="lg">{c.title.clone()}</h1>
                            <p class="ds-paragraph vern-lead">{move || i18n.t_with("campaign-summary", &[("deadline", c.deadline.to_string().into()), ("signed", (c.counts.signed as usize).into()), ("total", (c.counts.total as usize).into())])}</p>
                            <section class="vern-section" aria-labelledby="campaign-progress-heading">
                                <h2 class="ds-heading" data-size="sm" id="campaign-progress-heading">{i18n.tr("campaign-progress")}</h2>
                                {progress_bar(c.counts)}
                                {counts_table(i18n, c.counts, "campaign-progress")}
                            </section>
                            {may_remind.then(|| view! {
                                <p>
                                    <button class="ds-button" data-variant="secondary" type="button" disabled=awaiting == 0 on:click=remind>{i18n.tr("campaign-remind")}</button>
                                </p>
                            })}
                        }.into_any()
                    }
                })}
            </Suspense>
            {move || notice.get().map(|n| view! { <div class="ds-alert" data-color="success" role="status"><p class="ds-paragraph">{i18n.t_with("campaign-reminded", &[("count", (n as usize).into())])}</p></div> })}
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <section class="vern-section" aria-labelledby="campaign-recipients-heading">
                <h2 class="ds-heading" data-size="sm" id="campaign-recipients-heading">{i18n.tr("campaign-recipients")}</h2>
                <Form method="GET" action=here attr:class="vern-filters" attr:aria-label=move || i18n.t("campaign-filter")>
                    <div class="ds-field">
                        <label class="ds-label" for="campaign-state">{i18n.tr("campaign-state")}</label>
                        <select class="ds-input" id="campaign-state" name="state">
                            <option value="" selected=move || state_filter.get().is_none()>{i18n.tr("agreements-status-all")}</option>
                            {RecipientState::ALL.into_iter().map(|s| {
                                let key = state_key(s);
                                view! { <option value=s.as_str() selected=move || state_filter.get().as_deref() == Some(s.as_str())>{move || i18n.t(&key)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <button class="ds-button" data-variant="secondary" type="submit">{i18n.tr("agreements-apply")}</button>
                </Form>
                <Suspense fallback=|| view! { <Loading/> }>
                    {move || recipients.get().flatten().map(|result| match result {
                        Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("campaign-no-recipients")}</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next_cursor.clone();
                            view! {
                                <div class="vern-table-wrap">
                                    <table class="ds-table" data-border="true" data-zebra="true">
                                        <caption class="ds-sr-only">{i18n.tr("campaign-recipients")}</caption>
                                        <thead><tr>
                                            <th scope="col">{i18n.tr("campaign-col-organisation")}</th>
                                            <th scope="col">{i18n.tr("campaign-state")}</th>
                                            <th scope="col">{i18n.tr("campaign-col-agreement")}</th>
                                            <th scope="col">{i18n.tr("campaign-col-opened")}</th>
                                            <th scope="col">{i18n.tr("campaign-col-signed")}</th>
                                            <th scope="col">{i18n.tr("campaign-col-reminded")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {page.items.into_iter().map(|r| {
                                                let key = state_key(r.state);
                                                let day = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(utc_date).unwrap_or_default();
                                                view! {
                                                    <tr>
                                                        <th scope="row"><A href=format!("/agreements/{}", r.agreement_id) attr:class="ds-link">{r.organization.name.clone()}</A></th>
                                                        <td><span class="ds-tag" data-color=state_color(r.state)>{move || i18n.t(&key)}</span></td>
                                                        <td>{status_tag(i18n, r.agreement_status)}</td>
                                                        <td>{day(r.opened_at)}</td>
                                                        <td>{day(r.signed_at)}</td>
                                                        <td>{if r.reminders > 0 { format!("{} ({})", day(r.reminded_at), r.reminders) } else { String::new() }}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {next.map(|c| {
                                    let href = with_query(&here(), &[("state", state_filter.get_untracked()), ("cursor", Some(c))]);
                                    view! { <p><A href=href attr:class="ds-link">{i18n.tr("agreements-next")}</A></p> }
                                })}
                            }.into_any()
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}
