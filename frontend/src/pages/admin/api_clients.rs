use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use vern_domain::access::Permission;
use vern_domain::access::clients::NewApiClient;

use super::org_from_path;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::session::use_session;

/// API clients for integrators: create (the secret is shown once), list, revoke.
#[component]
pub fn ApiClientsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("clients-title"));
    let version = RwSignal::new(0u32);
    let error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<(String, Option<String>)>);
    let name = RwSignal::new(String::new());
    // Whether the integration gets its tokens from Maskinporten instead of a secret.
    let external = RwSignal::new(false);
    let external_id = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<Permission>::new());
    // What the administrator may hand on: their own permissions here, minus administration.
    let offerable = Memo::new(move |_| {
        let org = org.get();
        let mut out: Vec<Permission> = session
            .current
            .get()
            .into_iter()
            .flat_map(|s| s.me.memberships)
            .filter(|m| Some(m.organization_id) == org)
            .flat_map(|m| m.roles)
            .flat_map(|r| r.permissions().iter().copied())
            .filter(|p| !p.is_identity_administration())
            .collect();
        out.sort();
        out.dedup();
        out
    });
    let clients = LocalResource::new(move || {
        version.get();
        let ready = session.ready.get();
        let org = org.get();
        async move {
            match (ready, org) {
                (true, Some(org)) => {
                    Some(session.authorized(|t| api::list_api_clients(org, t)).await)
                }
                _ => None,
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let body = NewApiClient {
            name: name.get_untracked(),
            scopes: chosen.get_untracked(),
            expires_at: None,
            external_client_id: external
                .get_untracked()
                .then(|| external_id.get_untracked()),
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::create_api_client(org, body.clone(), t))
                .await
            {
                Ok(c) => {
                    error.set(None);
                    created.set(Some((c.client.client_id.to_string(), c.client_secret)));
                    name.set(String::new());
                    external_id.set(String::new());
                    chosen.set(Vec::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let revoke = move |id: uuid::Uuid| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/api-clients/{id}");
            match session.authorized(|t| api::delete(url.clone(), t)).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <div class="vern-container">
            <p><A href="/account" attr:class="ds-link">{i18n.tr("nav-account")}</A></p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("clients-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("clients-intro")}</p>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || created.get().map(|(id, secret)| match secret {
                Some(secret) => view! {
                    <div class="ds-alert" data-color="info" role="status">
                        <p class="ds-paragraph">{i18n.tr("clients-secret-once")}</p>
                        <dl class="vern-facts">
                            <dt>"client_id"</dt><dd><code data-testid="client-id">{id}</code></dd>
                            <dt>"client_secret"</dt><dd><code class="vern-secret" data-testid="client-secret">{secret}</code></dd>
                        </dl>
                    </div>
                }.into_any(),
                None => view! {
                    <div class="ds-alert" data-color="info" role="status">
                        <p class="ds-paragraph">{i18n.tr("clients-external-created")}</p>
                    </div>
                }.into_any(),
            })}
            <h2 class="ds-heading" data-size="sm">{i18n.tr("clients-create")}</h2>
            <form class="vern-form" on:submit=submit>
                <div class="ds-field">
                    <label class="ds-label" for="client-name">{i18n.tr("clients-name")}</label>
                    <input class="ds-input" id="client-name" type="text" maxlength="100" required bind:value=name/>
                </div>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("clients-kind")}</legend>
                    <div class="ds-field">
                        <input class="ds-input" type="radio" name="client-kind" id="client-kind-secret" value="secret"
                            prop:checked=move || !external.get()
                            on:change=move |_| external.set(false)/>
                        <label class="ds-label" data-weight="regular" for="client-kind-secret">{i18n.tr("clients-kind-secret")}</label>
                    </div>
                    <div class="ds-field">
                        <input class="ds-input" type="radio" name="client-kind" id="client-kind-external" value="external"
                            prop:checked=move || external.get()
                            on:change=move |_| external.set(true)/>
                        <label class="ds-label" data-weight="regular" for="client-kind-external">{i18n.tr("clients-kind-external")}</label>
                    </div>
                </fieldset>
                <Show when=move || external.get()>
                    <div class="ds-field">
                        <label class="ds-label" for="client-external-id">{i18n.tr("clients-external-id")}</label>
                        <div class="ds-field__description" id="client-external-id-hint">{i18n.tr("clients-external-id-hint")}</div>
                        <input class="ds-input" id="client-external-id" type="text" maxlength="100" required autocomplete="off"
                            aria-describedby="client-external-id-hint" bind:value=external_id/>
                    </div>
                </Show>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("clients-scopes")}</legend>
                    <p class="ds-field__description">{i18n.tr("clients-scopes-hint")}</p>
                    {move || offerable.get().into_iter().map(|p| {
                        let id = format!("scope-{}", p.as_str());
                        let key = format!("perm-{}", p.as_str().replace('_', "-"));
                        view! {
                            <div class="ds-field">
                                <input class="ds-input" type="checkbox" id=id.clone()
                                    prop:checked=move || chosen.get().contains(&p)
                                    on:change=move |_| chosen.update(|c| if let Some(i) = c.iter().position(|x| *x == p) { c.remove(i); } else { c.push(p); })/>
                                <label class="ds-label" data-weight="regular" for=id>{i18n.tr_owned(key.clone())}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("clients-submit")}</button>
            </form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match clients.await {
                        Some(Ok(page)) if !page.items.is_empty() => view! {
                            <table class="ds-table" data-border="true">
                                <caption class="ds-heading" data-size="2xs">{i18n.tr("clients-list")}</caption>
                                <thead><tr>
                                    <th scope="col">{i18n.tr("clients-name")}</th>
                                    <th scope="col">"client_id"</th>
                                    <th scope="col">{i18n.tr("clients-kind")}</th>
                                    <th scope="col">{i18n.tr("clients-scopes")}</th>
                                    <th scope="col">{i18n.tr("clients-expires")}</th>
                                    <th scope="col">{i18n.tr("account-col-tools")}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|c| {
                                        let id = c.client_id;
                                        let live = c.revoked_at.is_none();
                                        let label = c.name.clone();
                                        view! {
                                            <tr>
                                                <th scope="row">{c.name}</th>
                                                <td><code>{id.to_string()}</code></td>
                                                <td>{match c.external_client_id {
                                                    Some(ext) => view! { <span>{i18n.tr("clients-kind-external-short")}" "<code>{ext}</code></span> }.into_any(),
                                                    None => view! { <span>{i18n.tr("clients-kind-secret-short")}</span> }.into_any(),
                                                }}</td>
                                                <td>{c.scopes.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" ")}</td>
                                                <td>{crate::components::utc_date(c.expires_at)}</td>
                                                <td>{if live {
                                                    view! {
                                                        <button type="button" class="ds-button" data-variant="tertiary" data-color="danger" data-size="sm"
                                                            aria-label=move || format!("{} – {}", i18n.t("clients-revoke"), label)
                                                            on:click=move |_| revoke(id)>
                                                            {i18n.tr("clients-revoke")}
                                                        </button>
                                                    }.into_any()
                                                } else {
                                                    view! { <span>{i18n.tr("clients-revoked")}</span> }.into_any()
                                                }}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
