use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use uuid::Uuid;
use vern_domain::access::Role;
use vern_domain::access::invitation::{InvitationState, NewInvitation};
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
    set_title(i18n.tr("members-title"));
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

    let member_action = move |user: Uuid, action: &'static str| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        if action == "remove"
            && !window()
                .confirm_with_message(&i18n.t("members-remove-confirm"))
                .unwrap_or(false)
        {
            return;
        }
        spawn_local(async move {
            match session
                .authorized(|t| api::member_action(org, user, action, t))
                .await
            {
                Ok(()) => {
                    error.set(None);
                    notice.set(Some(i18n.t(&format!("members-{action}d"))));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let me = Memo::new(move |_| session.current.get().map(|s| s.me.user_id));
    let confirm = move |grant: Uuid| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::confirm_grant(org, grant, t))
                .await
            {
                Ok(_) => {
                    error.set(None);
                    notice.set(Some(i18n.t("review-confirmed")));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    // Lives here, not in the section, so the once-only link survives the list's reload.
    let invitation_link = RwSignal::new(None::<String>);

    view! {
        <div class="vern-container">
            <p><A href="/account" attr:class="ds-link">{i18n.tr("nav-account")}</A></p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("members-title")}</h1>
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
                                <MemberTable members=items.clone() on_revoke=revoke on_confirm=confirm on_action=member_action me=me/>
                                <ReviewForm org=org version=version notice=notice error=error/>
                                <GrantForm members=items kind=kind org=org version=version notice=notice error=error/>
                                <Invitations kind=kind org=org version=version error=error link=invitation_link/>
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
    on_confirm: impl Fn(Uuid) + Copy + 'static,
    on_action: impl Fn(Uuid, &'static str) + Copy + Send + Sync + 'static,
    me: Memo<Option<Uuid>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="ds-table" data-border="true">
            <caption class="ds-sr-only">{i18n.tr("members-title")}</caption>
            <thead>
                <tr>
                    <th scope="col">{i18n.tr("account-name")}</th>
                    <th scope="col">{i18n.tr("auth-email")}</th>
                    <th scope="col">{i18n.tr("members-col-status")}</th>
                    <th scope="col">{i18n.tr("account-col-roles")}</th>
                    <th scope="col">{i18n.tr("account-col-tools")}</th>
                </tr>
            </thead>
            <tbody>
                {members.into_iter().map(|m| {
                    let user = m.user_id;
                    let name = m.display_name.clone();
                    let disabled = m.status == "disabled";
                    let status_key = if disabled { "members-status-disabled" } else { "members-status-active" };
                    let (toggle, toggle_key) = if disabled { ("enable", "members-enable") } else { ("disable", "members-disable") };
                    let action_name = name.clone();
                    let remove_name = name.clone();
                    view! {
                        <tr>
                            <th scope="row">{m.display_name}</th>
                            <td>{m.email}</td>
                            <td>{i18n.tr(status_key)}</td>
                            <td>
                                <ul class="vern-roles">
                                    {m.grants.into_iter().map(|g| {
                                        let role = g.role;
                                        let key = role_key(role);
                                        let label_key = key.clone();
                                        let confirm_key = key.clone();
                                        let name = name.clone();
                                        let confirm_name = name.clone();
                                        let grant = g.id;
                                        let due = g.review_due.map(crate::components::utc_date);
                                        view! {
                                            <li>
                                                <span>{i18n.tr_owned(key.clone())}</span>
                                                {due.map(|d| view! {
                                                    <span class="vern-due">{move || i18n.t_with("review-due", &[("date", d.clone().into())])}</span>
                                                    <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                                                        aria-label=move || i18n.t_with("review-confirm-label", &[("role", i18n.t(&confirm_key).into()), ("name", confirm_name.clone().into())])
                                                        on:click=move |_| on_confirm(grant)>
                                                        {i18n.tr("review-confirm")}
                                                    </button>
                                                })}
                                                <button
                                                    type="button"
                                                    class="ds-button"
                                                    data-variant="tertiary"
                                                    data-size="sm"
                                                    aria-label=move || i18n.t_with("members-revoke-label", &[("role", i18n.t(&label_key).into()), ("name", name.clone().into())])
                                                    on:click=move |_| on_revoke(user, role)
                                                >
                                                    {i18n.tr("members-revoke")}
                                                </button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </td>
                            <td>
                                <Show when=move || me.get() != Some(user)>
                                    <div class="vern-tools">
                                        <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                                            aria-label={let n = action_name.clone(); move || format!("{} – {}", i18n.t(toggle_key), n)}
                                            on:click=move |_| on_action(user, toggle)>
                                            {i18n.tr(toggle_key)}
                                        </button>
                                        <button type="button" class="ds-button" data-variant="tertiary" data-color="danger" data-size="sm"
                                            aria-label={let n = remove_name.clone(); move || format!("{} – {}", i18n.t("members-remove"), n)}
                                            on:click=move |_| on_action(user, "remove")>
                                            {i18n.tr("members-remove")}
                                        </button>
                                    </div>
                                </Show>
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
        <h2 class="ds-heading" data-size="sm">{i18n.tr("members-grant-title")}</h2>
        <form class="vern-form" on:submit=submit>
            <div class="ds-field">
                <label class="ds-label" for="grant-member">{i18n.tr("members-grant-member")}</label>
                <select class="ds-input" id="grant-member" bind:value=member>
                    {members.into_iter().map(|m| view! { <option value=m.user_id.to_string()>{format!("{} ({})", m.display_name, m.email)}</option> }).collect_view()}
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="grant-role">{i18n.tr("members-grant-role")}</label>
                <select class="ds-input" id="grant-role" required bind:value=role>
                    <option value="">{i18n.tr("members-choose-role")}</option>
                    {move || roles().into_iter().map(|r| {
                        let key = role_key(r);
                        view! { <option value=r.as_str()>{i18n.tr_owned(key.clone())}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="grant-until">{i18n.tr("members-grant-until")}</label>
                <div class="ds-field__description" id="grant-until-hint">{i18n.tr("members-grant-until-hint")}</div>
                <input class="ds-input" id="grant-until" type="date" aria-describedby="grant-until-hint" bind:value=until/>
            </div>
            <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("members-grant-submit")}</button>
        </form>
    }
}

/// Start an access review: every role must be confirmed by the chosen day.
#[component]
fn ReviewForm(
    org: Memo<Option<vern_domain::OrganizationId>>,
    version: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let due = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(org), Some(due)) = (org.get_untracked(), end_of_day(&due.get_untracked())) else {
            return;
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::start_access_review(org, due, t))
                .await
            {
                Ok(started) => {
                    error.set(None);
                    notice.set(Some(i18n.t_with(
                        "review-started",
                        &[("count", (started.grants as usize).into())],
                    )));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h2 class="ds-heading" data-size="sm">{i18n.tr("review-title")}</h2>
        <p class="ds-paragraph">{i18n.tr("review-intro")}</p>
        <form class="vern-form" on:submit=submit>
            <div class="ds-field">
                <label class="ds-label" for="review-due">{i18n.tr("review-due-label")}</label>
                <input class="ds-input" id="review-due" type="date" required bind:value=due/>
            </div>
            <button class="ds-button" data-variant="secondary" type="submit">{i18n.tr("review-start")}</button>
        </form>
    }
}

/// Invite people, and see and withdraw pending invitations. Without e-mail delivery the
/// link is shown once, to be passed on.
#[component]
fn Invitations(
    kind: Memo<Option<vern_domain::OrgKind>>,
    org: Memo<Option<vern_domain::OrganizationId>>,
    version: RwSignal<u32>,
    error: RwSignal<Option<ApiError>>,
    link: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let list = LocalResource::new(move || {
        version.get();
        let org = org.get();
        let ready = session.ready.get();
        async move {
            match (ready, org) {
                (true, Some(org)) => {
                    Some(session.authorized(|t| api::list_invitations(org, t)).await)
                }
                _ => None,
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(org), Some(role)) = (org.get_untracked(), Role::parse(&role.get_untracked()))
        else {
            return;
        };
        let body = NewInvitation {
            email: email.get_untracked(),
            display_name: name.get_untracked(),
            roles: vec![role],
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::create_invitation(org, body.clone(), t))
                .await
            {
                Ok(created) => {
                    error.set(None);
                    link.set(created.link);
                    email.set(String::new());
                    name.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let withdraw = move |id: Uuid| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/invitations/{id}");
            match session.authorized(|t| api::delete(url.clone(), t)).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <h2 class="ds-heading" data-size="sm">{i18n.tr("invite-title")}</h2>
        <p class="ds-paragraph">{i18n.tr("invite-intro")}</p>
        <form class="vern-form" on:submit=submit>
            <div class="ds-field">
                <label class="ds-label" for="invite-email">{i18n.tr("auth-email")}</label>
                <input class="ds-input" id="invite-email" type="email" autocomplete="off" required bind:value=email/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="invite-name">{i18n.tr("account-name")}</label>
                <input class="ds-input" id="invite-name" type="text" autocomplete="off" required bind:value=name/>
            </div>
            <div class="ds-field">
                <label class="ds-label" for="invite-role">{i18n.tr("invite-role")}</label>
                <select class="ds-input" id="invite-role" required bind:value=role>
                    <option value="">{i18n.tr("members-choose-role")}</option>
                    {move || Role::ALL.into_iter().filter(|r| kind.get().is_some_and(|k| r.allowed_in(k))).map(|r| {
                        let key = role_key(r);
                        view! { <option value=r.as_str()>{i18n.tr_owned(key.clone())}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("invite-submit")}</button>
        </form>
        {move || link.get().map(|l| view! {
            <div class="ds-alert" data-color="info" role="status">
                <p class="ds-paragraph">{i18n.tr("invite-link-once")}</p>
                <p><code class="vern-secret" data-testid="invitation-link">{l}</code></p>
            </div>
        })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Some(Ok(page)) if !page.items.is_empty() => view! {
                        <table class="ds-table" data-border="true">
                            <caption class="ds-heading" data-size="2xs">{i18n.tr("invite-list")}</caption>
                            <thead><tr>
                                <th scope="col">{i18n.tr("auth-email")}</th>
                                <th scope="col">{i18n.tr("account-col-roles")}</th>
                                <th scope="col">{i18n.tr("members-col-status")}</th>
                                <th scope="col">{i18n.tr("account-col-tools")}</th>
                            </tr></thead>
                            <tbody>
                                {page.items.into_iter().map(|inv| {
                                    let pending = inv.state == InvitationState::Pending;
                                    let state_key = format!("invite-state-{}", match inv.state {
                                        InvitationState::Pending => "pending",
                                        InvitationState::Accepted => "accepted",
                                        InvitationState::Expired => "expired",
                                        InvitationState::Withdrawn => "withdrawn",
                                    });
                                    let roles = inv.roles.clone();
                                    let id = inv.id;
                                    let label = inv.email.clone();
                                    view! {
                                        <tr>
                                            <td>{inv.email}</td>
                                            <td>{move || roles.iter().map(|r| i18n.t(&role_key(*r))).collect::<Vec<_>>().join(", ")}</td>
                                            <td>{i18n.tr_owned(state_key.clone())}</td>
                                            <td>{pending.then(|| view! {
                                                <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                                                    aria-label={let l = label.clone(); move || format!("{} – {}", i18n.t("invite-withdraw"), l)}
                                                    on:click=move |_| withdraw(id)>
                                                    {i18n.tr("invite-withdraw")}
                                                </button>
                                            })}</td>
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
