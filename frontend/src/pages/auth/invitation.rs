use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use vern_domain::access::invitation::{AcceptInvitation, TotpEnrolment};

use super::role_key;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;

/// The token from the link: `/invitation#token=…`. The fragment never reaches a server.
fn token_from_fragment() -> Option<String> {
    let hash = window().location().hash().ok()?;
    let token = hash.strip_prefix("#token=")?.to_owned();
    (!token.is_empty()).then_some(token)
}

/// Joining from an invitation: see what it is for, enrol an authenticator app, choose a
/// password (or confirm an existing account), and accept.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    set_title(i18n.tr("invite-accept-title"));
    let token = token_from_fragment();
    let preview = LocalResource::new({
        let token = token.clone();
        move || {
            let token = token.clone();
            async move {
                match token {
                    Some(t) => Some(api::preview_invitation(t).await),
                    None => None,
                }
            }
        }
    });

    view! {
        <div class="vern-container vern-narrow">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("invite-accept-title")}</h1>
            <Suspense fallback=Loading>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match (preview.await, token) {
                            (Some(Ok(p)), Some(token)) => {
                                let roles = p.roles.clone();
                                view! {
                                    <p class="ds-paragraph">
                                        {move || i18n.t_with("invite-accept-intro", &[("organization", p.organization_name.clone().into())])}
                                    </p>
                                    <dl class="vern-facts">
                                        <dt>{i18n.tr("auth-email")}</dt>
                                        <dd>{p.email.clone()}</dd>
                                        <dt>{i18n.tr("account-col-roles")}</dt>
                                        <dd>{move || roles.iter().map(|r| i18n.t(&role_key(*r))).collect::<Vec<_>>().join(", ")}</dd>
                                    </dl>
                                    <AcceptForm token=token existing=p.account_exists/>
                                }.into_any()
                            }
                            (Some(Err(e)), _) => view! { <ErrorAlert error=e/> }.into_any(),
                            _ => view! {
                                <div class="ds-alert" data-color="warning" role="alert">
                                    <p class="ds-paragraph">{i18n.tr("invite-no-token")}</p>
                                </div>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn AcceptForm(token: String, existing: bool) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let error = RwSignal::new(None::<ApiError>);
    let mismatch = RwSignal::new(false);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let token = StoredValue::new(token);

    let enrol = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::invitation_totp(token.get_value()).await {
                Ok(e) => {
                    error.set(None);
                    enrolment.set(Some(e));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !existing && password.get_untracked() != repeat.get_untracked() {
            mismatch.set(true);
            return;
        }
        mismatch.set(false);
        busy.set(true);
        spawn_local(async move {
            let body = AcceptInvitation {
                token: token.get_value(),
                password: password.get_untracked(),
                totp_code: code.get_untracked(),
            };
            match api::accept_invitation(body).await {
                Ok(_) => {
                    error.set(None);
                    done.set(true);
                }
                Err(e) => {
                    code.set(String::new());
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };

    let fields = move || {
        view! {
            <form class="vern-form" on:submit=submit>
                <div class="ds-field">
                    <label class="ds-label" for="invite-password">{move || i18n.t(if existing { "auth-password" } else { "invite-new-password" })}</label>
                    {(!existing).then(|| view! { <div class="ds-field__description" id="invite-password-hint">{i18n.tr("invite-password-hint")}</div> })}
                    <input class="ds-input" id="invite-password" type="password" required
                        autocomplete=if existing { "current-password" } else { "new-password" }
                        aria-describedby=(!existing).then_some("invite-password-hint")
                        bind:value=password/>
                </div>
                {(!existing).then(|| view! {
                    <div class="ds-field">
                        <label class="ds-label" for="invite-repeat">{i18n.tr("invite-repeat-password")}</label>
                        <input class="ds-input" id="invite-repeat" type="password" required autocomplete="new-password"
                            aria-invalid=move || mismatch.get().to_string() aria-describedby="invite-repeat-error" bind:value=repeat/>
                        <div id="invite-repeat-error" class="ds-validation-message" data-color="danger">
                            {move || mismatch.get().then(|| i18n.t("invite-password-mismatch"))}
                        </div>
                    </div>
                })}
                <div class="ds-field">
                    <label class="ds-label" for="invite-code">{i18n.tr("auth-totp-label")}</label>
                    <div class="ds-field__description" id="invite-code-hint">{i18n.tr("auth-totp-hint")}</div>
                    <input class="ds-input vern-code" id="invite-code" inputmode="numeric" autocomplete="one-time-code"
                        pattern="[0-9]{6}" maxlength="6" required aria-describedby="invite-code-hint" bind:value=code/>
                </div>
                <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>
                    {i18n.tr("invite-accept")}
                </button>
            </form>
        }
    };

    view! {
        {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
        <Show when=move || !done.get() fallback=move || view! {
            <div class="ds-alert" data-color="success" role="status">
                <p class="ds-paragraph">{i18n.tr("invite-accepted")}</p>
            </div>
            <p><A href="/login" attr:class="ds-link">{i18n.tr("nav-login")}</A></p>
        }>
            {if existing {
                view! {
                    <p class="ds-paragraph">{i18n.tr("invite-existing-account")}</p>
                    {fields()}
                }.into_any()
            } else {
                view! {
                    <h2 class="ds-heading" data-size="sm">{i18n.tr("invite-step-authenticator")}</h2>
                    {move || match enrolment.get() {
                        None => view! {
                            <p class="ds-paragraph">{i18n.tr("invite-authenticator-intro")}</p>
                            <button class="ds-button" data-variant="secondary" type="button" on:click=enrol disabled=move || busy.get()>
                                {i18n.tr("invite-show-secret")}
                            </button>
                        }.into_any(),
                        Some(e) => view! {
                            <img class="vern-qr" width="200" height="200"
                                src=format!("data:image/png;base64,{}", e.qr_png_base64)
                                alt=i18n.tr("invite-qr-alt")/>
                            <p class="ds-paragraph">{i18n.tr("invite-secret-text")}</p>
                            <p><code class="vern-secret" data-testid="totp-secret">{e.secret.clone()}</code></p>
                            <h2 class="ds-heading" data-size="sm">{i18n.tr("invite-step-password")}</h2>
                            {fields()}
                        }.into_any(),
                    }}
                }.into_any()
            }}
        </Show>
    }
}
