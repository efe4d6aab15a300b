use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use uuid::Uuid;
use vern_domain::access::role_request::NewRoleRequest;
use vern_domain::access::{Permission, RequestState, Role};

use super::role_key;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::pages::admin::request_state_key;
use crate::pages::organizations::kind_key;
use crate::session::use_session;

/// The logged-in user: who they are, where they belong and with which roles.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    set_title(i18n.tr("account-title"));

    let log_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            session.log_out().await;
            navigate("/login", Default::default());
        });
    };

    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("account-title")}</h1>
            <Show when=move || session.ready.get() fallback=Loading>
                {
                    let log_out = log_out.clone();
                    move || match session.current.get() {
                        None => view! {
                            <p class="ds-paragraph">{i18n.tr("account-logged-out")}</p>
                            <p><A href="/login" attr:class="ds-link">{i18n.tr("nav-login")}</A></p>
                        }.into_any(),
                        Some(info) => {
                            let me = info.me;
                            let empty = me.memberships.is_empty();
                            view! {
                                <dl class="vern-facts">
                                    <dt>{i18n.tr("account-name")}</dt>
                                    <dd>{me.display_name.clone()}</dd>
                                    <dt>{i18n.tr("auth-email")}</dt>
                                    <dd>{me.email.clone()}</dd>
                                </dl>
                                <h2 class="ds-heading" data-size="sm">{i18n.tr("account-memberships")}</h2>
                                {if empty {
                                    view! { <p class="ds-paragraph">{i18n.tr("account-no-memberships")}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="ds-table" data-border="true">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{i18n.tr("account-col-organization")}</th>
                                                    <th scope="col">{i18n.tr("org-col-kind")}</th>
                                                    <th scope="col">{i18n.tr("account-col-roles")}</th>
                                                    <th scope="col">{i18n.tr("account-col-tools")}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {me.memberships.into_iter().map(|m| {
                                                    let kind = kind_key(m.organization_kind);
                                                    let roles = m.roles.clone();
                                                    let can = |p: Permission| m.roles.iter().any(|r| r.grants(p));
                                                    let members_href = can(Permission::ManageMembers).then(|| format!("/organizations/{}/members", m.organization_id));
                                                    let audit_href = can(Permission::ReadAuditLog).then(|| format!("/organizations/{}/audit", m.organization_id));
                                                    let settings_href = can(Permission::ManageOrgSettings).then(|| format!("/organizations/{}/settings", m.organization_id));
                                                    let requests_href = can(Permission::DecideRoleRequests).then(|| format!("/organizations/{}/role-requests", m.organization_id));
                                                    let clients_href = can(Permission::ManageApiClients).then(|| format!("/organizations/{}/api-clients", m.organization_id));
                                                    let webhooks_href = can(Permission::ManageApiClients).then(|| format!("/organizations/{}/webhooks", m.organization_id));
                                                    let overview_href = can(Permission::ReadRegister).then(|| format!("/organizations/{}/register", m.organization_id));
                                                    let systems_href = can(Permission::ReadRegister).then(|| format!("/organizations/{}/systems", m.organization_id));
                                                    let activities_href = can(Permission::ReadRegister).then(|| format!("/organizations/{}/processing-activities", m.organization_id));
                                                    let agreements_href = can(Permission::ReadAgreements).then(|| format!("/organizations/{}/agreements", m.organization_id));
                                                    let dsr_href = can(Permission::ReadRequestOverview).then(|| format!("/organizations/{}/requests", m.organization_id));
                                                    let incidents_href = can(Permission::ReadIncidents).then(|| format!("/organizations/{}/incidents", m.organization_id));
                                                    let vendor_incidents_href = (m.organization_kind == vern_domain::OrgKind::Vendor && can(Permission::ReadIncidents)).then(|| format!("/organizations/{}/vendor-incidents", m.organization_id));
                                                    let consents_href = can(Permission::HandleConsents).then(|| format!("/organizations/{}/consents", m.organization_id));
                                                    let tasks_href = can(Permission::AnswerRequestTasks).then(|| format!("/organizations/{}/system-tasks", m.organization_id));
                                                    let products_href = can(Permission::EditProducts).then(|| format!("/organizations/{}/products", m.organization_id));
                                                    let operator_href = can(Permission::CreateOrganizations).then_some("/operator");
                                                    view! {
                                                        <tr>
                                                            <th scope="row">
                                                                <A href=format!("/organizations/{}", m.organization_id) attr:class="ds-link">{m.organization_name}</A>
                                                                {m.passkey_required.then(|| view! { <br/><small>{i18n.tr("account-passkey-required")}</small> })}
                                                            </th>
                                                            <td>{i18n.tr_owned(kind.clone())}</td>
                                                            <td>{move || roles.iter().map(|r| i18n.t(&role_key(*r))).collect::<Vec<_>>().join(", ")}</td>
                                                            <td>
                                                                <div class="vern-tools">
                                                                    {overview_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("overview-title")}</A> })}
                                                                    {systems_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("systems-title")}</A> })}
                                                                    {activities_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("activities-title")}</A> })}
                                                                    {products_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("vendor-products-title")}</A> })}
                                                                    {agreements_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("agreements-title")}</A> })}
                                                                    {dsr_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("dsr-title")}</A> })}
                                                                    {incidents_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("incidents-title")}</A> })}
                                                                    {vendor_incidents_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("vendor-incidents-title")}</A> })}
                                                                    {consents_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("consents-title")}</A> })}
                                                                    {tasks_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("stask-title")}</A> })}
                                                                    {members_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("members-title")}</A> })}
                                                                    {audit_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("audit-title")}</A> })}
                                                                    {settings_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("settings-title")}</A> })}
                                                                    {requests_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("requests-title")}</A> })}
                                                                    {clients_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("clients-title")}</A> })}
                                                                    {webhooks_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("webhooks-title")}</A> })}
                                                                    {operator_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("operator-title")}</A> })}
                                                                </div>
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                                <MyPasskeys/>
                                <MyAuthenticator enrolled=me.totp_enrolled/>
                                <RequestRole/>
                                <MySessions/>
                                <p>
                                    <button class="ds-button" data-variant="secondary" type="button" on:click=log_out.clone()>
                                        {i18n.tr("auth-logout")}
                                    </button>
                                </p>
                            }.into_any()
                        }
                    }
                }
            </Show>
        </div>
    }
}

/// The authenticator app: enrol a new one (replacing the old once confirmed) or remove it.
#[component]
fn MyAuthenticator(enrolled: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let enrolled = RwSignal::new(enrolled);
    let enrolment = RwSignal::new(None::<vern_domain::access::invitation::TotpEnrolment>);
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let start = move |_| {
        spawn_local(async move {
            match session.authorized(api::start_totp_enrolment).await {
                Ok(e) => {
                    error.set(None);
                    enrolment.set(Some(e));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            let value = code.get_untracked();
            match session
                .authorized(|t| api::confirm_totp(value.clone(), t))
                .await
            {
                Ok(()) => {
                    error.set(None);
                    enrolment.set(None);
                    code.set(String::new());
                    enrolled.set(true);
                    notice.set(Some(i18n.t("totp-replaced")));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = move |_| {
        spawn_local(async move {
            let url = "/api/v1/me/totp".to_owned();
            match session.authorized(|t| api::delete(url.clone(), t)).await {
                Ok(()) => {
                    error.set(None);
                    enrolled.set(false);
                    notice.set(Some(i18n.t("totp-removed")));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h2 class="ds-heading" data-size="sm">{i18n.tr("totp-title")}</h2>
        <p class="ds-paragraph">
            {move || if enrolled.get() { i18n.t("totp-enrolled") } else { i18n.t("totp-not-enrolled") }}
        </p>
        <div role="status" class="vern-status">{move || notice.get()}</div>
        {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
        {move || match enrolment.get() {
            None => view! {
                <div class="vern-tools">
                    <button class="ds-button" data-variant="secondary" type="button" on:click=start>
                        {i18n.tr("totp-new")}
                    </button>
                    <Show when=move || enrolled.get()>
                        <button class="ds-button" data-variant="tertiary" type="button" on:click=remove>
                            {i18n.tr("totp-remove")}
                        </button>
                    </Show>
                </div>
            }.into_any(),
            Some(e) => view! {
                <img class="vern-qr" width="200" height="200"
                    src=format!("data:image/png;base64,{}", e.qr_png_base64)
                    alt=i18n.tr("invite-qr-alt")/>
                <p class="ds-paragraph">{i18n.tr("invite-secret-text")}</p>
                <p><code class="vern-secret" data-testid="new-totp-secret">{e.secret.clone()}</code></p>
                <form class="vern-form" on:submit=confirm>
                    <div class="ds-field">
                        <label class="ds-label" for="new-totp-code">{i18n.tr("totp-confirm-code")}</label>
                        <input class="ds-input" id="new-totp-code" inputmode="numeric" autocomplete="one-time-code"
                            maxlength="6" bind:value=code/>
                    </div>
                    <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("totp-confirm")}</button>
                </form>
            }.into_any(),
        }}
    }
}

/// Ask for a role with a justification, and follow one's requests.
#[component]
fn RequestRole() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let version = RwSignal::new(0u32);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let org = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let justification = RwSignal::new(String::new());
    let memberships = Memo::new(move |_| {
        session
            .current
            .get()
            .map(|s| s.me.memberships)
            .unwrap_or_default()
    });
    let kind = Memo::new(move |_| {
        let chosen = org.get();
        memberships
            .get()
            .into_iter()
            .find(|m| m.organization_id.to_string() == chosen)
            .map(|m| (m.organization_kind, m.roles))
    });
    let mine = LocalResource::new(move || {
        version.get();
        async move { session.authorized(api::my_role_requests).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(org_id), Some(role)) = (
            org.get_untracked().parse(),
            Role::parse(&role.get_untracked()),
        ) else {
            return;
        };
        let body = NewRoleRequest {
            role,
            justification: justification.get_untracked(),
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::create_role_request(org_id, body.clone(), t))
                .await
            {
                Ok(_) => {
                    error.set(None);
                    notice.set(Some(i18n.t("request-sent")));
                    justification.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let withdraw = move |org_id: vern_domain::OrganizationId, id: Uuid| {
        spawn_local(async move {
            match session
                .authorized(|t| api::decide_role_request(org_id, id, "withdraw", None, t))
                .await
            {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h2 class="ds-heading" data-size="sm">{i18n.tr("request-title")}</h2>
        <div role="status" class="vern-status">{move || notice.get()}</div>
        {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
        <form class="vern-form" on:submit=submit>
            <div class="ds-field">
                <label class="ds-label" for="request-org">{i18n.tr("account-col-organization")}</label>
                <select class="ds-input" id="request-org" required bind:value=org>
                    <option value="">{i18n.tr("request-choose-org")}</option>
                    {move || memberships.get().into_iter().map(|m| view! {
                        <option value=m.organization_id.to_string()>{m.organization_name}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="request-role">{i18n.tr("members-grant-role")}</label>
                <select class="ds-input" id="request-role" required bind:value=role>
                    <option value="">{i18n.tr("members-choose-role")}</option>
                    {move || kind.get().map(|(k, held)| Role::ALL.into_iter()
                        .filter(|r| r.allowed_in(k) && !held.contains(r))
                        .map(|r| {
                            let key = role_key(r);
                            view! { <option value=r.as_str()>{i18n.tr_owned(key.clone())}</option> }
                        }).collect_view())}
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="request-why">{i18n.tr("requests-justification")}</label>
                <div class="ds-field__description" id="request-why-hint">{i18n.tr("request-justification-hint")}</div>
                <textarea class="ds-input" id="request-why" rows="3" minlength="10" maxlength="1000" required
                    aria-describedby="request-why-hint" bind:value=justification></textarea>
            </div>
            <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("request-submit")}</button>
        </form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match mine.await {
                    Ok(page) if !page.items.is_empty() => view! {
                        <table class="ds-table" data-border="true">
                            <caption class="ds-heading" data-size="2xs">{i18n.tr("request-mine")}</caption>
                            <thead><tr>
                                <th scope="col">{i18n.tr("account-col-organization")}</th>
                                <th scope="col">{i18n.tr("members-grant-role")}</th>
                                <th scope="col">{i18n.tr("members-col-status")}</th>
                                <th scope="col">{i18n.tr("requests-note")}</th>
                                <th scope="col">{i18n.tr("account-col-tools")}</th>
                            </tr></thead>
                            <tbody>
                                {page.items.into_iter().map(|r| {
                                    let role = role_key(r.role);
                                    let state = request_state_key(r.state);
                                    let pending = r.state == RequestState::Pending;
                                    let (org_id, id) = (r.organization_id, r.id);
                                    view! {
                                        <tr>
                                            <td>{r.organization_name}</td>
                                            <td>{i18n.tr_owned(role.clone())}</td>
                                            <td>{i18n.tr_owned(state.clone())}</td>
                                            <td>{r.decision_note.unwrap_or_default()}</td>
                                            <td>{pending.then(|| view! {
                                                <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                                                    on:click=move |_| withdraw(org_id, id)>
                                                    {i18n.tr("request-withdraw")}
                                                </button>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// The user's live sessions; any but this one can be ended.
#[component]
fn MySessions() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let version = RwSignal::new(0u32);
    let error = RwSignal::new(None::<ApiError>);
    let sessions = LocalResource::new(move || {
        version.get();
        async move { session.authorized(api::my_sessions).await }
    });
    let end = move |id: Uuid| {
        spawn_local(async move {
            let url = format!("/api/v1/me/sessions/{id}");
            match session.authorized(|t| api::delete(url.clone(), t)).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h2 class="ds-heading" data-size="sm">{i18n.tr("sessions-title")}</h2>
        {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match sessions.await {
                    Ok(list) => view! {
                        <table class="ds-table" data-border="true">
                            <thead><tr>
                                <th scope="col">{i18n.tr("sessions-started")}</th>
                                <th scope="col">{i18n.tr("sessions-last-used")}</th>
                                <th scope="col">{i18n.tr("account-col-tools")}</th>
                            </tr></thead>
                            <tbody>
                                {list.items.into_iter().map(|s| {
                                    let id = s.id;
                                    view! {
                                        <tr>
                                            <td>{crate::components::utc_minutes(s.created_at)}</td>
                                            <td>{crate::components::utc_minutes(s.last_used_at)}</td>
                                            <td>{if s.current {
                                                view! { <span>{i18n.tr("sessions-current")}</span> }.into_any()
                                            } else {
                                                view! {
                                                    <button type="button" class="ds-button" data-variant="tertiary" data-size="sm" on:click=move |_| end(id)>
                                                        {i18n.tr("sessions-end")}
                                                    </button>
                                                }.into_any()
                                            }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The user's passkeys: add one (the browser asks the authenticator), see and remove them.
#[component]
fn MyPasskeys() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let version = RwSignal::new(0u32);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let passkeys = LocalResource::new(move || {
        version.get();
        async move { session.authorized(api::my_passkeys).await }
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        notice.set(None);
        spawn_local(async move {
            let result = match session.authorized(api::start_passkey_registration).await {
                Err(e) => Err(e),
                Ok(c) => match crate::webauthn::create(&c.options).await {
                    None => Ok(false),
                    Some(credential) => {
                        let body = vern_domain::access::passkeys::RegisterPasskey {
                            ceremony_id: c.ceremony_id,
                            name: name.get_untracked(),
                            credential,
                        };
                        session
                            .authorized(|t| api::finish_passkey_registration(body.clone(), t))
                            .await
                            .map(|_| true)
                    }
                },
            };
            busy.set(false);
            match result {
                Ok(true) => {
                    error.set(None);
                    name.set(String::new());
                    notice.set(Some(i18n.t("passkey-added")));
                    version.update(|v| *v += 1);
                }
                Ok(false) => notice.set(Some(i18n.t("passkey-failed"))),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = move |id: Uuid| {
        spawn_local(async move {
            let url = format!("/api/v1/me/passkeys/{id}");
            match session.authorized(|t| api::delete(url.clone(), t)).await {
                Ok(()) => {
                    error.set(None);
                    notice.set(Some(i18n.t("passkey-removed")));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h2 class="ds-heading" data-size="sm">{i18n.tr("passkey-title")}</h2>
        <p class="ds-paragraph">{i18n.tr("passkey-intro")}</p>
        <div role="status" class="vern-status">{move || notice.get()}</div>
        {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match passkeys.await {
                    Ok(list) if !list.items.is_empty() => view! {
                        <table class="ds-table" data-border="true">
                            <caption class="ds-heading" data-size="2xs">{i18n.tr("passkey-list")}</caption>
                            <thead><tr>
                                <th scope="col">{i18n.tr("clients-name")}</th>
                                <th scope="col">{i18n.tr("sessions-started")}</th>
                                <th scope="col">{i18n.tr("sessions-last-used")}</th>
                                <th scope="col">{i18n.tr("account-col-tools")}</th>
                            </tr></thead>
                            <tbody>
                                {list.items.into_iter().map(|p| {
                                    let id = p.id;
                                    let label = p.name.clone();
                                    view! {
                                        <tr>
                                            <th scope="row">{p.name}</th>
                                            <td>{crate::components::utc_minutes(p.created_at)}</td>
                                            <td>{p.last_used_at.map(crate::components::utc_minutes).unwrap_or_default()}</td>
                                            <td>
                                                <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                                                    aria-label=move || format!("{} – {}", i18n.t("passkey-remove"), label)
                                                    on:click=move |_| remove(id)>
                                                    {i18n.tr("passkey-remove")}
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
        <form class="vern-form" on:submit=add>
            <div class="ds-field">
                <label class="ds-label" for="passkey-name">{i18n.tr("passkey-name")}</label>
                <div class="ds-field__description" id="passkey-name-hint">{i18n.tr("passkey-name-hint")}</div>
                <input class="ds-input" id="passkey-name" type="text" maxlength="100" required
                    aria-describedby="passkey-name-hint" bind:value=name/>
            </div>
            <button class="ds-button" data-variant="secondary" type="submit" disabled=move || busy.get()>
                {i18n.tr("passkey-add")}
            </button>
        </form>
    }
}
