use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use uuid::Uuid;
use vern_domain::webhooks::{DeliveryStatus, EventType, NewWebhook};

use super::org_from_path;
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::session::use_session;

fn event_key(e: EventType) -> String {
    format!("webhooks-event-{}", e.as_str().replace(['.', '_'], "-"))
}

fn status_key(s: DeliveryStatus) -> String {
    format!("webhooks-status-{}", s.as_str())
}

/// Webhooks: subscribe an endpoint to events (the signing secret is shown once), read a
/// webhook's delivery log, replay a delivery, remove a webhook.
#[component]
pub fn WebhooksPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("webhooks-title"));
    let version = RwSignal::new(0u32);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<String>);
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<EventType>::new());
    let shown = RwSignal::new(None::<Uuid>);
    let hooks = LocalResource::new(move || {
        version.get();
        let ready = session.ready.get();
        let org = org.get();
        async move {
            match (ready, org) {
                (true, Some(org)) => Some(session.authorized(|t| api::list_webhooks(org, t)).await),
                _ => None,
            }
        }
    });
    let deliveries = LocalResource::new(move || {
        version.get();
        let org = org.get();
        let hook = shown.get();
        async move {
            match (org, hook) {
                (Some(org), Some(hook)) => Some(
                    session
                        .authorized(|t| api::webhook_deliveries(org, hook, t))
                        .await,
                ),
                _ => None,
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let body = NewWebhook {
            url: url.get_untracked(),
            event_types: chosen.get_untracked(),
            description: Some(description.get_untracked()),
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::create_webhook(org, body.clone(), t))
                .await
            {
                Ok(c) => {
                    error.set(None);
                    notice.set(None);
                    created.set(Some(c.secret));
                    url.set(String::new());
                    description.set(String::new());
                    chosen.set(Vec::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove = move |id: Uuid| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/webhooks/{id}");
            match session.authorized(|t| api::delete(url.clone(), t)).await {
                Ok(()) => {
                    notice.set(Some(i18n.t("webhooks-removed-notice")));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let rotate = move |id: Uuid| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::rotate_webhook_secret(org, id, t))
                .await
            {
                Ok(c) => {
                    error.set(None);
                    let until = c
                        .webhook
                        .previous_secret_until
                        .map(crate::components::utc_date)
                        .unwrap_or_default();
                    notice.set(Some(
                        i18n.t_with("webhooks-rotated", &[("until", until.into())]),
                    ));
                    created.set(Some(c.secret));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let replay = move |id: Uuid| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match session
                .authorized(|t| api::replay_webhook_delivery(org, id, t))
                .await
            {
                Ok(_) => {
                    notice.set(Some(i18n.t("webhooks-replayed")));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <div class="vern-container">
            <p><A href="/account" attr:class="ds-link">{i18n.tr("nav-account")}</A></p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("webhooks-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("webhooks-intro")}</p>
            <div role="status" class="vern-status">{move || notice.get()}</div>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || created.get().map(|secret| view! {
                <div class="ds-alert" data-color="info" role="status">
                    <p class="ds-paragraph">{i18n.tr("webhooks-secret-once")}</p>
                    <p class="ds-paragraph"><code class="vern-secret" data-testid="webhook-secret">{secret}</code></p>
                </div>
            })}
            <h2 class="ds-heading" data-size="sm">{i18n.tr("webhooks-create")}</h2>
            <form class="vern-form" on:submit=submit>
                <div class="ds-field">
                    <label class="ds-label" for="webhook-url">{i18n.tr("webhooks-url")}</label>
                    <div class="ds-field__description" id="webhook-url-hint">{i18n.tr("webhooks-url-hint")}</div>
                    <input class="ds-input" id="webhook-url" type="url" maxlength="2000" required
                        aria-describedby="webhook-url-hint" bind:value=url/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="webhook-description">{i18n.tr("webhooks-description")}</label>
                    <input class="ds-input" id="webhook-description" type="text" maxlength="200" bind:value=description/>
                </div>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("webhooks-events")}</legend>
                    <p class="ds-field__description">{i18n.tr("webhooks-events-hint")}</p>
                    {EventType::ALL.into_iter().map(|e| {
                        let id = format!("event-{}", e.as_str().replace('.', "-"));
                        view! {
                            <div class="ds-field">
                                <input class="ds-input" type="checkbox" id=id.clone()
                                    prop:checked=move || chosen.get().contains(&e)
                                    on:change=move |_| chosen.update(|c| if let Some(i) = c.iter().position(|x| *x == e) { c.remove(i); } else { c.push(e); })/>
                                <label class="ds-label" data-weight="regular" for=id>{i18n.tr_owned(event_key(e))}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("webhooks-submit")}</button>
            </form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match hooks.await {
                        Some(Ok(page)) if !page.items.is_empty() => view! {
                            <table class="ds-table" data-border="true">
                                <caption class="ds-heading" data-size="2xs">{i18n.tr("webhooks-list")}</caption>
                                <thead><tr>
                                    <th scope="col">{i18n.tr("webhooks-url")}</th>
                                    <th scope="col">{i18n.tr("webhooks-events")}</th>
                                    <th scope="col">{i18n.tr("account-col-tools")}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|h| {
                                        let id = h.id;
                                        let live = h.revoked_at.is_none();
                                        let label = h.description.clone().unwrap_or_else(|| h.url.clone());
                                        let label2 = label.clone();
                                        let label3 = label.clone();
                                        let overlap = h
                                            .previous_secret_until
                                            .filter(|u| *u > crate::components::now())
                                            .map(crate::components::utc_date);
                                        view! {
                                            <tr>
                                                <th scope="row">
                                                    {h.description.clone().map(|d| view! { {d}<br/> })}
                                                    <code>{h.url}</code>
                                                    {overlap.map(|until| view! {
                                                        <br/><span class="ds-paragraph" data-size="sm">{move || i18n.t_with("webhooks-overlap", &[("until", until.clone().into())])}</span>
                                                    })}
                                                </th>
                                                <td>{move || h.event_types.iter().map(|e| i18n.t(&event_key(*e))).collect::<Vec<_>>().join(", ")}</td>
                                                <td>
                                                    <div class="vern-tools">
                                                        <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                                                            aria-label=move || format!("{} – {}", i18n.t("webhooks-show-deliveries"), label)
                                                            on:click=move |_| shown.set(Some(id))>
                                                            {i18n.tr("webhooks-show-deliveries")}
                                                        </button>
                                                        {if live {
                                                            view! {
                                                                <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                                                                    aria-label=move || format!("{} – {}", i18n.t("webhooks-rotate"), label3)
                                                                    on:click=move |_| rotate(id)>
                                                                    {i18n.tr("webhooks-rotate")}
                                                                </button>
                                                                <button type="button" class="ds-button" data-variant="tertiary" data-color="danger" data-size="sm"
                                                                    aria-label=move || format!("{} – {}", i18n.t("webhooks-remove"), label2)
                                                                    on:click=move |_| remove(id)>
                                                                    {i18n.tr("webhooks-remove")}
                                                                </button>
                                                            }.into_any()
                                                        } else {
                                                            view! { <span>{i18n.tr("webhooks-removed")}</span> }.into_any()
                                                        }}
                                                    </div>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Some(Ok(_)) => view! { <p class="ds-paragraph">{i18n.tr("webhooks-none")}</p> }.into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match deliveries.await {
                        Some(Ok(page)) => view! {
                            <section aria-labelledby="deliveries-heading">
                                <h2 class="ds-heading" data-size="sm" id="deliveries-heading">{i18n.tr("webhooks-deliveries")}</h2>
                                {if page.items.is_empty() {
                                    view! { <p class="ds-paragraph">{i18n.tr("webhooks-no-deliveries")}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="ds-table" data-border="true">
                                            <caption class="ds-heading" data-size="2xs">{i18n.tr("webhooks-deliveries")}</caption>
                                            <thead><tr>
                                                <th scope="col">{i18n.tr("webhooks-col-time")}</th>
                                                <th scope="col">{i18n.tr("webhooks-col-event")}</th>
                                                <th scope="col">{i18n.tr("webhooks-col-status")}</th>
                                                <th scope="col">{i18n.tr("webhooks-col-attempts")}</th>
                                                <th scope="col">{i18n.tr("webhooks-col-answer")}</th>
                                                <th scope="col">{i18n.tr("account-col-tools")}</th>
                                            </tr></thead>
                                            <tbody>
                                                {page.items.into_iter().map(|d| {
                                                    let id = d.id;
                                                    let event = d.event_type;
                                                    let answer = match (d.last_status, d.last_error.clone()) {
                                                        (Some(s), _) => s.to_string(),
                                                        (None, Some(e)) => e,
                                                        (None, None) => "–".to_owned(),
                                                    };
                                                    view! {
                                                        <tr>
                                                            <td>{crate::components::utc_date(d.created_at)}</td>
                                                            <th scope="row">{move || i18n.t(&event_key(event))}<br/><code>{d.object.id.to_string()}</code></th>
                                                            <td>{i18n.tr_owned(status_key(d.status))}</td>
                                                            <td>{d.attempts}</td>
                                                            <td>{answer}</td>
                                                            <td>
                                                                <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                                                                    aria-label=move || format!("{} – {}", i18n.t("webhooks-replay"), i18n.t(&event_key(event)))
                                                                    on:click=move |_| replay(id)>
                                                                    {i18n.tr("webhooks-replay")}
                                                                </button>
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
