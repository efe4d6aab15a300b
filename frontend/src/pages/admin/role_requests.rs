use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use uuid::Uuid;
use vern_domain::access::RequestState;

use super::org_from_path;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::pages::auth::role_key;
use crate::session::use_session;

/// The i18n key naming a request state.
pub fn request_state_key(state: RequestState) -> String {
    format!("request-state-{}", state.as_str())
}

/// The administrator's queue: role requests with their justification; approve or deny.
#[component]
pub fn RoleRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("requests-title"));
    let version = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let requests = LocalResource::new(move || {
        version.get();
        let ready = session.ready.get();
        let org = org.get();
        async move {
            match (ready, org) {
                (true, Some(org)) => Some(
                    session
                        .authorized(|t| api::list_role_requests(org, t))
                        .await,
                ),
                _ => None,
            }
        }
    });
    let decide = move |id: Uuid, action: &'static str, note: Option<String>| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::decide_role_request(org, id, action, note.clone(), t))
                .await
            {
                Ok(_) => {
                    error.set(None);
                    notice.set(Some(i18n.t(&format!("requests-{action}d"))));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <div class="vern-container">
            <p><A href="/account" attr:class="ds-link">{i18n.tr("nav-account")}</A></p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("requests-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("requests-intro")}</p>
            <div role="status" class="vern-status">{move || notice.get()}</div>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match requests.await {
                        None => view! { <Loading/> }.into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        Some(Ok(page)) if page.items.is_empty() => view! {
                            <p class="ds-paragraph">{i18n.tr("requests-empty")}</p>
                        }.into_any(),
                        Some(Ok(page)) => page.items.into_iter().map(|r| {
                            let id = r.id;
                            let pending = r.state == RequestState::Pending;
                            let role = role_key(r.role);
                            let state = request_state_key(r.state);
                            let note = RwSignal::new(String::new());
                            let note_id = format!("note-{id}");
                            let heading = format!("{} ({})", r.user_display_name, r.user_email);
                            view! {
                                <article class="vern-card" aria-labelledby=format!("req-{id}")>
                                    <h2 class="ds-heading" data-size="xs" id=format!("req-{id}")>{heading}</h2>
                                    <dl class="vern-facts">
                                        <dt>{i18n.tr("members-grant-role")}</dt>
                                        <dd>{i18n.tr_owned(role.clone())}</dd>
                                        <dt>{i18n.tr("requests-justification")}</dt>
                                        <dd>{r.justification}</dd>
                                        <dt>{i18n.tr("members-col-status")}</dt>
                                        <dd>{i18n.tr_owned(state.clone())}</dd>
                                    </dl>
                                    {pending.then(|| view! {
                                        <div class="ds-field">
                                            <label class="ds-label" for=note_id.clone()>{i18n.tr("requests-note")}</label>
                                            <input class="ds-input" id=note_id type="text" maxlength="500" bind:value=note/>
                                        </div>
                                        <div class="vern-tools">
                                            <button type="button" class="ds-button" data-variant="primary"
                                                on:click=move |_| decide(id, "approve", Some(note.get_untracked()))>
                                                {i18n.tr("requests-approve")}
                                            </button>
                                            <button type="button" class="ds-button" data-variant="secondary"
                                                on:click=move |_| decide(id, "deny", Some(note.get_untracked()))>
                                                {i18n.tr("requests-deny")}
                                            </button>
                                        </div>
                                    })}
                                </article>
                            }
                        }).collect_view().into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
