//! The reader's notifications: what happened or is due in the organisations they work for,
//! newest first, each linking to its subject, marked read one by one or all at once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};
use vern_domain::incidents::report::local_time;
use vern_domain::notifications::{Notification, NotificationPage, NotificationPreferences};
use vern_domain::register::record::RecordLang;

use crate::api::{self, ApiError, with_query};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::{I18n, use_i18n};
use crate::session::use_session;

/// The notification's text in the reader's language.
fn text(i18n: I18n, n: &Notification) -> String {
    let (key, args) = n.text_args();
    let args: Vec<(&str, vern_i18n::Arg)> = args.into_iter().map(|(k, v)| (k, v.into())).collect();
    i18n.t_with(key, &args)
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
                                    let link = n.path();
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
            <Preferences/>
        </div>
    }
}

/// The reader's choices: which kinds also come by e-mail, and the e-mails' language.
#[component]
fn Preferences() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let url = "/api/v1/me/notification-preferences";
    let choices = RwSignal::new(None::<NotificationPreferences>);
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    Effect::new(move |_| {
        if !session.ready.get() {
            return;
        }
        spawn_local(async move {
            match session
                .authorized(|t| api::fetch_json::<NotificationPreferences>(url.to_owned(), t))
                .await
            {
                Ok(p) => choices.set(Some(p)),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(body) = choices.get_untracked() else {
            return;
        };
        saved.set(false);
        spawn_local(async move {
            match session
                .authorized(|t| {
                    api::put_json_plain::<_, NotificationPreferences>(
                        url.to_owned(),
                        body.clone(),
                        t,
                    )
                })
                .await
            {
                Ok(p) => {
                    error.set(None);
                    choices.set(Some(p));
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="vern-section" aria-labelledby="notification-settings-heading">
            <h2 class="ds-heading" data-size="sm" id="notification-settings-heading">{i18n.tr("notifications-settings")}</h2>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("notifications-settings-intro")}</p>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || choices.get().map(|p| view! {
                <form class="vern-form" on:submit=submit>
                    <fieldset class="ds-fieldset">
                        <legend class="ds-label">{i18n.tr("notifications-settings-email")}</legend>
                        {p.email.iter().map(|c| {
                            let kind = c.kind;
                            let id = format!("notify-email-{}", kind.as_str());
                            let label_for = id.clone();
                            let label = format!("notification-kind-{}", kind.as_str().replace('_', "-"));
                            view! {
                                <div class="ds-field">
                                    <input class="ds-input" type="checkbox" id=id prop:checked=c.email
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            choices.update(|p| if let Some(p) = p {
                                                for choice in p.email.iter_mut().filter(|x| x.kind == kind) { choice.email = on; }
                                            });
                                        }/>
                                    <label class="ds-label" for=label_for data-weight="regular">{move || i18n.t(&label)}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <div class="ds-field">
                        <label class="ds-label" for="notify-language">{i18n.tr("notifications-settings-language")}</label>
                        <select class="ds-input" id="notify-language" on:change=move |ev| {
                            if let Some(lang) = RecordLang::parse(&event_target_value(&ev)) {
                                choices.update(|p| if let Some(p) = p { p.language = lang; });
                            }
                        }>
                            {vern_i18n::Lang::ALL.into_iter().map(|lang| view! {
                                <option value=lang.tag() selected=p.language.tag() == lang.tag()>{lang.native_name()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button class="ds-button" data-variant="secondary" type="submit">{i18n.tr("notifications-settings-save")}</button>
                    {move || saved.get().then(|| view! { <p class="ds-paragraph" role="status">{i18n.tr("notifications-settings-saved")}</p> })}
                </form>
            })}
        </section>
    }
}
