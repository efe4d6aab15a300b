//! The resident portal (`/innsyn`): log in with the identity provider, send a request to a
//! municipality, follow it, and read the answer in the secure window. The session is a cookie
//! the API set at login; nothing of it is kept in the page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;
use vern_domain::problem::{FieldError, ProblemCode};
use vern_domain::requests::RequestKind;
use vern_domain::requests::resident::{
    AnswerState, ResidentAnswer, ResidentMe, ResidentRequest, ResidentRequestPage,
    ResidentSubmission,
};

use super::{key, optional, status_tag, subject_checkboxes};
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title, utc_date, utc_minutes};
use crate::i18n::use_i18n;
use crate::pages::register::{FieldErrors, field_errors_of};

#[derive(Debug, Clone, serde::Deserialize)]
struct MunicipalityList {
    items: Vec<vern_domain::requests::resident::PortalMunicipality>,
}

fn login_href(return_to: &str, fresh: bool) -> String {
    api::with_query(
        "/api/v1/resident/login",
        &[
            ("return_to", Some(return_to.to_owned())),
            ("fresh", fresh.then(|| "true".to_owned())),
        ],
    )
}

fn is_unauthenticated(e: &ApiError) -> bool {
    matches!(e, ApiError::Problem(p) if p.code == ProblemCode::Unauthenticated)
}

/// The login box shown when nobody is logged in, with the reason a login just failed.
#[component]
fn PortalLogin(return_to: String) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let failure = move || {
        query
            .get()
            .get("login_error")
            .map(|c| key("portal-login-error", &c))
    };
    view! {
        <section class="vern-panel" aria-labelledby="portal-login-heading">
            <h2 class="ds-heading" data-size="sm" id="portal-login-heading">{i18n.tr("portal-login-heading")}</h2>
            {move || failure().map(|k| view! {
                <div class="ds-alert" data-color="danger" role="alert">
                    <p class="ds-paragraph">{move || i18n.t(&k)}</p>
                </div>
            })}
            <p class="ds-paragraph">{i18n.tr("portal-login-intro")}</p>
            <a class="ds-button" data-variant="primary" href=login_href(&return_to, false) rel="external">
                {i18n.tr("portal-login")}
            </a>
        </section>
    }
}

#[component]
pub fn PortalPage() -> impl IntoView {
    let i18n = use_i18n();
    set_title(i18n.tr("portal-title"));
    let reload = RwSignal::new(0u32);
    let me = LocalResource::new(move || {
        reload.track();
        async move { api::resident_get::<ResidentMe>("/api/v1/resident/me".to_owned()).await }
    });
    let logout = move |_| {
        spawn_local(async move {
            let _ = api::resident_logout().await;
            reload.update(|n| *n += 1);
        });
    };
    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("portal-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("portal-intro")}</p>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || me.get().map(|result| match result {
                    Err(e) if is_unauthenticated(&e) => view! { <PortalLogin return_to="/innsyn".to_owned()/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(me) => view! {
                        <p class="ds-paragraph">
                            {move || i18n.t_with("portal-logged-in-as", &[("id", me.national_id_masked.clone().into())])}
                            " "
                            <button class="ds-button" data-variant="tertiary" data-size="sm" type="button" on:click=logout>
                                {i18n.tr("portal-logout")}
                            </button>
                        </p>
                        <MyRequests/>
                        <crate::pages::consents::MyConsents/>
                        <NewPortalRequest/>
                    }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn MyRequests() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(|| async {
        api::resident_get::<ResidentRequestPage>("/api/v1/resident/requests?limit=100".to_owned())
            .await
    });
    view! {
        <section aria-labelledby="portal-mine-heading">
            <h2 class="ds-heading" data-size="sm" id="portal-mine-heading">{i18n.tr("portal-mine")}</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || list.get().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! {
                        <p class="ds-paragraph">{i18n.tr("portal-none")}</p>
                    }.into_any(),
                    Ok(page) => view! {
                        <div class="vern-table-wrap">
                            <table class="ds-table" data-border="true" data-zebra="true">
                                <caption class="ds-sr-only">{i18n.tr("portal-mine")}</caption>
                                <thead><tr>
                                    <th scope="col">{i18n.tr("portal-col-reference")}</th>
                                    <th scope="col">{i18n.tr("portal-col-municipality")}</th>
                                    <th scope="col">{i18n.tr("dsr-field-kind")}</th>
                                    <th scope="col">{i18n.tr("dsr-status")}</th>
                                    <th scope="col">{i18n.tr("portal-col-due")}</th>
                                    <th scope="col">{i18n.tr("portal-col-answer")}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|r| {
                                        let kind_key = key("dsr-kind", r.kind.as_str());
                                        let answer_key = key("portal-answer", r.answer.as_str());
                                        view! {
                                            <tr>
                                                <td><A href=format!("/innsyn/{}", r.id) attr:class="ds-link">{r.reference.clone()}</A></td>
                                                <td>{r.municipality.name.clone()}</td>
                                                <td>{move || i18n.t(&kind_key)}</td>
                                                <td>{status_tag(i18n, r.status)}</td>
                                                <td>{r.due_on.map(|d| d.to_string()).unwrap_or_default()}</td>
                                                <td>{move || i18n.t(&answer_key)}</td>
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
fn NewPortalRequest() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let municipalities = LocalResource::new(|| async {
        api::resident_get::<MunicipalityList>("/api/v1/resident/municipalities".to_owned()).await
    });
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let org = RwSignal::new(String::new());
    let kind = RwSignal::new(RequestKind::Access);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let subjects = RwSignal::new(Vec::<String>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(organization_id) = org.get_untracked().parse::<Uuid>() else {
            field_errors.set(vec![FieldError::new("organization_id", "required")]);
            return;
        };
        let body = ResidentSubmission {
            organization_id,
            kind: kind.get_untracked(),
            name: name.get_untracked(),
            email: optional(email.get_untracked()),
            phone: None,
            description: description.get_untracked(),
            subject_categories: subjects.get_untracked(),
        };
        field_errors.set(Vec::new());
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::resident_post::<_, ResidentRequest>(
                "/api/v1/resident/requests".to_owned(),
                body,
            )
            .await;
            busy.set(false);
            match result {
                Ok(r) => navigate(&format!("/innsyn/{}", r.summary.id), Default::default()),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="portal-new-heading">
            <h2 class="ds-heading" data-size="sm" id="portal-new-heading">{i18n.tr("portal-new")}</h2>
            <p class="ds-paragraph">{i18n.tr("portal-new-intro")}</p>
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <form class="vern-form" on:submit=submit novalidate>
                <FieldErrors errors=field_errors.into()/>
                <div class="ds-field">
                    <label class="ds-label" for="portal-municipality">{i18n.tr("portal-field-municipality")}</label>
                    <select class="ds-input" id="portal-municipality" on:change=move |ev| org.set(event_target_value(&ev))>
                        <option value="">{i18n.tr("portal-choose")}</option>
                        <Suspense fallback=|| ()>
                            {move || municipalities.get().and_then(Result::ok).map(|list| list.items.into_iter().map(|m| {
                                let value = m.id.to_string();
                                view! { <option value=value.clone() selected=move || org.get() == value>{m.name}</option> }
                            }).collect_view())}
                        </Suspense>
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="portal-kind">{i18n.tr("dsr-field-kind")}</label>
                    <select class="ds-input" id="portal-kind" on:change=move |ev| if let Some(k) = RequestKind::parse(&event_target_value(&ev)) { kind.set(k) }>
                        {RequestKind::ALL.into_iter().map(|k| {
                            let label = key("dsr-kind", k.as_str());
                            view! { <option value=k.as_str() selected=move || kind.get() == k>{move || i18n.t(&label)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="portal-name">{i18n.tr("dsr-field-name")}</label>
                    <input class="ds-input" id="portal-name" type="text" autocomplete="name" maxlength="200" bind:value=name/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="portal-email">{i18n.tr("portal-field-email")}</label>
                    <p class="ds-paragraph" data-size="sm" id="portal-email-hint">{i18n.tr("portal-field-email-hint")}</p>
                    <input class="ds-input" id="portal-email" type="email" autocomplete="email" maxlength="500" aria-describedby="portal-email-hint" bind:value=email/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="portal-description">{i18n.tr("portal-field-description")}</label>
                    <textarea class="ds-input" id="portal-description" rows="6" maxlength="20000" bind:value=description></textarea>
                </div>
                <fieldset class="ds-fieldset" aria-describedby="portal-subjects-hint">
                    <legend class="ds-label">{i18n.tr("portal-field-subjects")}</legend>
                    <p class="ds-paragraph" data-size="sm" id="portal-subjects-hint">{i18n.tr("portal-field-subjects-hint")}</p>
                    {subject_checkboxes(i18n, "portal-subject", subjects)}
                </fieldset>
                <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t("portal-sending") } else { i18n.t("portal-send") }}
                </button>
            </form>
        </section>
    }
}

#[component]
pub fn PortalRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    set_title(i18n.tr("portal-title"));
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("rid").and_then(|v| v.parse::<Uuid>().ok()));
    let reload = RwSignal::new(0u32);
    let request = LocalResource::new(move || {
        reload.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => {
                    api::resident_get::<ResidentRequest>(format!("/api/v1/resident/requests/{id}"))
                        .await
                }
                None => Err(ApiError::Network),
            }
        }
    });
    view! {
        <div class="vern-container">
            <p><A href="/innsyn" attr:class="ds-link">{i18n.tr("portal-back")}</A></p>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || request.get().map(|result| match result {
                    Err(e) if is_unauthenticated(&e) => {
                        let here = id.get().map(|i| format!("/innsyn/{i}")).unwrap_or_else(|| "/innsyn".to_owned());
                        view! { <PortalLogin return_to=here/> }.into_any()
                    }
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(r) => view! { <PortalRequestView request=r reload=reload/> }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn PortalRequestView(request: ResidentRequest, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let s = request.summary.clone();
    let kind_key = key("dsr-kind", s.kind.as_str());
    let answer_key = key("portal-answer", s.answer.as_str());
    let id = s.id;
    view! {
        <h1 class="ds-heading" data-size="lg">
            {move || i18n.t_with("portal-request-heading", &[("reference", s.reference.clone().into())])}
        </h1>
        <dl class="vern-facts">
            <dt>{i18n.tr("portal-col-municipality")}</dt><dd>{s.municipality.name.clone()}</dd>
            <dt>{i18n.tr("dsr-field-kind")}</dt><dd>{move || i18n.t(&kind_key)}</dd>
            <dt>{i18n.tr("dsr-status")}</dt><dd>{status_tag(i18n, s.status)}</dd>
            <dt>{i18n.tr("portal-received")}</dt><dd>{s.received_on.to_string()}</dd>
            {s.due_on.map(|d| view! { <dt>{i18n.tr("portal-col-due")}</dt><dd>{d.to_string()}</dd> })}
            <dt>{i18n.tr("portal-col-answer")}</dt><dd>{move || i18n.t(&answer_key)}</dd>
            {s.answer_until.filter(|_| s.answer == AnswerState::Ready).map(|u| view! {
                <dt>{i18n.tr("portal-readable-until")}</dt><dd>{utc_date(u)}</dd>
            })}
        </dl>
        {(s.answer == AnswerState::Ready).then(|| view! { <AnswerWindow id=id/> })}
        <PortalAttachments id=id open=s.status.is_open()/>
        {s.status.is_open().then(|| view! { <Withdraw id=id reload=reload/> })}
        {request.description.map(|d| view! {
            <h2 class="ds-heading" data-size="xs">{i18n.tr("portal-you-wrote")}</h2>
            <p class="ds-paragraph vern-pre">{d}</p>
        })}
        <section aria-labelledby="portal-notices-heading">
            <h2 class="ds-heading" data-size="sm" id="portal-notices-heading">{i18n.tr("portal-notices")}</h2>
            <ul class="vern-list">
                {request.notices.into_iter().map(|n| {
                    let k = key("portal-notice", n.kind.as_str());
                    view! {
                        <li>
                            <strong>{utc_minutes(n.at)}</strong>" "
                            {move || i18n.t(&k)}
                            {n.text.map(|t| view! { <p class="ds-paragraph vern-pre" data-size="sm">{t}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The answer, opened on request: the API wants a fresh login, and every reading is logged.
#[component]
fn AnswerWindow(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let answer = RwSignal::new(None::<ResidentAnswer>);
    let error = RwSignal::new(None::<ApiError>);
    let needs_login = RwSignal::new(false);
    let open = move || {
        spawn_local(async move {
            match api::resident_get::<ResidentAnswer>(format!(
                "/api/v1/resident/requests/{id}/answer"
            ))
            .await
            {
                Ok(a) => answer.set(Some(a)),
                Err(ApiError::Problem(p)) if p.code == ProblemCode::FreshLoginRequired => {
                    needs_login.set(true)
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // Coming back from the fresh login opens it at once.
    let query = use_query_map();
    if query.get_untracked().get("read").is_some() {
        open();
    }
    view! {
        <section class="vern-panel" aria-labelledby="portal-answer-heading">
            <h2 class="ds-heading" data-size="sm" id="portal-answer-heading">{i18n.tr("portal-answer-heading")}</h2>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || match answer.get() {
                Some(a) => {
                    let ground = a.refusal_ground.map(|g| key("dsr-ground", g.as_str()));
                    view! {
                        {ground.map(|k| view! { <p class="ds-paragraph"><strong>{move || i18n.t(&k)}</strong></p> })}
                        <div class="vern-pre ds-paragraph" tabindex="0" aria-label=move || i18n.t("portal-answer-heading")>{a.text}</div>
                        <p class="ds-paragraph" data-size="sm">
                            {move || i18n.t_with("portal-readable-note", &[("until", utc_date(a.readable_until).into())])}
                        </p>
                        <a class="ds-link" href=format!("/api/v1/resident/requests/{id}/answer/download") download="">
                            {i18n.tr("portal-download")}
                        </a>
                    }.into_any()
                }
                None if needs_login.get() => view! {
                    <p class="ds-paragraph">{i18n.tr("portal-fresh-needed")}</p>
                    <a class="ds-button" data-variant="primary" href=login_href(&format!("/innsyn/{id}?read=1"), true) rel="external">
                        {i18n.tr("portal-fresh-login")}
                    </a>
                }.into_any(),
                None => view! {
                    <p class="ds-paragraph">{i18n.tr("portal-answer-ready-intro")}</p>
                    <button class="ds-button" data-variant="primary" type="button" on:click=move |_| open()>
                        {i18n.tr("portal-read")}
                    </button>
                }.into_any(),
            }}
        </section>
    }
}

/// The files the resident attached, and — while the case is open — a way to add one.
#[component]
fn PortalAttachments(id: Uuid, open: bool) -> impl IntoView {
    use vern_domain::requests::attachment::{Attachment, AttachmentList};
    use wasm_bindgen::JsCast;
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let files = LocalResource::new(move || {
        reload.track();
        async move {
            api::resident_get::<AttachmentList>(format!(
                "/api/v1/resident/requests/{id}/attachments"
            ))
            .await
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(file) = input
            .get_untracked()
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|el| el.files())
            .and_then(|list| list.get(0))
        else {
            field_errors.set(vec![FieldError::new("file", "required")]);
            return;
        };
        let url = api::with_query(
            &format!("/api/v1/resident/requests/{id}/attachments"),
            &[("file_name", Some(file.name()))],
        );
        field_errors.set(Vec::new());
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = api::resident_upload::<Attachment>(url, file).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    if let Some(el) = input.get_untracked() {
                        el.set_value("");
                    }
                    reload.update(|n| *n += 1);
                }
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="portal-files-heading">
            <h2 class="ds-heading" data-size="sm" id="portal-files-heading">{i18n.tr("portal-files")}</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || files.get().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(list) if list.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("portal-files-none")}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="vern-list">
                            {list.items.into_iter().map(|f| view! {
                                <li>{f.file_name.unwrap_or_default()}" ("{f.size.div_ceil(1024)}" KiB)"</li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            {open.then(|| view! {
                {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
                <form class="vern-form" on:submit=upload novalidate>
                    <FieldErrors errors=field_errors.into()/>
                    <div class="ds-field">
                        <label class="ds-label" for="portal-file">{i18n.tr("portal-file")}</label>
                        <p class="ds-paragraph" data-size="sm" id="portal-file-hint">{i18n.tr("portal-file-hint")}</p>
                        <input class="ds-input" id="portal-file" type="file" accept=".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain" aria-describedby="portal-file-hint" node_ref=input/>
                    </div>
                    <button class="ds-button" data-variant="secondary" type="submit" disabled=move || busy.get()>
                        {i18n.tr("portal-attach")}
                    </button>
                </form>
            })}
        </section>
    }
}

/// Withdrawing the request, with a second confirming step.
#[component]
fn Withdraw(id: Uuid, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let confirm = move |_| {
        spawn_local(async move {
            match api::resident_post::<_, ResidentRequest>(
                format!("/api/v1/resident/requests/{id}/withdraw"),
                serde_json::json!({}),
            )
            .await
            {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="portal-withdraw-heading">
            <h2 class="ds-heading" data-size="xs" id="portal-withdraw-heading">{i18n.tr("portal-withdraw-heading")}</h2>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || if asking.get() {
                view! {
                    <p class="ds-paragraph" role="alert">{i18n.tr("portal-withdraw-confirm")}</p>
                    <button class="ds-button" data-variant="primary" data-color="danger" type="button" on:click=confirm>{i18n.tr("portal-withdraw-yes")}</button>
                    " "
                    <button class="ds-button" data-variant="secondary" type="button" on:click=move |_| asking.set(false)>{i18n.tr("portal-withdraw-no")}</button>
                }.into_any()
            } else {
                view! {
                    <button class="ds-button" data-variant="secondary" type="button" on:click=move |_| asking.set(true)>{i18n.tr("portal-withdraw")}</button>
                }.into_any()
            }}
        </section>
    }
}
