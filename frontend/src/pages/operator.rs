//! The platform operator's page: create an organisation and invite its first
//! administrator. The operator sees organisations, never their contents.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use vern_domain::OrgKind;
use vern_domain::access::invitation::{CreateOrganization, FirstAdministrator};

use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, set_title};
use crate::i18n::use_i18n;
use crate::pages::organizations::kind_key;
use crate::session::use_session;

#[component]
pub fn OperatorPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    set_title(i18n.tr("operator-title"));
    let kind = RwSignal::new("vendor".to_owned());
    let name = RwSignal::new(String::new());
    let org_number = RwSignal::new(String::new());
    let kommune = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let admin_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let result = RwSignal::new(None::<(String, String, Option<String>)>);
    let municipality = move || kind.get() == "municipality";

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(k) = OrgKind::parse(&kind.get_untracked()) else {
            return;
        };
        let is_municipality = k == OrgKind::Municipality;
        let body = CreateOrganization {
            kind: k,
            name: (!is_municipality).then(|| name.get_untracked()),
            org_number: org_number.get_untracked(),
            kommune_number: is_municipality.then(|| kommune.get_untracked()),
            first_admin: FirstAdministrator {
                email: email.get_untracked(),
                display_name: admin_name.get_untracked(),
            },
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::create_organization(body.clone(), t))
                .await
            {
                Ok(created) => {
                    error.set(None);
                    result.set(Some((
                        created.organization.id.to_string(),
                        created.organization.name,
                        created.invitation.link,
                    )));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <div class="vern-container vern-narrow">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("operator-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("operator-intro")}</p>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || result.get().map(|(id, org_name, link)| view! {
                <div class="ds-alert" data-color="success" role="status">
                    <p class="ds-paragraph">
                        {i18n.tr("operator-created")} " "
                        <A href=format!("/organizations/{id}") attr:class="ds-link">{org_name}</A>
                    </p>
                    {link.map(|l| view! {
                        <p class="ds-paragraph">{i18n.tr("invite-link-once")}</p>
                        <p><code class="vern-secret" data-testid="invitation-link">{l}</code></p>
                    })}
                </div>
            })}
            <form class="vern-form" on:submit=submit>
                <div class="ds-field">
                    <label class="ds-label" for="org-kind">{i18n.tr("org-col-kind")}</label>
                    <select class="ds-input" id="org-kind" bind:value=kind>
                        {[OrgKind::Municipality, OrgKind::Vendor, OrgKind::Authority].into_iter().map(|k| {
                            let key = kind_key(k);
                            view! { <option value=k.as_str()>{i18n.tr_owned(key.clone())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <Show when=municipality fallback=move || view! {
                    <div class="ds-field">
                        <label class="ds-label" for="org-name">{i18n.tr("operator-org-name")}</label>
                        <input class="ds-input" id="org-name" type="text" maxlength="200" required bind:value=name/>
                    </div>
                }>
                    <div class="ds-field">
                        <label class="ds-label" for="org-kommune">{i18n.tr("operator-kommune")}</label>
                        <div class="ds-field__description" id="org-kommune-hint">{i18n.tr("operator-kommune-hint")}</div>
                        <input class="ds-input" id="org-kommune" type="text" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" required
                            aria-describedby="org-kommune-hint" bind:value=kommune/>
                    </div>
                </Show>
                <div class="ds-field">
                    <label class="ds-label" for="org-number">{i18n.tr("operator-org-number")}</label>
                    <input class="ds-input" id="org-number" type="text" inputmode="numeric" maxlength="11" required bind:value=org_number/>
                </div>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("operator-first-admin")}</legend>
                    <div class="ds-field">
                        <label class="ds-label" for="admin-email">{i18n.tr("auth-email")}</label>
                        <input class="ds-input" id="admin-email" type="email" autocomplete="off" required bind:value=email/>
                    </div>
                    <div class="ds-field">
                        <label class="ds-label" for="admin-name">{i18n.tr("account-name")}</label>
                        <input class="ds-input" id="admin-name" type="text" autocomplete="off" required bind:value=admin_name/>
                    </div>
                </fieldset>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("operator-submit")}</button>
            </form>
        </div>
    }
}
