use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use vern_domain::access::audit::BreakReason;
use vern_domain::access::members::AuditVerification;

use super::org_from_path;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::session::use_session;

/// The organisation's audit log, newest first, and a check of its hash chain.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("audit-title"));
    let verdict = RwSignal::new(None::<AuditVerification>);
    let error = RwSignal::new(None::<ApiError>);
    // The filter being typed, and the one applied.
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let query = move || {
        let day = |d: String| (!d.is_empty()).then(|| format!("{d}T00:00:00Z"));
        crate::api::with_query(
            "",
            &[
                ("action", Some(action.get_untracked().trim().to_owned())),
                ("from", day(from.get_untracked())),
                ("to", day(to.get_untracked())),
            ],
        )
    };

    let events = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        let filter = applied.get();
        async move {
            match (ready, org) {
                (true, Some(org)) => Some(
                    session
                        .authorized(|t| api::list_audit_events(org, filter.clone(), t))
                        .await,
                ),
                _ => None,
            }
        }
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(query());
    };
    let export = move |_| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        let filter = query();
        spawn_local(async move {
            match session
                .authorized(|t| api::export_audit_events(org, filter.clone(), t))
                .await
            {
                Ok(csv) => {
                    error.set(None);
                    crate::download::save(&format!("audit-{org}.csv"), &csv, "text/csv");
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let verify = move |_| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::verify_audit_events(org, t))
                .await
            {
                Ok(v) => {
                    error.set(None);
                    verdict.set(Some(v));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <div class="vern-container">
            <p><A href="/account" attr:class="ds-link">{i18n.tr("nav-account")}</A></p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("audit-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("audit-intro")}</p>
            <form class="vern-form vern-filters" on:submit=apply>
                <div class="ds-field">
                    <label class="ds-label" for="audit-action">{i18n.tr("audit-filter-action")}</label>
                    <div class="ds-field__description" id="audit-action-hint">{i18n.tr("audit-filter-action-hint")}</div>
                    <input class="ds-input" id="audit-action" type="text" aria-describedby="audit-action-hint" bind:value=action/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="audit-from">{i18n.tr("audit-filter-from")}</label>
                    <input class="ds-input" id="audit-from" type="date" bind:value=from/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="audit-to">{i18n.tr("audit-filter-to")}</label>
                    <input class="ds-input" id="audit-to" type="date" bind:value=to/>
                </div>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("audit-filter-apply")}</button>
            </form>
            <p class="vern-tools">
                <button class="ds-button" data-variant="secondary" type="button" on:click=export>{i18n.tr("audit-export")}</button>
                <button class="ds-button" data-variant="secondary" type="button" on:click=verify>{i18n.tr("audit-verify")}</button>
            </p>
            <div role="status" class="vern-status">
                {move || verdict.get().map(|v| match v.broken {
                    None => i18n.t_with("audit-intact", &[("count", (v.checked as usize).into())]),
                    Some(b) => i18n.t_with("audit-broken", &[
                        ("sequence", b.sequence.to_string().into()),
                        ("reason", i18n.t(match b.reason {
                            BreakReason::Altered => "audit-reason-altered",
                            BreakReason::Unlinked => "audit-reason-unlinked",
                            BreakReason::Gap => "audit-reason-gap",
                        }).into()),
                    ]),
                })}
            </div>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match events.await {
                        None => view! { <Loading/> }.into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        Some(Ok(page)) if page.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("audit-empty")}</p> }.into_any(),
                        Some(Ok(page)) => view! {
                            <div class="vern-table-wrap">
                                <table class="ds-table" data-border="true">
                                    <caption class="ds-sr-only">{i18n.tr("audit-title")}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{i18n.tr("audit-col-sequence")}</th>
                                            <th scope="col">{i18n.tr("audit-col-time")}</th>
                                            <th scope="col">{i18n.tr("audit-col-action")}</th>
                                            <th scope="col">{i18n.tr("audit-col-target")}</th>
                                            <th scope="col">{i18n.tr("audit-col-outcome")}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.items.into_iter().map(|e| view! {
                                            <tr>
                                                <td>{e.sequence}</td>
                                                <td><time datetime=e.occurred_at.to_rfc3339()>{crate::components::utc_seconds(e.occurred_at)}</time></td>
                                                <td><code>{e.action}</code></td>
                                                <td>{format!("{} {}", e.target_type, e.target_id.unwrap_or_default())}</td>
                                                <td>{match e.outcome {
                                                    vern_domain::access::audit::Outcome::Success => "success",
                                                    vern_domain::access::audit::Outcome::Denied => "denied",
                                                    vern_domain::access::audit::Outcome::Failed => "failed",
                                                }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
