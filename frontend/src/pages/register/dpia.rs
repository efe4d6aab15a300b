//! DPIA screening on a processing activity's page: tick the criteria and list entries that
//! apply, screen, and see whether a DPIA is needed and why — with the screenings so far.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use uuid::Uuid;
use vern_domain::OrganizationId;
use vern_domain::dpia::{
    DpiaQuestion, DpiaQuestionKind, ScreeningAnswers, ScreeningOutcome, ScreeningPage,
    ScreeningReason, questions,
};
use vern_i18n::Lang;

use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, utc_minutes};
use crate::i18n::{I18n, use_i18n};
use crate::session::use_session;

fn label(i18n: I18n, q: &DpiaQuestion) -> &'static str {
    match i18n.lang() {
        Lang::Nb => q.nb,
        Lang::Nn => q.nn,
        Lang::En => q.en,
    }
}

fn label_of(i18n: I18n, key: &str) -> String {
    vern_domain::dpia::question(key).map_or_else(|| key.to_owned(), |q| label(i18n, q).to_owned())
}

fn checkboxes(i18n: I18n, criteria: bool, chosen: RwSignal<Vec<String>>) -> impl IntoView {
    questions()
        .iter()
        .filter(move |q| matches!(q.kind, DpiaQuestionKind::Criterion) == criteria)
        .map(|q| {
            let k = q.key;
            let id = format!("dpia-{k}");
            let label_for = id.clone();
            let hint = match q.kind {
                DpiaQuestionKind::ListEntry { needs_criteria: 0 } => Some("dpia-always"),
                DpiaQuestionKind::ListEntry { .. } => Some("dpia-with-criterion"),
                DpiaQuestionKind::Criterion => None,
            };
            view! {
                <div class="ds-field">
                    <input class="ds-input" type="checkbox" id=id
                        prop:checked=move || chosen.with(|v| v.iter().any(|s| s == k))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|v| { v.retain(|s| s != k); if on { v.push(k.to_owned()) } });
                        }/>
                    <label class="ds-label" for=label_for data-weight="regular">
                        {move || label(i18n, q)}
                        {hint.map(|h| view! { " "<span class="ds-paragraph" data-size="sm">{move || i18n.t(h)}</span> })}
                    </label>
                </div>
            }
        })
        .collect_view()
}

#[component]
pub fn DpiaScreening(org: OrganizationId, activity: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let criteria = RwSignal::new(Vec::<String>::new());
    let entries = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<ApiError>);
    let outcome = RwSignal::new(None::<ScreeningOutcome>);
    let busy = RwSignal::new(false);
    let url =
        format!("/api/v1/organizations/{org}/processing-activities/{activity}/dpia-screenings");
    let list_url = url.clone();
    let history = LocalResource::new(move || {
        outcome.track();
        let url = list_url.clone();
        async move {
            session
                .authorized(|t| api::fetch_json::<ScreeningPage>(url.clone(), t))
                .await
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ScreeningAnswers {
            criteria: criteria.get_untracked(),
            list_entries: entries.get_untracked(),
        };
        let url = url.clone();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = session
                .authorized(|t| api::post_json::<_, ScreeningOutcome>(url.clone(), body.clone(), t))
                .await;
            busy.set(false);
            match result {
                Ok(o) => outcome.set(Some(o)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let reason = move |r: &ScreeningReason| match r {
        ScreeningReason::Criteria { count } => i18n.t_with(
            "dpia-reason-criteria",
            &[("count", usize::from(*count).into())],
        ),
        ScreeningReason::ListEntry { key } => {
            i18n.t_with("dpia-reason-list", &[("entry", label_of(i18n, key).into())])
        }
    };
    view! {
        <section class="vern-section" aria-labelledby="dpia-heading">
            <h2 class="ds-heading" data-size="sm" id="dpia-heading">{i18n.tr("dpia-title")}</h2>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("dpia-intro")}</p>
            <p><A href=format!("/organizations/{org}/processing-activities/{activity}/dpia") attr:class="ds-link">{i18n.tr("assessment-open")}</A></p>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <form class="vern-form" on:submit=submit novalidate>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("dpia-criteria")}</legend>
                    <div class="vern-checkbox-grid">{checkboxes(i18n, true, criteria)}</div>
                </fieldset>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("dpia-list")}</legend>
                    <div class="vern-checkbox-grid">{checkboxes(i18n, false, entries)}</div>
                </fieldset>
                <button class="ds-button" data-variant="secondary" type="submit" disabled=move || busy.get()>{i18n.tr("dpia-screen")}</button>
            </form>
            {move || outcome.get().map(|o| {
                let required = o.screening.result.dpia_required;
                let reasons: Vec<String> = o.screening.result.reasons.iter().map(reason).collect();
                view! {
                    <div class="ds-alert" data-color=if required { "warning" } else { "success" } role="status">
                        <p class="ds-paragraph"><strong>{move || if required { i18n.t("dpia-outcome-required") } else { i18n.t("dpia-outcome-not-required") }}</strong></p>
                        <ul class="vern-list">{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                    </div>
                }
            })}
            <Suspense fallback=|| ()>
                {move || history.get().and_then(Result::ok).filter(|p| !p.items.is_empty()).map(|page| view! {
                    <h3 class="ds-heading" data-size="xs">{i18n.tr("dpia-history")}</h3>
                    <ul class="vern-list">
                        {page.items.into_iter().map(|s| {
                            let required = s.result.dpia_required;
                            view! {
                                <li>
                                    {utc_minutes(s.screened_at)}" — "
                                    {move || if required { i18n.t("dpia-outcome-required") } else { i18n.t("dpia-outcome-not-required") }}
                                    {s.screened_by.map(|n| format!(" ({n})"))}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </Suspense>
        </section>
    }
}
