use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use vern_domain::access::auth::AuthenticationPolicy;
use vern_domain::access::members::IpAllowlistBody;

use super::org_from_path;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, set_title};
use crate::i18n::use_i18n;
use crate::session::use_session;

/// The organisation's IP allowlist, one range per line, and its login policy.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("settings-title"));
    let text = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);

    // Load once the session is known.
    Effect::new(move |_| {
        if !session.ready.get() {
            return;
        }
        let Some(org) = org.get() else { return };
        spawn_local(async move {
            match session.authorized(|t| api::get_ip_allowlist(org, t)).await {
                Ok(body) => text.set(body.entries.join("\n")),
                Err(e) => error.set(Some(e)),
            }
        });
    });

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let entries: Vec<String> = text
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        spawn_local(async move {
            let body = IpAllowlistBody { entries };
            match session
                .authorized(|t| api::put_ip_allowlist(org, body.clone(), t))
                .await
            {
                Ok(saved) => {
                    text.set(saved.entries.join("\n"));
                    error.set(None);
                    notice.set(Some(i18n.t("settings-saved")));
                }
                Err(e) => {
                    notice.set(None);
                    error.set(Some(e));
                }
            }
        });
    };

    view! {
        <div class="vern-container vern-narrow">
            <p><A href="/account" attr:class="ds-link">{i18n.tr("nav-account")}</A></p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("settings-title")}</h1>
            <p class="ds-paragraph">{i18n.tr("settings-allowlist-intro")}</p>
            <div role="status" class="vern-status">{move || notice.get()}</div>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <form class="vern-form" on:submit=save>
                <div class="ds-field">
                    <label class="ds-label" for="allowlist">{i18n.tr("settings-allowlist-label")}</label>
                    <div class="ds-field__description" id="allowlist-hint">{i18n.tr("settings-allowlist-hint")}</div>
                    <textarea class="ds-input" id="allowlist" rows="6" aria-describedby="allowlist-hint" bind:value=text></textarea>
                </div>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("settings-save")}</button>
            </form>
            <LoginPolicy/>
            <OrgNumberSetting/>
            <Show when=move || org.get().is_some_and(|o| session.can(o, vern_domain::access::Permission::ManageOrgSettings) && is_municipality(session, o))>
                <RequestPolicy/>
            </Show>
        </div>
    }
}

/// Whether staff must log in with a passkey.
#[component]
fn LoginPolicy() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let required = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        if !session.ready.get() {
            return;
        }
        let Some(org) = org.get() else { return };
        spawn_local(async move {
            match session
                .authorized(|t| api::get_authentication_policy(org, t))
                .await
            {
                Ok(policy) => required.set(policy.require_passkey),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let body = AuthenticationPolicy {
            require_passkey: required.get_untracked(),
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::put_authentication_policy(org, body.clone(), t))
                .await
            {
                Ok(saved) => {
                    required.set(saved.require_passkey);
                    error.set(None);
                    notice.set(Some(i18n.t("settings-saved")));
                }
                Err(e) => {
                    notice.set(None);
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <h2 class="ds-heading" data-size="sm">{i18n.tr("settings-login-title")}</h2>
        <div role="status" class="vern-status">{move || notice.get()}</div>
        {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
        <form class="vern-form" on:submit=save>
            <div class="ds-field">
                <input class="ds-input" type="checkbox" id="require-passkey" aria-describedby="require-passkey-hint"
                    prop:checked=move || required.get()
                    on:change=move |ev| required.set(event_target_checked(&ev))/>
                <label class="ds-label" data-weight="regular" for="require-passkey">{i18n.tr("settings-require-passkey")}</label>
                <div class="ds-field__description" id="require-passkey-hint">{i18n.tr("settings-require-passkey-hint")}</div>
            </div>
            <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("settings-save-login")}</button>
        </form>
    }
}

/// The organisation's number in Enhetsregisteret: Maskinporten tokens name the organisation
/// an integration acts for by it.
#[component]
fn OrgNumberSetting() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let number = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        let Some(org) = org.get() else { return };
        spawn_local(async move {
            match api::get_organization(org).await {
                Ok(o) => number.set(
                    o.org_number
                        .map(|n| n.as_str().to_owned())
                        .unwrap_or_default(),
                ),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let body = vern_domain::organization::OrgNumberChange {
            org_number: number.get_untracked(),
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::put_org_number(org, body.clone(), t))
                .await
            {
                Ok(saved) => {
                    number.set(
                        saved
                            .org_number
                            .map(|n| n.as_str().to_owned())
                            .unwrap_or_default(),
                    );
                    error.set(None);
                    notice.set(Some(i18n.t("settings-saved")));
                }
                Err(e) => {
                    notice.set(None);
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <h2 class="ds-heading" data-size="sm">{i18n.tr("settings-orgnr-title")}</h2>
        <div role="status" class="vern-status">{move || notice.get()}</div>
        {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
        <form class="vern-form" on:submit=save>
            <div class="ds-field">
                <label class="ds-label" for="org-number">{i18n.tr("settings-orgnr-label")}</label>
                <div class="ds-field__description" id="org-number-hint">{i18n.tr("settings-orgnr-hint")}</div>
                <input class="ds-input" id="org-number" type="text" inputmode="numeric" autocomplete="off"
                    maxlength="11" required aria-describedby="org-number-hint" bind:value=number/>
            </div>
            <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("settings-orgnr-save")}</button>
        </form>
    }
}

fn is_municipality(session: crate::session::Session, org: vern_domain::OrganizationId) -> bool {
    session.current.with(|s| {
        s.as_ref().is_some_and(|s| {
            s.me.memberships.iter().any(|m| {
                m.organization_id == org
                    && m.organization_kind == vern_domain::OrgKind::Municipality
            })
        })
    })
}

/// How data-subject requests are handled: whether identity clarification stops the clock,
/// and how long residents can read an answer.
#[component]
fn RequestPolicy() -> impl IntoView {
    use vern_domain::requests::view::RequestSettings;
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let pause = RwSignal::new(true);
    let window = RwSignal::new("30".to_owned());
    let revision = RwSignal::new(0);
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        if !session.ready.get() {
            return;
        }
        let Some(org) = org.get() else { return };
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/request-settings");
            match session
                .authorized(|t| api::fetch_json::<RequestSettings>(url.clone(), t))
                .await
            {
                Ok(s) => {
                    pause.set(s.pause_stops_clock);
                    window.set(s.answer_window_days.to_string());
                    revision.set(s.revision);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let body = RequestSettings {
            pause_stops_clock: pause.get_untracked(),
            answer_window_days: window.get_untracked().trim().parse().unwrap_or(0),
            revision: revision.get_untracked(),
        };
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/request-settings");
            match session
                .authorized(|t| {
                    api::put_json::<_, RequestSettings>(url.clone(), body.clone(), body.revision, t)
                })
                .await
            {
                Ok(saved) => {
                    pause.set(saved.pause_stops_clock);
                    window.set(saved.answer_window_days.to_string());
                    revision.set(saved.revision);
                    error.set(None);
                    notice.set(Some(i18n.t("settings-saved")));
                }
                Err(e) => {
                    notice.set(None);
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <h2 class="ds-heading" data-size="sm">{i18n.tr("dsr-settings")}</h2>
        <div role="status" class="vern-status">{move || notice.get()}</div>
        {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
        <form class="vern-form" on:submit=save novalidate>
            <div class="ds-field">
                <input class="ds-input" type="checkbox" id="dsr-pause" aria-describedby="dsr-pause-hint"
                    prop:checked=move || pause.get()
                    on:change=move |ev| pause.set(event_target_checked(&ev))/>
                <label class="ds-label" data-weight="regular" for="dsr-pause">{i18n.tr("dsr-settings-pause")}</label>
                <div class="ds-field__description" id="dsr-pause-hint">{i18n.tr("dsr-settings-pause-hint")}</div>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="dsr-window">{i18n.tr("dsr-settings-window")}</label>
                <input class="ds-input" id="dsr-window" type="number" min="7" max="90" inputmode="numeric" bind:value=window/>
            </div>
            <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("dsr-settings-save")}</button>
        </form>
    }
}
