use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use vern_domain::OrganizationId;
use vern_domain::organization::Organization;
use vern_domain::problem::{Problem, ProblemCode};

use super::kind_key;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;

#[component]
pub fn OrganizationDetail() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let org = LocalResource::new(move || {
        let raw = params.get().get("id").unwrap_or_default();
        async move {
            // The domain's id parser, not a round trip, rejects a malformed id.
            match raw.parse::<OrganizationId>() {
                Ok(id) => api::get_organization(id).await,
                Err(_) => Err(ApiError::Problem(Box::new(Problem::new(
                    ProblemCode::NotFound,
                )))),
            }
        }
    });
    let name = RwSignal::new(None::<String>);
    set_title(move || name.get().unwrap_or_else(|| i18n.t("org-list-title")));

    view! {
        <div class="vern-container">
            <p><A href="/organizations" attr:class="ds-link">{i18n.tr("org-back-to-list")}</A></p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match org.await {
                        Ok(org) => {
                            name.set(Some(org.name.clone()));
                            view! { <Facts org=org/> }.into_any()
                        }
                        Err(error) => view! { <ErrorAlert error=error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Facts(org: Organization) -> impl IntoView {
    let i18n = use_i18n();
    let kind = kind_key(org.kind);
    let org_number = org.org_number.map(|n| n.to_string());
    let created = org.created_at.to_rfc3339();
    let id = org.id.to_string();
    view! {
        <h1 class="ds-heading" data-size="lg">{org.name}</h1>
        <h2 class="ds-heading" data-size="sm">{i18n.tr("org-detail-facts")}</h2>
        <dl class="vern-facts">
            <dt>{i18n.tr("org-col-kind")}</dt>
            <dd>{i18n.tr_owned(kind.clone())}</dd>
            <dt>{i18n.tr("org-col-org-number")}</dt>
            <dd>{match org_number {
                Some(n) => n.into_any(),
                None => view! { <span>{i18n.tr("org-not-registered")}</span> }.into_any(),
            }}</dd>
            {org.municipality.map(|m| view! {
                <dt>{i18n.tr("org-col-municipality-number")}</dt>
                <dd>{m.number.to_string()}</dd>
                <dt>{i18n.tr("org-col-county")}</dt>
                <dd>{format!("{} ({})", m.county_name, m.county_number)}</dd>
            })}
            <dt>{i18n.tr("org-field-created")}</dt>
            <dd><LocalDate iso=created/></dd>
            <dt>{i18n.tr("org-field-id")}</dt>
            <dd><code>{id.clone()}</code></dd>
        </dl>
        {(org.kind == vern_domain::OrgKind::Municipality).then(|| view! {
            <p><leptos_router::components::A href=format!("/organizations/{id}/privacy") attr:class="ds-link">{i18n.tr("statement-title")}</leptos_router::components::A></p>
        })}
    }
}

/// A date in Europe/Oslo, written the way the current language writes dates. The browser's
/// Intl does the formatting, so no time-zone database ships in the wasm.
#[component]
fn LocalDate(iso: String) -> impl IntoView {
    let i18n = use_i18n();
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&iso));
    view! {
        <time datetime=iso.clone()>
            {move || {
                let options = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"Europe/Oslo".into());
                let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
                String::from(date.to_locale_date_string(i18n.lang().tag(), &options))
            }}
        </time>
    }
}
