//! Templates from other municipalities: browse the processing activities others share, and
//! copy one — with the catalogue products it runs on — as a draft of one's own.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use uuid::Uuid;
use vern_domain::access::Permission;
use vern_domain::problem::FieldError;
use vern_domain::register::template::{
    ActivityTemplate, TemplateCopy, TemplateCopyRequest, check_copy_request,
};

use super::{FieldErrors, category_label, field_errors_of, subject_label};
use crate::api::{self, ApiError, with_query};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::pages::admin::org_from_path;
use crate::session::use_session;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("templates-title"));
    let query_map = use_query_map();
    let q = Memo::new(move |_| query_map.get().get("q").filter(|v| !v.is_empty()));
    let cursor = Memo::new(move |_| query_map.get().get("cursor").filter(|v| !v.is_empty()));
    let page = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        let (q, cursor) = (q.get(), cursor.get());
        async move {
            let org = org.filter(|_| ready)?;
            let url = with_query(
                &format!("/api/v1/organizations/{org}/activity-templates"),
                &[("q", q), ("limit", Some("20".into())), ("cursor", cursor)],
            );
            Some(
                session
                    .authorized(|t| api::list_activity_templates(url.clone(), t))
                    .await,
            )
        }
    });
    let can_edit = Signal::derive(move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::EditRegister))
    });
    let here = move || {
        org.get()
            .map(|o| format!("/organizations/{o}/activity-templates"))
            .unwrap_or_default()
    };

    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/processing-activities") attr:class="ds-link">{i18n.tr("activities-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("templates-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("templates-intro")}</p>
            <Form method="GET" action=here attr:class="vern-search" attr:role="search">
                <div class="ds-field">
                    <label class="ds-label" for="tpl-q">{i18n.tr("templates-search-label")}</label>
                    <input class="ds-input" id="tpl-q" name="q" type="search" maxlength="200"
                        prop:value=move || q.get().unwrap_or_default()/>
                </div>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("org-search-submit")}</button>
            </Form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match page.await {
                        None => ().into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        Some(Ok(page)) if page.items.is_empty() => view! {
                            <p class="ds-paragraph" role="status">{i18n.tr("templates-none")}</p>
                        }.into_any(),
                        Some(Ok(page)) => {
                            let next = page.next_cursor.clone().map(|c| with_query(&here(), &[("q", q.get_untracked()), ("cursor", Some(c))]));
                            let first = cursor.get_untracked().map(|_| with_query(&here(), &[("q", q.get_untracked())]));
                            view! {
                                {page.items.into_iter().map(|t| view! { <TemplateCard template=t can_edit=can_edit/> }).collect_view()}
                                <nav class="vern-pager" aria-label=i18n.tr("org-pagination-label")>
                                    {first.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("org-first-page")}</A> })}
                                    {next.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("org-next-page")}</A> })}
                                </nav>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn TemplateCard(template: ActivityTemplate, can_edit: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let f = template.facts.clone();
    let heading = format!("tpl-{}", template.id);
    let labelled_by = heading.clone();
    let purposes = f.purposes.join("; ");
    let bases = f
        .legal_bases
        .iter()
        .map(|b| {
            format!("{} {}", b.basis.article(), b.national_law)
                .trim()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join("; ");
    let subjects = f.data_subjects.clone();
    let categories = f
        .data_categories
        .iter()
        .map(|c| c.category.clone())
        .collect::<Vec<_>>();
    let products = template.products.clone();
    let note = template.note.clone();
    let copies = template.copies;
    let publisher = template.publisher.name.clone();
    let template_id = template.id;
    let has_products = !template.products.is_empty();
    let dpia = template.dpia.clone();
    view! {
        <article class="vern-card" aria-labelledby=labelled_by>
            <h2 class="ds-heading" data-size="sm" id=heading>{f.name.clone()}</h2>
            <p class="ds-paragraph" data-size="sm">
                {move || i18n.t_with("templates-from", &[("publisher", publisher.clone().into()), ("copies", (copies as usize).into())])}
            </p>
            {(!note.is_empty()).then(|| view! { <p class="ds-paragraph"><em>{note.clone()}</em></p> })}
            <dl class="vern-facts">
                <dt>{i18n.tr("field-purposes")}</dt><dd>{purposes}</dd>
                <dt>{i18n.tr("field-legal-bases")}</dt><dd>{bases}</dd>
                <dt>{i18n.tr("field-data-subjects")}</dt>
                <dd>{move || subjects.iter().map(|k| subject_label(i18n, k)).collect::<Vec<_>>().join(", ")}</dd>
                <dt>{i18n.tr("field-data-categories")}</dt>
                <dd>{move || categories.iter().map(|k| category_label(i18n, k)).collect::<Vec<_>>().join(", ")}</dd>
                <dt>{i18n.tr("templates-products")}</dt>
                <dd>
                    {if products.is_empty() {
                        view! { <span>{i18n.tr("templates-no-products")}</span> }.into_any()
                    } else {
                        view! {
                            <ul class="ds-list">
                                {products.iter().map(|p| {
                                    let href = format!("/products/{}", p.product_id);
                                    let label = format!("{} ({})", p.name, p.vendor_name);
                                    let gone = !p.available;
                                    view! { <li>
                                        <A href=href attr:class="ds-link">{label}</A>
                                        {gone.then(|| view! { " " <span class="ds-tag" data-color="warning">{i18n.tr("templates-product-gone")}</span> })}
                                    </li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </dd>
                <dt>{i18n.tr("templates-dpia")}</dt>
                <dd>{match dpia {
                    None => view! { <span>{i18n.tr("templates-no-dpia")}</span> }.into_any(),
                    Some(d) => {
                        let count = d.risks.len();
                        view! {
                            <details>
                                <summary>{move || i18n.t_with("templates-dpia-shared", &[("count", count.into())])}</summary>
                                <p class="ds-paragraph vern-pre">{d.description.clone()}</p>
                                <p class="ds-paragraph vern-pre">{d.necessity.clone()}</p>
                                <ul class="ds-list">
                                    {d.risks.iter().map(|r| {
                                        let residual = crate::pages::requests::key("assessment-level", r.residual.as_str());
                                        let text = format!("{} — {}", r.description, r.measures);
                                        view! { <li>{text}" ("{move || i18n.t_with("templates-dpia-residual", &[("level", i18n.t(&residual).into())])}")"</li> }
                                    }).collect_view()}
                                </ul>
                            </details>
                        }.into_any()
                    }
                }}</dd>
            </dl>
            <Show when=move || can_edit.get()>
                <CopyForm template=template_id has_products=has_products/>
            </Show>
        </article>
    }
}

/// Copy a template: link the systems on its products, optionally registering the missing
/// ones as planned systems of a unit.
#[component]
fn CopyForm(template: Uuid, has_products: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let add = RwSignal::new(false);
    let unit = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let done = RwSignal::new(None::<TemplateCopy>);
    let id = |name: &str| format!("{name}-{template}");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(org) = org.get_untracked() else {
            return;
        };
        let body = TemplateCopyRequest {
            add_missing_systems: add.get_untracked(),
            owning_unit: unit.get_untracked(),
        };
        if let Err(errors) = check_copy_request(&body) {
            field_errors.set(errors);
            return;
        }
        field_errors.set(Vec::new());
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = session
                .authorized(|t| api::copy_activity_template(org, template, body.clone(), t))
                .await;
            busy.set(false);
            match result {
                Ok(copy) => done.set(Some(copy)),
                Err(e) => {
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    let add_id = id("tpl-add");
    let unit_id = id("tpl-unit");
    view! {
        {move || match done.get() {
            Some(copy) => {
                let href = org.get().map(|o| format!("/organizations/{o}/processing-activities/{}", copy.activity_id)).unwrap_or_default();
                let summary = i18n.t_with("templates-copied", &[
                    ("linked", copy.linked_systems.len().into()),
                    ("added", copy.added_systems.len().into()),
                ]);
                let missing = copy.missing_products.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", ");
                view! {
                    <div class="ds-alert" data-color="success" role="status">
                        <p class="ds-paragraph">{summary}</p>
                        {(!missing.is_empty()).then(|| view! {
                            <p class="ds-paragraph">{i18n.tr("templates-missing")} ": " {missing.clone()}</p>
                        })}
                        <p><A href=href attr:class="ds-link">{i18n.tr("templates-open-copy")}</A></p>
                    </div>
                }.into_any()
            }
            None => {
                let add_id = add_id.clone();
                let unit_id = unit_id.clone();
                view! {
                    <form class="vern-form" on:submit=submit novalidate>
                        <FieldErrors errors=field_errors.into()/>
                        {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
                        {has_products.then(|| {
                            let (add_id, unit_id) = (add_id.clone(), unit_id.clone());
                            view! {
                                <div class="ds-field">
                                    <input class="ds-input" type="checkbox" id=add_id.clone() bind:checked=add/>
                                    <label class="ds-label" data-weight="regular" for=add_id>{i18n.tr("templates-add-missing")}</label>
                                </div>
                                <Show when=move || add.get()>
                                    <div class="ds-field">
                                        <label class="ds-label" for=unit_id.clone()>{i18n.tr("templates-owning-unit")}</label>
                                        <input class="ds-input" id=unit_id.clone() type="text" maxlength="200" bind:value=unit/>
                                    </div>
                                </Show>
                            }
                        })}
                        <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>
                            {i18n.tr("templates-copy")}
                        </button>
                    </form>
                }.into_any()
            }
        }}
    }
}

/// On an activity's page: share it with other municipalities as a template, refresh the
/// template after changes, or withdraw it.
#[component]
pub fn TemplateSharing(
    org: vern_domain::OrganizationId,
    activity: Uuid,
    /// The activity's revision as saved.
    revision: i32,
    status: vern_domain::register::activity::ActivityStatus,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let template = RwSignal::new(None::<ActivityTemplate>);
    let note = RwSignal::new(String::new());
    let include_dpia = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    Effect::new(move |_| {
        if !session.ready.get() {
            return;
        }
        spawn_local(async move {
            if let Ok(Some(t)) = session
                .authorized(|tk| api::find_activity_template(org, activity, tk))
                .await
            {
                note.set(t.note.clone());
                include_dpia.set(t.dpia.is_some());
                template.set(Some(t));
            }
        });
    });
    let can_edit = move || session.can(org, Permission::EditRegister);
    let active = status == vern_domain::register::activity::ActivityStatus::Active;
    let publish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        busy.set(true);
        let body = vern_domain::register::template::TemplatePublish {
            note: note.get_untracked(),
            include_dpia: include_dpia.get_untracked(),
        };
        spawn_local(async move {
            let result = session
                .authorized(|t| api::publish_activity_template(org, activity, body.clone(), t))
                .await;
            busy.set(false);
            match result {
                Ok(t) => {
                    notice.set(Some(i18n.t("templates-shared")));
                    template.set(Some(t));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let withdraw = move |_| {
        error.set(None);
        spawn_local(async move {
            let url =
                format!("/api/v1/organizations/{org}/processing-activities/{activity}/template");
            match session.authorized(|t| api::delete(url.clone(), t)).await {
                Ok(()) => {
                    notice.set(Some(i18n.t("templates-withdrawn")));
                    template.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="tpl-share-heading" class="vern-card">
            <h2 class="ds-heading" data-size="sm" id="tpl-share-heading">{i18n.tr("templates-share-title")}</h2>
            <p class="ds-paragraph">{i18n.tr("templates-share-intro")}</p>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            {move || template.get().map(|t| {
                let behind = t.activity_revision < revision;
                let copies = t.copies as usize;
                view! {
                    <p class="ds-paragraph">
                        {move || i18n.t_with("templates-shared-since", &[("date", t.updated_at.date_naive().to_string().into()), ("copies", copies.into())])}
                        {behind.then(|| view! { " " <span class="ds-tag" data-color="warning">{i18n.tr("templates-behind")}</span> })}
                    </p>
                }
            })}
            {move || (can_edit() && !active && template.get().is_none()).then(|| view! {
                <p class="ds-paragraph">{i18n.tr("templates-only-active")}</p>
            })}
            <Show when=move || can_edit() && active>
                <form class="vern-form" on:submit=publish novalidate>
                    <div class="ds-field">
                        <label class="ds-label" for="tpl-note">{i18n.tr("templates-note")}</label>
                        <div class="ds-field__description" id="tpl-note-hint">{i18n.tr("templates-note-hint")}</div>
                        <textarea class="ds-input" id="tpl-note" rows="2" maxlength="2000" aria-describedby="tpl-note-hint" bind:value=note></textarea>
                    </div>
                    <div class="ds-field">
                        <input class="ds-input" type="checkbox" id="tpl-include-dpia" aria-describedby="tpl-include-dpia-hint"
                            prop:checked=move || include_dpia.get()
                            on:change=move |ev| include_dpia.set(event_target_checked(&ev))/>
                        <label class="ds-label" data-weight="regular" for="tpl-include-dpia">{i18n.tr("templates-include-dpia")}</label>
                        <div class="ds-field__description" id="tpl-include-dpia-hint">{i18n.tr("templates-include-dpia-hint")}</div>
                    </div>
                    <div class="vern-tools">
                        <button class="ds-button" data-variant="primary" type="submit" disabled=move || busy.get()>
                            {move || i18n.t(if template.get().is_some() { "templates-refresh" } else { "templates-share" })}
                        </button>
                        <Show when=move || template.get().is_some()>
                            <button class="ds-button" data-variant="secondary" type="button" on:click=withdraw>{i18n.tr("templates-withdraw")}</button>
                        </Show>
                    </div>
                </form>
            </Show>
            <div role="status" class="vern-status">{move || notice.get()}</div>
        </section>
    }
}
