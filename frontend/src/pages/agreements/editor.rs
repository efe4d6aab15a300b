//! Drafting an agreement: the processor, the systems it covers (the processor's products
//! in the register), the template and the terms that are a matter of choice. The rest of
//! the text comes from the register.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::agreements::terms::{AgreementTerms, Authorisation, EndOfContract};
use vern_domain::agreements::view::Agreement;
use vern_domain::organization::OrganizationPage;
use vern_domain::problem::FieldError;
use vern_domain::register::system::SystemPage;

use crate::api::{self, ApiError, OrgQuery};
use crate::components::{ErrorAlert, set_title};
use crate::i18n::use_i18n;
use crate::pages::admin::org_from_path;
use crate::pages::register::{FieldErrors, field_errors_of};
use crate::session::use_session;

/// Blank terms for a new draft.
pub(crate) fn blank_terms() -> AgreementTerms {
    AgreementTerms {
        title: String::new(),
        template: "state-nb".to_owned(),
        processor_id: OrganizationId::from_uuid(Uuid::nil()),
        system_ids: Vec::new(),
        nature: String::new(),
        start_date: None,
        end_date: None,
        review_date: None,
        authorisation: Authorisation::General,
        notice_period_days: Some(30),
        breach_notice_hours: Some(24),
        end_of_contract: Some(EndOfContract::ReturnThenDelete),
        audit_procedure: String::new(),
        instructions: String::new(),
        other_terms: String::new(),
        controller_contact: String::new(),
        controller_address: String::new(),
        processor_contact: String::new(),
        processor_address: String::new(),
        change_note: String::new(),
        scope: Default::default(),
    }
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn number_text(n: Option<u32>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

#[component]
pub fn NewAgreementPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let navigate = use_navigate();
    set_title(i18n.tr("agreement-new-title"));
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let on_submit = Callback::new(move |terms: AgreementTerms| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/agreements");
            match session
                .authorized(|t| api::post_json::<_, Agreement>(url.clone(), terms.clone(), t))
                .await
            {
                Ok(a) => navigate(&format!("/agreements/{}", a.id), Default::default()),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    });
    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/agreements") attr:class="ds-link">{i18n.tr("agreements-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("agreement-new-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("agreement-new-intro")}</p>
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            {move || org.get().map(|o| view! {
                <TermsForm org=o initial=blank_terms() editing=false field_errors=field_errors on_submit=on_submit/>
            })}
        </div>
    }
}

/// The drafter's form, for a new agreement and for changing one (a new version).
#[component]
pub(crate) fn TermsForm(
    org: OrganizationId,
    initial: AgreementTerms,
    editing: bool,
    field_errors: RwSignal<Vec<FieldError>>,
    on_submit: Callback<AgreementTerms>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let t = initial;
    // What the controller stated about the processing is kept as it was (the API sets it;
    // this form does not edit it yet).
    let scope = StoredValue::new(t.scope.clone());
    let title = RwSignal::new(t.title.clone());
    let template = RwSignal::new(t.template.clone());
    let processor = RwSignal::new(if t.processor_id.into_uuid().is_nil() {
        String::new()
    } else {
        t.processor_id.to_string()
    });
    let systems = RwSignal::new(t.system_ids.clone());
    let nature = RwSignal::new(t.nature.clone());
    let start = RwSignal::new(date_text(t.start_date));
    let end = RwSignal::new(date_text(t.end_date));
    let review = RwSignal::new(date_text(t.review_date));
    let general = RwSignal::new(t.authorisation == Authorisation::General);
    let notice = RwSignal::new(number_text(t.notice_period_days));
    let breach = RwSignal::new(number_text(t.breach_notice_hours));
    let ending = RwSignal::new(
        match t.end_of_contract {
            Some(EndOfContract::Delete) => "delete",
            Some(EndOfContract::Return) => "return",
            Some(EndOfContract::ReturnThenDelete) => "return_then_delete",
            None => "",
        }
        .to_owned(),
    );
    let audit = RwSignal::new(t.audit_procedure.clone());
    let instructions = RwSignal::new(t.instructions.clone());
    let other = RwSignal::new(t.other_terms.clone());
    let c_contact = RwSignal::new(t.controller_contact.clone());
    let c_address = RwSignal::new(t.controller_address.clone());
    let p_contact = RwSignal::new(t.processor_contact.clone());
    let p_address = RwSignal::new(t.processor_address.clone());
    let note = RwSignal::new(String::new());

    let templates = LocalResource::new(move || {
        let ready = session.ready.get();
        async move {
            if !ready {
                return None;
            }
            Some(super::templates::template_options(session, org).await)
        }
    });
    let vendors = LocalResource::new(move || async move {
        api::list_organizations(&OrgQuery {
            kind: Some("vendor".into()),
            ..Default::default()
        })
        .await
        .map(|p: OrganizationPage| p.items)
        .unwrap_or_default()
    });
    let own_systems = LocalResource::new(move || {
        let ready = session.ready.get();
        async move {
            if !ready {
                return Vec::new();
            }
            let url = format!("/api/v1/organizations/{org}/systems?limit=500");
            session
                .authorized(|t| api::fetch_json::<SystemPage>(url.clone(), t))
                .await
                .map(|p| p.items)
                .unwrap_or_default()
        }
    });
    // The systems on the chosen processor's products.
    let candidates = move || {
        let vendor_name = vendors.get().and_then(|list| {
            list.into_iter()
                .find(|v| v.id.to_string() == processor.get())
                .map(|v| v.name)
        });
        let Some(vendor_name) = vendor_name else {
            return Vec::new();
        };
        own_systems
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.vendor_name.as_deref() == Some(vendor_name.as_str()))
            .collect::<Vec<_>>()
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut errors = Vec::new();
        let mut date = |field: &str, raw: String| -> Option<NaiveDate> {
            if raw.trim().is_empty() {
                return None;
            }
            let parsed = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
            if parsed.is_none() {
                errors.push(FieldError {
                    field: field.into(),
                    code: "not_a_date".into(),
                });
            }
            parsed
        };
        let start_date = date("start_date", start.get_untracked());
        let end_date = date("end_date", end.get_untracked());
        let review_date = date("review_date", review.get_untracked());
        let number = |raw: String| raw.trim().parse::<u32>().ok();
        let processor_id = processor.get_untracked().parse::<Uuid>().ok();
        if processor_id.is_none() {
            errors.push(FieldError {
                field: "processor_id".into(),
                code: "required".into(),
            });
        }
        if !errors.is_empty() {
            field_errors.set(errors);
            return;
        }
        field_errors.set(Vec::new());
        on_submit.run(AgreementTerms {
            title: title.get_untracked(),
            template: template.get_untracked(),
            processor_id: OrganizationId::from_uuid(processor_id.unwrap_or_default()),
            system_ids: systems.get_untracked(),
            nature: nature.get_untracked(),
            start_date,
            end_date,
            review_date,
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
            instructions: instructions.get_untracked(),
            other_terms: other.get_untracked(),
            controller_contact: c_contact.get_untracked(),
            controller_address: c_address.get_untracked(),
            processor_contact: p_contact.get_untracked(),
            processor_address: p_address.get_untracked(),
            change_note: note.get_untracked(),
            scope: scope.get_value(),
        });
    };

    let text_field = move |id: &'static str,
                           label: &'static str,
                           signal: RwSignal<String>,
                           hint: Option<&'static str>| {
        let described = hint.map(|_| format!("{id}-hint"));
        view! {
            <div class="ds-field">
                <label class="ds-label" for=id>{i18n.tr(label)}</label>
                {hint.map(|h| view! { <p class="ds-paragraph" data-size="sm" id=format!("{id}-hint")>{i18n.tr(h)}</p> })}
                <input class="ds-input" id=id type="text" maxlength="300" aria-describedby=described bind:value=signal/>
            </div>
        }
    };
    let area = move |id: &'static str, label: &'static str, signal: RwSignal<String>| {
        view! {
            <div class="ds-field">
                <label class="ds-label" for=id>{i18n.tr(label)}</label>
                <textarea class="ds-input" id=id rows="3" maxlength="4000" bind:value=signal></textarea>
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
        <form class="vern-form" on:submit=submit novalidate>
            <FieldErrors errors=field_errors.into()/>
            {text_field("agreement-title", "agreement-field-title", title, None)}
            <div class="ds-field">
                <label class="ds-label" for="agreement-template">{i18n.tr("agreement-field-template")}</label>
                <select class="ds-input" id="agreement-template" on:change=move |ev| template.set(event_target_value(&ev))>
                    {move || templates.get().flatten().unwrap_or_default().into_iter().map(|(key, name_nb, name_en)| {
                        let name = if i18n.lang() == vern_i18n::Lang::En { name_en } else { name_nb };
                        view! { <option value=key.clone() selected=move || template.get() == key>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="agreement-processor">{i18n.tr("agreement-field-processor")}</label>
                <select class="ds-input" id="agreement-processor" disabled=editing on:change=move |ev| { processor.set(event_target_value(&ev)); systems.set(Vec::new()); }>
                    <option value="" selected=move || processor.get().is_empty()>{i18n.tr("agreement-choose-processor")}</option>
                    {move || vendors.get().unwrap_or_default().into_iter().map(|v| {
                        let id = v.id.to_string();
                        view! { <option value=id.clone() selected=move || processor.get() == id>{v.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="ds-fieldset">
                <legend class="ds-label">{i18n.tr("agreement-field-systems")}</legend>
                {move || {
                    let list = candidates();
                    if list.is_empty() {
                        view! { <p class="ds-paragraph" data-size="sm">{i18n.tr("agreement-no-systems")}</p> }.into_any()
                    } else {
                        list.into_iter().map(|s| {
                            let id = s.id;
                            let input_id = format!("agreement-system-{id}");
                            view! {
                                <div class="ds-field">
                                    <input class="ds-input" type="checkbox" id=input_id.clone()
                                        prop:checked=move || systems.get().contains(&id)
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            systems.update(|list| { list.retain(|x| *x != id); if on { list.push(id); } });
                                        }/>
                                    <label class="ds-label" for=input_id data-weight="regular">{format!("{} ({})", s.facts.name, s.product_name.clone().unwrap_or_default())}</label>
                                </div>
                            }
                        }).collect_view().into_any()
                    }
                }}
            </fieldset>
            {area("agreement-nature", "agreement-field-nature", nature)}
            {date_field("agreement-start", "agreement-field-start", start)}
            {date_field("agreement-end", "agreement-field-end", end)}
            {date_field("agreement-review", "agreement-field-review", review)}
            <fieldset class="ds-fieldset">
                <legend class="ds-label">{i18n.tr("agreement-field-authorisation")}</legend>
                <div class="ds-field">
                    <input class="ds-input" type="radio" id="agreement-general" name="authorisation" prop:checked=move || general.get() on:change=move |_| general.set(true)/>
                    <label class="ds-label" for="agreement-general" data-weight="regular">{i18n.tr("agreement-authorisation-general")}</label>
                </div>
                <div class="ds-field">
                    <input class="ds-input" type="radio" id="agreement-specific" name="authorisation" prop:checked=move || !general.get() on:change=move |_| general.set(false)/>
                    <label class="ds-label" for="agreement-specific" data-weight="regular">{i18n.tr("agreement-authorisation-specific")}</label>
                </div>
            </fieldset>
            <div class="ds-field">
                <label class="ds-label" for="agreement-notice">{i18n.tr("agreement-field-notice")}</label>
                <input class="ds-input" id="agreement-notice" type="number" min="1" max="365" inputmode="numeric" bind:value=notice/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="agreement-breach">{i18n.tr("agreement-field-breach")}</label>
                <input class="ds-input" id="agreement-breach" type="number" min="1" max="72" inputmode="numeric" bind:value=breach/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="agreement-ending">{i18n.tr("agreement-field-ending")}</label>
                <select class="ds-input" id="agreement-ending" on:change=move |ev| ending.set(event_target_value(&ev))>
                    <option value="" selected=move || ending.get().is_empty()>{i18n.tr("agreement-choose")}</option>
                    <option value="delete" selected=move || ending.get() == "delete">{i18n.tr("agreement-ending-delete")}</option>
                    <option value="return" selected=move || ending.get() == "return">{i18n.tr("agreement-ending-return")}</option>
                    <option value="return_then_delete" selected=move || ending.get() == "return_then_delete">{i18n.tr("agreement-ending-return-then-delete")}</option>
                </select>
            </div>
            {area("agreement-audit", "agreement-field-audit", audit)}
            {area("agreement-instructions", "agreement-field-instructions", instructions)}
            {area("agreement-other", "agreement-field-other", other)}
            {text_field("agreement-controller-contact", "agreement-field-controller-contact", c_contact, Some("agreement-contact-hint"))}
            {text_field("agreement-controller-address", "agreement-field-controller-address", c_address, None)}
            {text_field("agreement-processor-contact", "agreement-field-processor-contact", p_contact, None)}
            {text_field("agreement-processor-address", "agreement-field-processor-address", p_address, None)}
            {editing.then(|| text_field("agreement-note", "agreement-field-note", note, None))}
            <button class="ds-button" data-variant="primary" type="submit">
                {if editing { i18n.tr("agreement-save-version") } else { i18n.tr("agreement-create") }}
            </button>
        </form>
    }
}
