use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

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

    let submit_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::login(email.get_untracked(), password.get_untracked()).await {
                Ok(challenge) => {
                    password.set(String::new());
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
                }
            >
                <h2 class="ds-heading" data-size="sm">{i18n.tr("auth-totp-title")}</h2>
                <form class="vern-form" on:submit=submit_code.clone()>
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
        </div>
    }
}
