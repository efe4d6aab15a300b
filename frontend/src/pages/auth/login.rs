use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use vern_domain::access::passkeys::PasskeyAssertion;

use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, set_title};
use crate::i18n::use_i18n;
use crate::session::use_session;

/// Step one asks for e-mail and password; step two for the code from the authenticator app.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    set_title(i18n.tr("auth-login-title"));

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let mfa_token = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let methods = RwSignal::new(Vec::<String>::new());
    let passkey_failed = RwSignal::new(false);
    let passkeys_supported = crate::webauthn::supported();

    // A passkey as the second factor (with the password step's token) or on its own.
    let use_passkey = {
        let navigate = navigate.clone();
        move |mfa: Option<String>| {
            let navigate = navigate.clone();
            busy.set(true);
            error.set(None);
            passkey_failed.set(false);
            spawn_local(async move {
                let challenge = match mfa.clone() {
                    Some(token) => api::passkey_second_factor(token).await,
                    None => api::passkey_login_challenge().await,
                };
                let result = match challenge {
                    Err(e) => Err(e),
                    Ok(c) => match crate::webauthn::get(&c.options).await {
                        None => Ok(false),
                        Some(credential) => {
                            let assertion = PasskeyAssertion {
                                ceremony_id: c.ceremony_id,
                                mfa_token: mfa,
                                credential,
                            };
                            match api::finish_passkey_login(assertion).await {
                                Ok(tokens) => {
                                    session.establish(tokens.access_token).await.map(|()| true)
                                }
                                Err(e) => Err(e),
                            }
                        }
                    },
                };
                busy.set(false);
                match result {
                    Ok(true) => navigate("/account", Default::default()),
                    Ok(false) => passkey_failed.set(true),
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let passwordless = {
        let use_passkey = use_passkey.clone();
        move |_| use_passkey(None)
    };
    let second_factor = {
        let use_passkey = use_passkey.clone();
        move |_| use_passkey(mfa_token.get_untracked())
    };

    let submit_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::login(email.get_untracked(), password.get_untracked()).await {
                Ok(challenge) => {
                    password.set(String::new());
                    methods.set(challenge.methods);
                    mfa_token.set(Some(challenge.mfa_token));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    let submit_code = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(token) = mfa_token.get_untracked() else {
                return;
            };
            busy.set(true);
            error.set(None);
            let navigate = navigate.clone();
            spawn_local(async move {
                let result = match api::login_totp(token, code.get_untracked()).await {
                    Ok(tokens) => session.establish(tokens.access_token).await,
                    Err(e) => Err(e),
                };
                busy.set(false);
                match result {
                    Ok(()) => navigate("/account", Default::default()),
                    Err(e) => {
                        code.set(String::new());
                        error.set(Some(e));
                    }
                }
            });
        }
    };

    view! {
        <div class="vern-container vern-narrow">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("auth-login-title")}</h1>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || passkey_failed.get().then(|| view! {
                <div class="ds-alert" data-color="warning" role="alert">
                    <p class="ds-paragraph">{i18n.tr("passkey-failed")}</p>
                </div>
            })}
            <Show
                when=move || mfa_token.get().is_some()
                fallback=move || view! {
                    <p class="ds-paragraph">{i18n.tr("auth-login-intro")}</p>
                    <form class="vern-form" on:submit=submit_password>
                        <div class="ds-field">
                            <label class="ds-label" for="login-email">{i18n.tr("auth-email")}</label>
                            <input class="ds-input" id="login-email" name="email" type="email" autocomplete="username" required bind:value=email/>
                        </div>
                        <div class="ds-field">
                            <label class="ds-label" for="login-password">{i18n.tr("auth-password")}</label>
                            <input class="ds-input" id="login-password" name="password" type="password" autocomplete="current-password" required bind:value=password/>
                        </div>
                        <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>
                            {i18n.tr("auth-continue")}
                        </button>
                    </form>
                    {passkeys_supported.then(|| view! {
                        <p class="ds-paragraph">{i18n.tr("passkey-login-intro")}</p>
                        <button class="ds-button" data-variant="secondary" type="button" on:click=passwordless.clone() disabled=move || busy.get()>
                            {i18n.tr("passkey-login")}
                        </button>
                    })}
                }
            >
                {
                    let second_factor = second_factor.clone();
                    move || {
                        let on_click = second_factor.clone();
                        methods.get().iter().any(|m| m == "passkey").then(move || view! {
                            <h2 class="ds-heading" data-size="sm">{i18n.tr("passkey-second-title")}</h2>
                            <p>
                                <button class="ds-button" data-variant="primary" type="button" on:click=on_click disabled=move || busy.get()>
                                    {i18n.tr("passkey-use")}
                                </button>
                            </p>
                        })
                    }
                }
                {
                    let on_submit = submit_code.clone();
                    view! {
                <Show when=move || methods.get().iter().any(|m| m == "totp")>
                <h2 class="ds-heading" data-size="sm">{i18n.tr("auth-totp-title")}</h2>
                <form class="vern-form" on:submit=on_submit.clone()>
                    <div class="ds-field">
                        <label class="ds-label" for="login-code">{i18n.tr("auth-totp-label")}</label>
                        <div class="ds-field__description" id="login-code-hint">{i18n.tr("auth-totp-hint")}</div>
                        <input class="ds-input vern-code" id="login-code" name="code" inputmode="numeric" autocomplete="one-time-code"
                            pattern="[0-9]{6}" maxlength="6" required aria-describedby="login-code-hint" bind:value=code/>
                    </div>
                    <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>
                        {i18n.tr("auth-verify")}
                    </button>
                </form>
                </Show>
                    }
                }
            </Show>
            <p class="ds-paragraph">
                {i18n.tr("auth-resident-hint")}" "
                <a class="ds-link" href="/innsyn">{i18n.tr("auth-resident-link")}</a>
            </p>
        </div>
    }
}
