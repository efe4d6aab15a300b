//! The DPIA itself on a processing activity (Art. 35(7)): description, necessity and
//! proportionality, the risks with their measures, the DPO's advice, the data subjects' views
//! and the conclusion. Saved as a draft or completed; a copy of another municipality's shared
//! DPIA says where it came from.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;
use vern_domain::access::Permission;
use vern_domain::assessment::{
    Assessment, AssessmentContent, AssessmentInput, AssessmentStatus, Conclusion, Level, RiskEntry,
    inherent_risk,
};
use vern_domain::problem::FieldError;
use vern_domain::register::activity::Activity;

use super::{FieldErrors, field_errors_of};
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title, utc_minutes};
use crate::i18n::{I18n, use_i18n};
use crate::pages::admin::org_from_path;
use crate::pages::requests::key;
use crate::session::use_session;

#[derive(Clone, Copy)]
struct RiskRow {
    key: u32,
    description: RwSignal<String>,
    likelihood: RwSignal<Level>,
    severity: RwSignal<Level>,
    measures: RwSignal<String>,
    residual: RwSignal<Level>,
}

fn level_select(i18n: I18n, id: String, signal: RwSignal<Level>) -> impl IntoView {
    view! {
        <select class="ds-input" id=id on:change=move |ev| if let Some(l) = Level::parse(&event_target_value(&ev)) { signal.set(l) }>
            {Level::ALL.into_iter().map(|l| {
                let k = key("assessment-level", l.as_str());
                view! { <option value=l.as_str() selected=move || signal.get() == l>{move || i18n.t(&k)}</option> }
            }).collect_view()}
        </select>
    }
}

fn text_area(
    i18n: I18n,
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    signal: RwSignal<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="ds-field">
            <label class="ds-label" for=id>{i18n.tr(label)}</label>
            <p class="ds-paragraph" data-size="sm" id=hint_id.clone()>{i18n.tr(hint)}</p>
            <textarea class="ds-input" id=id rows="4" maxlength="8000" aria-describedby=hint_id bind:value=signal></textarea>
        </div>
    }
}

#[component]
pub fn AssessmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let params = use_params_map();
    let activity = Memo::new(move |_| params.get().get("aid").and_then(|v| v.parse::<Uuid>().ok()));
    set_title(i18n.tr("assessment-title"));
    let description = RwSignal::new(String::new());
    let necessity = RwSignal::new(String::new());
    let risks = RwSignal::new(Vec::<RiskRow>::new());
    let next_key = StoredValue::new(0u32);
    let dpo_advice = RwSignal::new(String::new());
    let subjects_views = RwSignal::new(String::new());
    let conclusion = RwSignal::new(String::new());
    let reasons = RwSignal::new(String::new());
    let current = RwSignal::new(None::<Assessment>);
    let name = RwSignal::new(String::new());
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let owner = StoredValue::new(Owner::current());
    let row = move |r: RiskEntry| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let make = || RiskRow {
            key,
            description: RwSignal::new(r.description),
            likelihood: RwSignal::new(r.likelihood),
            severity: RwSignal::new(r.severity),
            measures: RwSignal::new(r.measures),
            residual: RwSignal::new(r.residual),
        };
        match owner.get_value() {
            Some(o) => o.with(make),
            None => make(),
        }
    };
    let fill = move |a: &Assessment| {
        let c = &a.content;
        description.set(c.description.clone());
        necessity.set(c.necessity.clone());
        risks.set(c.risks.iter().cloned().map(row).collect());
        dpo_advice.set(c.dpo_advice.clone());
        subjects_views.set(c.subjects_views.clone());
        conclusion.set(
            c.conclusion
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
        );
        reasons.set(c.conclusion_reasons.clone());
    };
    Effect::new(move |_| {
        let (Some(org), Some(id), true) = (org.get(), activity.get(), session.ready.get()) else {
            return;
        };
        spawn_local(async move {
            let base = format!("/api/v1/organizations/{org}/processing-activities/{id}");
            if let Ok(a) = session
                .authorized(|t| api::fetch_json::<Activity>(base.clone(), t))
                .await
            {
                name.set(a.facts.name);
            }
            match session
                .authorized(|t| api::fetch_json::<Assessment>(format!("{base}/dpia-assessment"), t))
                .await
            {
                Ok(a) => {
                    fill(&a);
                    current.set(Some(a));
                }
                Err(ApiError::Problem(p)) if p.status == 404 => {}
                Err(e) => error.set(Some(e)),
            }
            loaded.set(true);
        });
    });
    let can_edit = move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::EditRegister))
    };
    let save = move |complete: bool| {
        let (Some(org), Some(id)) = (org.get_untracked(), activity.get_untracked()) else {
            return;
        };
        let body = AssessmentInput {
            content: AssessmentContent {
                description: description.get_untracked(),
                necessity: necessity.get_untracked(),
                risks: risks
                    .get_untracked()
                    .iter()
                    .map(|r| RiskEntry {
                        description: r.description.get_untracked(),
                        likelihood: r.likelihood.get_untracked(),
                        severity: r.severity.get_untracked(),
                        measures: r.measures.get_untracked(),
                        residual: r.residual.get_untracked(),
                    })
                    .collect(),
                dpo_advice: dpo_advice.get_untracked(),
                subjects_views: subjects_views.get_untracked(),
                conclusion: Conclusion::parse(&conclusion.get_untracked()),
                conclusion_reasons: reasons.get_untracked(),
            },
            complete,
        };
        let revision = current.get_untracked().map(|a| a.revision);
        busy.set(true);
        error.set(None);
        notice.set(None);
        spawn_local(async move {
            let url =
                format!("/api/v1/organizations/{org}/processing-activities/{id}/dpia-assessment");
            let result = session
                .authorized(|t| async {
                    match revision {
                        Some(r) => {
                            api::put_json::<_, Assessment>(url.clone(), body.clone(), r, t).await
                        }
                        None => {
                            api::put_json_plain::<_, Assessment>(url.clone(), body.clone(), t).await
                        }
                    }
                })
                .await;
            busy.set(false);
            match result {
                Ok(a) => {
                    field_errors.set(Vec::new());
                    notice.set(Some(i18n.t(if complete {
                        "assessment-completed"
                    } else {
                        "assessment-saved"
                    })));
                    current.set(Some(a));
                }
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(true);
    };
    view! {
        <div class="vern-container vern-narrow">
            <p>{move || org.get().zip(activity.get()).map(|(o, a)| view! {
                <A href=format!("/organizations/{o}/processing-activities/{a}") attr:class="ds-link">{move || name.get()}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("assessment-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("assessment-intro")}</p>
            {move || current.get().map(|a| {
                let status = key("assessment-status", a.status.as_str());
                let color = if a.status == AssessmentStatus::Completed { "success" } else { "warning" };
                view! {
                    <p class="ds-paragraph">
                        <span class="ds-tag" data-color=color>{move || i18n.t(&status)}</span>
                        " " {utc_minutes(a.updated_at)} {a.updated_by.clone().map(|n| format!(", {n}"))}
                    </p>
                    {a.copied_from.clone().map(|s| view! {
                        <p class="ds-paragraph" data-size="sm">{move || i18n.t_with("assessment-copied-from", &[("publisher", s.publisher_name.clone().into())])}</p>
                    })}
                }
            })}
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <Show when=move || loaded.get() fallback=|| view! { <Loading/> }>
                <form class="vern-form" on:submit=submit novalidate>
                    <FieldErrors errors=field_errors.into()/>
                    {text_area(i18n, "assessment-description", "field-description", "assessment-description-hint", description)}
                    {text_area(i18n, "assessment-necessity", "field-necessity", "assessment-necessity-hint", necessity)}
                    <fieldset class="ds-fieldset">
                        <legend class="ds-heading" data-size="xs">{i18n.tr("field-risks")}</legend>
                        <p class="ds-paragraph" data-size="sm">{i18n.tr("assessment-risks-hint")}</p>
                        <For each=move || risks.get() key=|r| r.key let:r>
                            {
                                let n = move || risks.with(|l| l.iter().position(|x| x.key == r.key).unwrap_or(0) + 1);
                                let id = |part: &str| format!("risk-{}-{part}", r.key);
                                let inherent = move || {
                                    let k = key("assessment-level", inherent_risk(r.likelihood.get(), r.severity.get()).as_str());
                                    i18n.t_with("assessment-inherent", &[("level", i18n.t(&k).into())])
                                };
                                view! {
                                    <fieldset class="ds-fieldset vern-subgroup">
                                        <legend class="ds-label">{move || i18n.t_with("assessment-risk-n", &[("n", n().into())])}</legend>
                                        <div class="ds-field">
                                            <label class="ds-label" for=id("description")>{i18n.tr("assessment-risk-description")}</label>
                                            <textarea class="ds-input" id=id("description") rows="2" maxlength="2000" bind:value=r.description></textarea>
                                        </div>
                                        <div class="vern-row">
                                            <div class="ds-field">
                                                <label class="ds-label" for=id("likelihood")>{i18n.tr("assessment-likelihood")}</label>
                                                {level_select(i18n, id("likelihood"), r.likelihood)}
                                            </div>
                                            <div class="ds-field">
                                                <label class="ds-label" for=id("severity")>{i18n.tr("assessment-severity")}</label>
                                                {level_select(i18n, id("severity"), r.severity)}
                                            </div>
                                        </div>
                                        <p class="ds-paragraph" data-size="sm" role="status">{inherent}</p>
                                        <div class="ds-field">
                                            <label class="ds-label" for=id("measures")>{i18n.tr("assessment-measures")}</label>
                                            <textarea class="ds-input" id=id("measures") rows="2" maxlength="2000" bind:value=r.measures></textarea>
                                        </div>
                                        <div class="ds-field">
                                            <label class="ds-label" for=id("residual")>{i18n.tr("assessment-residual")}</label>
                                            {level_select(i18n, id("residual"), r.residual)}
                                        </div>
                                        <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                                            aria-label=move || i18n.t_with("assessment-remove-risk", &[("n", n().into())])
                                            on:click=move |_| risks.update(|l| l.retain(|x| x.key != r.key))>
                                            {i18n.tr("register-remove")}
                                        </button>
                                    </fieldset>
                                }
                            }
                        </For>
                        <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                            on:click=move |_| {
                                let new = row(RiskEntry {
                                    description: String::new(),
                                    likelihood: Level::Medium,
                                    severity: Level::Medium,
                                    measures: String::new(),
                                    residual: Level::Low,
                                });
                                risks.update(|l| l.push(new));
                            }>
                            {i18n.tr("assessment-add-risk")}
                        </button>
                    </fieldset>
                    {text_area(i18n, "assessment-dpo-advice", "field-dpo-advice", "assessment-dpo-advice-hint", dpo_advice)}
                    {text_area(i18n, "assessment-subjects-views", "field-subjects-views", "assessment-subjects-views-hint", subjects_views)}
                    <div class="ds-field">
                        <label class="ds-label" for="assessment-conclusion">{i18n.tr("field-conclusion")}</label>
                        <select class="ds-input" id="assessment-conclusion" on:change=move |ev| conclusion.set(event_target_value(&ev))>
                            <option value="" selected=move || conclusion.get().is_empty()>{i18n.tr("assessment-conclusion-none")}</option>
                            {Conclusion::ALL.into_iter().map(|c| {
                                let k = key("assessment-conclusion", c.as_str());
                                view! { <option value=c.as_str() selected=move || conclusion.get() == c.as_str()>{move || i18n.t(&k)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    {text_area(i18n, "assessment-conclusion-reasons", "field-conclusion-reasons", "assessment-conclusion-reasons-hint", reasons)}
                    <Show when=can_edit>
                        <div class="vern-tools">
                            <button class="ds-button" data-variant="secondary" type="button" disabled=move || busy.get() on:click=move |_| save(false)>{i18n.tr("assessment-save-draft")}</button>
                            <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>{i18n.tr("assessment-complete")}</button>
                        </div>
                    </Show>
                </form>
            </Show>
            <div role="status" class="vern-status">{move || notice.get()}</div>
        </div>
    }
}
