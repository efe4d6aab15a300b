use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use vern_domain::access::Permission;

use super::role_key;
use crate::components::{Loading, set_title};
use crate::i18n::use_i18n;
use crate::pages::organizations::kind_key;
use crate::session::use_session;

/// The logged-in user: who they are, where they belong and with which roles.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    set_title(move || i18n.t("account-title"));

    let log_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            session.log_out().await;
            navigate("/login", Default::default());
        });
    };

    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{move || i18n.t("account-title")}</h1>
            <Show when=move || session.ready.get() fallback=Loading>
                {
                    let log_out = log_out.clone();
                    move || match session.current.get() {
                        None => view! {
                            <p class="ds-paragraph">{move || i18n.t("account-logged-out")}</p>
                            <p><A href="/login" attr:class="ds-link">{move || i18n.t("nav-login")}</A></p>
                        }.into_any(),
                        Some(info) => {
                            let me = info.me;
                            let empty = me.memberships.is_empty();
                            view! {
                                <dl class="vern-facts">
                                    <dt>{move || i18n.t("account-name")}</dt>
                                    <dd>{me.display_name.clone()}</dd>
                                    <dt>{move || i18n.t("auth-email")}</dt>
                                    <dd>{me.email.clone()}</dd>
                                </dl>
                                <h2 class="ds-heading" data-size="sm">{move || i18n.t("account-memberships")}</h2>
                                {if empty {
                                    view! { <p class="ds-paragraph">{move || i18n.t("account-no-memberships")}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="ds-table" data-border="true">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{move || i18n.t("account-col-organization")}</th>
                                                    <th scope="col">{move || i18n.t("org-col-kind")}</th>
                                                    <th scope="col">{move || i18n.t("account-col-roles")}</th>
                                                    <th scope="col">{move || i18n.t("account-col-tools")}</th>
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
                                                    view! {
                                                        <tr>
                                                            <th scope="row">
                                                                <A href=format!("/organizations/{}", m.organization_id) attr:class="ds-link">{m.organization_name}</A>
                                                            </th>
                                                            <td>{move || i18n.t(&kind)}</td>
                                                            <td>{move || roles.iter().map(|r| i18n.t(&role_key(*r))).collect::<Vec<_>>().join(", ")}</td>
                                                            <td>
                                                                <div class="vern-tools">
                                                                    {members_href.map(|href| view! { <A href=href attr:class="ds-link">{move || i18n.t("members-title")}</A> })}
                                                                    {audit_href.map(|href| view! { <A href=href attr:class="ds-link">{move || i18n.t("audit-title")}</A> })}
                                                                    {settings_href.map(|href| view! { <A href=href attr:class="ds-link">{move || i18n.t("settings-title")}</A> })}
                                                                </div>
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                                <p>
                                    <button class="ds-button" data-variant="secondary" type="button" on:click=log_out.clone()>
                                        {move || i18n.t("auth-logout")}
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
