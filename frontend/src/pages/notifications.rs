//! The reader's notifications: what happened or is due in the organisations they work for,
//! newest first, each linking to its subject, marked read one by one or all at once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};
use vern_domain::incidents::report::local_time;
use vern_domain::notifications::{Notification, NotificationKind, NotificationPage};

use crate::api::{self, ApiError, with_query};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::{I18n, use_i18n};
use crate::session::use_session;

/// The notification's text in the reader's language.
fn text(i18n: I18n, n: &Notification) -> String {
    let p = &n.params;
    let due = p
        .due_at
        .map(local_time)
        .or_else(|| p.due_on.map(|d| d.format("%d.%m.%Y").to_string()))
        .unwrap_or_default();
    let key = match n.kind {
        NotificationKind::IncidentReceived => "notification-incident-received",
        NotificationKind::IncidentClockUrgent => "notification-incident-clock-urgent",
        NotificationKind::IncidentClockOverdue => "notification-incident-clock-overdue",
        NotificationKind::RequestDueSoon => "notification-request-due-soon",
        NotificationKind::RequestOverdue => "notification-request-overdue",
    };
    i18n.t_with(
        key,
        &[
            ("org", n.organization_name.clone().into()),
            ("reference", p.reference.clone().unwrap_or_default().into()),
            ("title", p.title.clone().unwrap_or_default().into()),
            ("from", p.from.clone().unwrap_or_default().into()),
            ("due", due.into()),
        ],
    )
}

/// Where the notification's subject is shown.
fn href(n: &Notification) -> String {
    match n.subject_type.as_str() {
        "incident" => format!(
            "/organizations/{}/incidents/{}",
            n.organization_id, n.subject_id
        ),
        _ => format!("/requests/{}", n.subject_id),
    }
}

/// The header's link, with the number unread (checked again on every page change).
#[component]
pub fn NotificationsLink() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let unread = LocalResource::new(move || {
        location.pathname.track();
        let signed_in = session.current.with(Option::is_some);
        async move {
            if !signed_in {
                return None;
            }
            session
                .authorized(|t| {
                    api::fetch_json::<NotificationPage>(
                        "/api/v1/me/notifications?unread=true&limit=1".to_owned(),
                        t,
                    )
                })
                .await
                .ok()
                .map(|p| p.unread)
        }
    });
    view! {
        <A href="/notifications">
            {move || match unread.get().flatten() {
                Some(n) if n > 0 => i18n.t_with("nav-notifications-unread", &[("count", (n as usize).into())]),
                _ => i18n.t("nav-notifications"),
            }}
        </A>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    set_title(i18n.tr("notifications-title"));
    let query_map = use_query_map();
    let cursor = Memo::new(move |_| query_map.get().get("cursor").filter(|v| !v.is_empty()));
    let changed = RwSignal::new(0u32);
    let error = RwSignal::new(None::<ApiError>);
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let url = with_query(
            "/api/v1/me/notifications",
            &[("cursor", cursor.get()), ("limit", Some("50".to_owned()))],
        );
        changed.track();
        async move {
            if !ready {
                return None;
            }
            Some(
                session
                    .authorized(|t| api::fetch_json::<NotificationPage>(url.clone(), t))
                    .await,
            )
        }
    });
    let mark = move |url: String| {
        spawn_local(async move {
            match session
                .authorized(|t| api::post_empty(url.clone(), t))
                .await
            {
                Ok(()) => {
                    error.set(None);
                    changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("notifications-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("notifications-intro")}</p>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            <Suspense fallback=|| view! { <Loading/> }>
                {move || page.get().flatten().map(|result| match result {
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("notifications-none")}</p> }.into_any(),
                    Ok(page) => {
                        let unread = page.unread;
                        let next = page.next_cursor.clone();
                        view! {
                            <p class="ds-paragraph" role="status">{move || i18n.t_with("notifications-unread", &[("count", (unread as usize).into())])}</p>
                            {(unread > 0).then(|| view! {
                                <p><button class="ds-button" data-variant="secondary" type="button" on:click=move |_| mark("/api/v1/me/notifications/read".to_owned())>{i18n.tr("notifications-read-all")}</button></p>
                            })}
                            <ul class="vern-notifications">
                                {page.items.into_iter().map(|n| {
                                    let line = text(i18n, &n);
                                    let label = i18n.t_with("notifications-mark-read-label", &[("text", line.clone().into())]);
                                    let link = href(&n);
                                    let read = n.read_at.is_some();
                                    let url = format!("/api/v1/me/notifications/{}/read", n.id);
                                    view! {
                                        <li class="ds-card vern-notification" data-unread=(!read).to_string()>
                                            <p class="ds-paragraph">
                                                {(!read).then(|| view! { <span class="ds-tag" data-color="info">{i18n.tr("notifications-new")}</span>" " })}
                                                <A href=link attr:class="ds-link">{line.clone()}</A>
                                            </p>
                                            <p class="ds-paragraph" data-size="sm">{local_time(n.created_at)}</p>
                                            {(!read).then(|| {
                                                view! {
                                                    <button class="ds-button" data-variant="tertiary" data-size="sm" type="button" aria-label=label on:click=move |_| mark(url.clone())>{i18n.tr("notifications-mark-read")}</button>
                                                }
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {next.map(|c| view! { <p><A href=with_query("/notifications", &[("cursor", Some(c))]) attr:class="ds-link">{i18n.tr("incidents-next")}</A></p> })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}
