use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use uuid::Uuid;
use vern_domain::access::Role;
use vern_domain::access::members::{GrantRoleRequest, Member};

use super::org_from_path;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::pages::auth::role_key;
use crate::session::use_session;

/// Members of one organisation with their roles; grant and revoke.
#[component]
pub fn MembersPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(move || i18n.t("members-title"));
    let version = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);

    let members = LocalResource::new(move || {
        version.get();
        let ready = session.ready.get();
        let org = org.get();
        async move {
            match (ready, org) {
                (true, Some(org)) => Some(session.authorized(|t| api::list_members(org, t)).await),
                _ => None,
            }
        }
    });
    // The caller's own membership here: the organisation's name and kind.
    let membership = Memo::new(move |_| {
        let org = org.get()?;
        session
            .current
            .get()?
            .me
            .memberships
            .into_iter()
            .find(|m| m.organization_id == org)
    });
    let kind = Memo::new(move |_| membership.get().map(|m| m.organization_kind));
    let org_name = Memo::new(move |_| membership.get().map(|m| m.organization_name));

    let revoke = move |user: Uuid, role: Role| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::revoke_role(org, user, role, t))
                .await
            {
                Ok(()) => {
                    error.set(None);
                    notice.set(Some(i18n.t("members-revoked")));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <div class="vern-container">
            <p><A href="/account" attr:class="ds-link">{move || i18n.t("nav-account")}</A></p>
            <h1 class="ds-heading" data-size="lg">{move || i18n.t("members-title")}</h1>
            <p class="ds-paragraph vern-lead">{move || org_name.get().unwrap_or_default()}</p>
            <div role="status" class="vern-status">{move || notice.get()}</div>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match members.await {
                        None => view! { <Loading/> }.into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        Some(Ok(page)) => {
                            let items = page.items;
                            view! {
                                <MemberTable members=items.clone() on_revoke=revoke/>
                                <GrantForm members=items kind=kind org=org version=version notice=notice error=error/>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn MemberTable(
    members: Vec<Member>,
    on_revoke: impl Fn(Uuid, Role) + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="ds-table" data-border="true">
            <caption class="ds-sr-only">{move || i18n.t("members-title")}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || i18n.t("account-name")}</th>
                    <th scope="col">{move || i18n.t("auth-email")}</th>
                    <th scope="col">{move || i18n.t("account-col-roles")}</th>
                </tr>
            </thead>
            <tbody>
                {members.into_iter().map(|m| {
                    let user = m.user_id;
                    let name = m.display_name.clone();
                    view! {
                        <tr>
                            <th scope="row">{m.display_name}</th>
                            <td>{m.email}</td>
                            <td>
                                <ul class="vern-roles">
                                    {m.grants.into_iter().map(|g| {
                                        let role = g.role;
                                        let key = role_key(role);
                                        let label_key = key.clone();
                                        let name = name.clone();
                                        view! {
                                            <li>
                                                <span>{move || i18n.t(&key)}</span>
                                                <button
                                                    type="button"
                                                    class="ds-button"
                                                    data-variant="tertiary"
                                                    data-size="sm"
                                                    aria-label=move || i18n.t_with("members-revoke-label", &[("role", i18n.t(&label_key).into()), ("name", name.clone().into())])
                                                    on:click=move |_| on_revoke(user, role)
                                                >
                                                    {move || i18n.t("members-revoke")}
                                                </button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn GrantForm(
    members: Vec<Member>,
    kind: Memo<Option<vern_domain::OrgKind>>,
    org: Memo<Option<vern_domain::OrganizationId>>,
    version: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let member = RwSignal::new(
        members
            .first()
            .map(|m| m.user_id.to_string())
            .unwrap_or_default(),
    );
    let role = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let roles = move || {
        Role::ALL
            .into_iter()
            .filter(|r| kind.get().is_some_and(|k| r.allowed_in(k)))
            .collect::<Vec<_>>()
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(org), Ok(user), Some(role)) = (
            org.get_untracked(),
            member.get_untracked().parse::<Uuid>(),
            Role::parse(&role.get_untracked()),
        ) else {
            return;
        };
        let until = end_of_day(&until.get_untracked());
        spawn_local(async move {
            let request = GrantRoleRequest { role, until };
            match session
                .authorized(|t| api::grant_role(org, user, request.clone(), t))
                .await
            {
                Ok(_) => {
                    error.set(None);
                    notice.set(Some(i18n.t("members-granted")));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <h2 class="ds-heading" data-size="sm">{move || i18n.t("members-grant-title")}</h2>
        <form class="vern-form" on:submit=submit>
            <div class="ds-field">
                <label class="ds-label" for="grant-member">{move || i18n.t("members-grant-member")}</label>
                <select class="ds-input" id="grant-member" bind:value=member>
                    {members.into_iter().map(|m| view! { <option value=m.user_id.to_string()>{format!("{} ({})", m.display_name, m.email)}</option> }).collect_view()}
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="grant-role">{move || i18n.t("members-grant-role")}</label>
                <select class="ds-input" id="grant-role" required bind:value=role>
                    <option value="">{move || i18n.t("members-choose-role")}</option>
                    {move || roles().into_iter().map(|r| {
                        let key = role_key(r);
                        view! { <option value=r.as_str()>{move || i18n.t(&key)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="grant-until">{move || i18n.t("members-grant-until")}</label>
                <div class="ds-field__description" id="grant-until-hint">{move || i18n.t("members-grant-until-hint")}</div>
                <input class="ds-input" id="grant-until" type="date" aria-describedby="grant-until-hint" bind:value=until/>
            </div>
            <button class="ds-button" data-variant="primary" type="submit">{move || i18n.t("members-grant-submit")}</button>
        </form>
    }
}

/// `YYYY-MM-DD` → the end of that day in the browser's time zone, as UTC.
fn end_of_day(date: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let mut parts = date.split('-').filter_map(|p| p.parse::<u32>().ok());
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let local = js_sys::Date::new_with_year_month_day_hr_min_sec(
        year,
        month as i32 - 1,
        day as i32,
        23,
        59,
        59,
    );
    let iso: String = local.to_iso_string().into();
    chrono::DateTime::parse_from_rfc3339(&iso)
        .ok()
        .map(|d| d.with_timezone(&chrono::Utc))
}
