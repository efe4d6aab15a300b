use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;
use vern_domain::access::Permission;
use vern_domain::problem::FieldError;
use vern_domain::register::product::Product;
use vern_domain::register::system::{SystemFacts, SystemStatus, check_system};

use super::{
    FieldErrors, StaleNotice, changed_fields, field_errors_of, is_stale, lines, status_key,
};
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, set_title};
use crate::i18n::use_i18n;
use crate::pages::admin::org_from_path;
use crate::session::use_session;

#[derive(Clone, Copy)]
struct Form {
    product: RwSignal<Option<(Uuid, String)>>,
    name: RwSignal<String>,
    unit: RwSignal<String>,
    version: RwSignal<String>,
    status: RwSignal<SystemStatus>,
    integrations: RwSignal<String>,
    review_date: RwSignal<String>,
    notes: RwSignal<String>,
    owners: RwSignal<Vec<Uuid>>,
}

impl Form {
    fn fill(&self, f: &SystemFacts, product_name: Option<String>) {
        self.product.set(
            f.product_id
                .map(|id| (id, product_name.unwrap_or_default())),
        );
        self.name.set(f.name.clone());
        self.unit.set(f.owning_unit.clone());
        self.version.set(f.version.clone());
        self.status.set(f.status);
        self.integrations.set(f.integrations.join("\n"));
        self.review_date
            .set(f.review_date.map(|d| d.to_string()).unwrap_or_default());
        self.notes.set(f.notes.clone());
        self.owners.set(f.owners.clone());
    }

    fn facts(&self) -> SystemFacts {
        SystemFacts {
            product_id: self.product.get_untracked().map(|(id, _)| id),
            name: self.name.get_untracked(),
            owning_unit: self.unit.get_untracked(),
            version: self.version.get_untracked(),
            status: self.status.get_untracked(),
            integrations: lines(&self.integrations.get_untracked()),
            review_date: self.review_date.get_untracked().parse().ok(),
            notes: self.notes.get_untracked(),
            owners: self.owners.get_untracked(),
        }
    }
}

/// Register a system (from the catalogue in a few clicks, or an own one) or edit one.
#[component]
pub fn SystemEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let params = use_params_map();
    let query = use_query_map();
    let navigate = use_navigate();
    let id = Memo::new(move |_| params.get().get("sid").and_then(|p| p.parse::<Uuid>().ok()));
    let title_key = move || {
        if id.get().is_some() {
            "systems-edit"
        } else {
            "systems-new"
        }
    };
    set_title(move || i18n.t(title_key()));
    let form = Form {
        product: RwSignal::new(None),
        name: RwSignal::new(String::new()),
        unit: RwSignal::new(String::new()),
        version: RwSignal::new(String::new()),
        status: RwSignal::new(SystemStatus::InUse),
        integrations: RwSignal::new(String::new()),
        review_date: RwSignal::new(String::new()),
        notes: RwSignal::new(String::new()),
        owners: RwSignal::new(Vec::new()),
    };
    let base = RwSignal::new(None::<(i32, SystemFacts)>);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let stale = RwSignal::new(None::<(Vec<String>, i32, SystemFacts)>);
    let notice = RwSignal::new(None::<String>);
    let confirm_delete = RwSignal::new(false);

    // Load the system, or the product named in `?product=` for a new one.
    Effect::new(move |_| {
        if !session.ready.get() {
            return;
        }
        let Some(org) = org.get() else { return };
        let id = id.get();
        let product = query
            .get()
            .get("product")
            .and_then(|p| p.parse::<Uuid>().ok());
        spawn_local(async move {
            match (id, product) {
                (Some(id), _) => match session.authorized(|t| api::get_system(org, id, t)).await {
                    Ok(s) => {
                        form.fill(&s.facts, s.product_name.clone());
                        base.set(Some((s.revision, s.facts)));
                    }
                    Err(e) => error.set(Some(e)),
                },
                (None, Some(pid)) => {
                    if let Ok(p) = session.authorized(|t| api::get_product(pid, t)).await {
                        form.product.set(Some((p.id, p.facts.name)));
                    }
                }
                (None, None) => {}
            }
        });
    });

    let save = move |revision: Option<i32>| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        let facts = form.facts();
        let product_name = form.product.get_untracked().map(|(_, n)| n);
        if let Err(errors) = check_system(&facts, product_name.as_deref()) {
            field_errors.set(errors);
            notice.set(None);
            return;
        }
        if !form.review_date.get_untracked().trim().is_empty() && facts.review_date.is_none() {
            field_errors.set(vec![FieldError {
                field: "review_date".into(),
                code: "not_a_date".into(),
            }]);
            return;
        }
        field_errors.set(Vec::new());
        let id = id.get_untracked();
        let navigate = navigate.clone();
        spawn_local(async move {
            match session
                .authorized(|t| api::save_system(org, id, revision, facts.clone(), t))
                .await
            {
                Ok(saved) => {
                    error.set(None);
                    stale.set(None);
                    form.fill(&saved.facts, saved.product_name.clone());
                    base.set(Some((saved.revision, saved.facts)));
                    notice.set(Some(i18n.t("register-saved")));
                    if id.is_none() {
                        navigate(
                            &format!("/organizations/{org}/systems/{}", saved.id),
                            Default::default(),
                        );
                    }
                }
                Err(e) if is_stale(&e) => {
                    let Some(id) = id else { return };
                    if let Ok(current) = session.authorized(|t| api::get_system(org, id, t)).await {
                        let before = base
                            .get_untracked()
                            .map(|(_, f)| f)
                            .unwrap_or_else(|| current.facts.clone());
                        stale.set(Some((
                            changed_fields(&before, &current.facts),
                            current.revision,
                            current.facts,
                        )));
                    }
                    notice.set(None);
                }
                Err(e) => {
                    notice.set(None);
                    field_errors.set(field_errors_of(&e));
                    error.set(Some(e));
                }
            }
        });
    };
    let save_submit = save.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save_submit(base.get_untracked().map(|(r, _)| r));
    };
    let on_reload = Callback::new(move |()| {
        if let Some((_, revision, facts)) = stale.get_untracked() {
            let product_name = form.product.get_untracked().map(|(_, n)| n);
            form.fill(&facts, product_name);
            base.set(Some((revision, facts)));
            stale.set(None);
        }
    });
    let on_overwrite = Callback::new(move |()| {
        if let Some((_, revision, facts)) = stale.get_untracked() {
            base.set(Some((revision, facts)));
            stale.set(None);
            save(Some(revision));
        }
    });
    let navigate_delete = use_navigate();
    let delete = move |_| {
        let (Some(org), Some(id), Some((revision, _))) = (
            org.get_untracked(),
            id.get_untracked(),
            base.get_untracked(),
        ) else {
            return;
        };
        let navigate = navigate_delete.clone();
        spawn_local(async move {
            match session
                .authorized(|t| api::delete_system(org, id, revision, t))
                .await
            {
                Ok(()) => navigate(&format!("/organizations/{org}/systems"), Default::default()),
                Err(e) => {
                    confirm_delete.set(false);
                    error.set(Some(e));
                }
            }
        });
    };
    // The statuses on offer: any for a new system, else the life cycle's next steps.
    let statuses = move || match base.get() {
        None => SystemStatus::ALL.to_vec(),
        Some((_, f)) => f.status.choices(),
    };
    let is_editor = move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::EditRegister))
    };
    let deletable = move || {
        is_editor()
            && base
                .get()
                .is_some_and(|(_, f)| f.status == SystemStatus::Planned)
    };

    view! {
        <div class="vern-container vern-narrow">
            <p>{move || org.get().map(|org| view! {
                <A href=format!("/organizations/{org}/systems") attr:class="ds-link">{i18n.tr("systems-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{move || i18n.t(title_key())}</h1>
            <div role="status" class="vern-status">{move || notice.get()}</div>
            {move || stale.get().map(|(fields, _, _)| view! { <StaleNotice fields=fields on_reload=on_reload on_overwrite=on_overwrite/> })}
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <FieldErrors errors=field_errors.into()/>
            <Show when=move || id.get().is_none() && form.product.get().is_none()>
                <CatalogueChooser form=form/>
            </Show>
            {move || form.product.get().map(|(pid, name)| view! {
                <p class="ds-paragraph">
                    {i18n.tr("systems-product")} ": "
                    <A href=format!("/products/{pid}") attr:class="ds-link">{name}</A>
                    {id.get().is_none().then(|| view! {
                        " "
                        <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                            on:click=move |_| form.product.set(None)>{i18n.tr("systems-choose-other")}</button>
                    })}
                </p>
            })}
            <form class="vern-form" on:submit=submit novalidate>
                <div class="ds-field">
                    <label class="ds-label" for="s-name">{i18n.tr("field-name")}</label>
                    <div class="ds-field__description" id="s-name-hint">{i18n.tr("systems-name-hint")}</div>
                    <input class="ds-input" id="s-name" type="text" maxlength="200" aria-describedby="s-name-hint" bind:value=form.name/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="s-unit">{i18n.tr("field-owning-unit")}</label>
                    <input class="ds-input" id="s-unit" type="text" maxlength="200" required bind:value=form.unit/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="s-version">{i18n.tr("field-version-in-use")}</label>
                    <div class="ds-field__description" id="s-version-hint">{i18n.tr("systems-version-hint")}</div>
                    <input class="ds-input" id="s-version" type="text" maxlength="50" aria-describedby="s-version-hint" bind:value=form.version/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="s-status">{i18n.tr("field-status")}</label>
                    <select class="ds-input" id="s-status" on:change=move |ev| {
                        if let Some(s) = SystemStatus::parse(&event_target_value(&ev)) { form.status.set(s); }
                    }>
                        {move || statuses().into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || form.status.get() == s>{i18n.tr_owned(status_key(s))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="s-review">{i18n.tr("field-review-date")}</label>
                    <input class="ds-input" id="s-review" type="date" bind:value=form.review_date/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="s-integrations">{i18n.tr("field-integrations")}</label>
                    <div class="ds-field__description" id="s-integrations-hint">{i18n.tr("register-one-per-line")}</div>
                    <textarea class="ds-input" id="s-integrations" rows="3" aria-describedby="s-integrations-hint" bind:value=form.integrations></textarea>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="s-notes">{i18n.tr("field-notes")}</label>
                    <textarea class="ds-input" id="s-notes" rows="4" maxlength="4000" bind:value=form.notes></textarea>
                </div>
                <OwnerFields form=form editable=Signal::derive(is_editor)/>
                <div class="vern-tools">
                    <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("register-save")}</button>
                    {move || deletable().then(|| if confirm_delete.get() {
                        view! {
                            <button type="button" class="ds-button" data-variant="primary" data-color="danger" on:click=delete.clone()>{i18n.tr("systems-delete-confirm")}</button>
                            <button type="button" class="ds-button" data-variant="tertiary" on:click=move |_| confirm_delete.set(false)>{i18n.tr("cancel")}</button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="ds-button" data-variant="secondary" data-color="danger" on:click=move |_| confirm_delete.set(true)>{i18n.tr("systems-delete")}</button>
                        }.into_any()
                    })}
                </div>
            </form>
            {move || match (org.get(), id.get()) {
                (Some(o), Some(sid)) => {
                    // A register editor sets up any system's connector, an owner their own.
                    let owner = session.can(o, Permission::EditOwnSystems)
                        && session.user_id().is_some_and(|u| form.owners.get_untracked().contains(&u));
                    let editable = is_editor() || owner;
                    Some(view! { <ConnectorSection org=o system=sid editable=editable/> })
                }
                _ => None,
            }}
        </div>
    }
}

/// The system's connector: where Vern sends request tasks; the shared secret is shown once.
#[component]
fn ConnectorSection(
    org: vern_domain::OrganizationId,
    system: Uuid,
    editable: bool,
) -> impl IntoView {
    use vern_domain::connector::{ConnectorInput, ConnectorSetup, SystemConnector};
    let i18n = use_i18n();
    let session = use_session();
    let tick = RwSignal::new(0u32);
    let endpoint = RwSignal::new(String::new());
    let secret = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let url = move || format!("/api/v1/organizations/{org}/systems/{system}/connector");
    let current = {
        LocalResource::new(move || {
            tick.track();
            let url = url();
            async move {
                let found = session
                    .authorized(|t| api::fetch_json::<SystemConnector>(url.clone(), t))
                    .await
                    .ok()
                    .and_then(|s| s.connector);
                if let Some(c) = &found {
                    endpoint.set(c.endpoint.clone());
                }
                found
            }
        })
    };
    let put = {
        move |rotate: bool| {
            let url = url();
            let body = ConnectorInput {
                endpoint: Some(endpoint.get_untracked()).filter(|e| !e.trim().is_empty()),
                rotate_secret: rotate,
            };
            error.set(None);
            field_errors.set(Vec::new());
            spawn_local(async move {
                match session
                    .authorized(|t| {
                        api::put_json_plain::<_, ConnectorSetup>(url.clone(), body.clone(), t)
                    })
                    .await
                {
                    Ok(setup) => {
                        secret.set(setup.secret);
                        tick.update(|n| *n += 1);
                    }
                    Err(e) => {
                        field_errors.set(super::field_errors_of(&e));
                        error.set(Some(e));
                    }
                }
            });
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        put(false);
    };
    let rotate = move |_| put(true);
    let remove = move |_| {
        let url = url();
        spawn_local(async move {
            match session.authorized(|t| api::delete(url.clone(), t)).await {
                Ok(()) => {
                    secret.set(None);
                    endpoint.set(String::new());
                    tick.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="vern-section" aria-labelledby="connector-heading">
            <h2 class="ds-heading" data-size="sm" id="connector-heading">{i18n.tr("connector-title")}</h2>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("connector-hint")}</p>
            {move || secret.get().map(|s| view! {
                <div class="ds-alert" data-color="warning" role="status">
                    <p class="ds-paragraph">{i18n.tr("connector-secret-once")}</p>
                    <p class="ds-paragraph"><code class="vern-secret">{s}</code></p>
                </div>
            })}
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <Suspense fallback=|| ()>
                {move || current.get().map(|found| match found {
                    Some(c) => view! {
                        <p class="ds-paragraph">{i18n.tr("connector-active")} " " <code>{c.endpoint}</code></p>
                    }.into_any(),
                    None => view! { <p class="ds-paragraph">{i18n.tr("connector-none")}</p> }.into_any(),
                })}
            </Suspense>
            {editable.then(|| view! {
                <form class="vern-form" on:submit=save novalidate>
                    <super::FieldErrors errors=field_errors.into()/>
                    <div class="ds-field">
                        <label class="ds-label" for="connector-endpoint">{i18n.tr("connector-endpoint")}</label>
                        <div class="ds-field__description" id="connector-endpoint-hint">{i18n.tr("connector-endpoint-hint")}</div>
                        <input class="ds-input" id="connector-endpoint" type="url" maxlength="500" aria-describedby="connector-endpoint-hint" bind:value=endpoint/>
                    </div>
                    <div class="vern-tools">
                        <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("connector-save")}</button>
                        {move || current.get().flatten().map(|_| view! {
                            <button class="ds-button" data-variant="secondary" type="button" on:click=rotate>{i18n.tr("connector-rotate")}</button>
                            <button class="ds-button" data-variant="secondary" data-color="danger" type="button" on:click=remove>{i18n.tr("connector-remove")}</button>
                        })}
                    </div>
                </form>
            })}
        </section>
    }
}

/// Search the catalogue and pick a product, or go on with an own system.
#[component]
fn CatalogueChooser(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let q = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Result<Vec<Product>, ApiError>>);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = Some(q.get_untracked()).filter(|q| !q.trim().is_empty());
        spawn_local(async move {
            let page = session
                .authorized(|t| api::list_catalogue(q.clone(), None, t))
                .await;
            results.set(Some(page.map(|p| p.items)));
        });
    };
    view! {
        <section class="vern-panel" aria-labelledby="chooser-heading">
            <h2 class="ds-heading" data-size="sm" id="chooser-heading">{i18n.tr("systems-from-catalogue")}</h2>
            <p class="ds-paragraph">{i18n.tr("systems-from-catalogue-hint")}</p>
            <form class="vern-search" role="search" on:submit=search>
                <div class="ds-field">
                    <label class="ds-label" for="chooser-q">{i18n.tr("catalogue-search-label")}</label>
                    <input class="ds-input" id="chooser-q" type="search" maxlength="200" bind:value=q/>
                </div>
                <button class="ds-button" data-variant="secondary" type="submit">{i18n.tr("org-search-submit")}</button>
            </form>
            <div role="status">
                {move || results.get().map(|r| match r {
                    Ok(items) if items.is_empty() => view! { <p class="ds-paragraph">{i18n.tr("catalogue-none")}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="vern-choices">
                            {items.into_iter().map(|p| {
                                let label = format!("{} – {}", p.facts.name, p.vendor_name);
                                let (pid, name) = (p.id, p.facts.name.clone());
                                let aria = label.clone();
                                view! {
                                    <li>
                                        <span>{label}</span>
                                        " "
                                        <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                                            aria-label=move || format!("{} {}", i18n.t("systems-choose"), aria)
                                            on:click=move |_| form.product.set(Some((pid, name.clone())))>
                                            {i18n.tr("systems-choose")}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                })}
            </div>
            <p class="ds-paragraph" data-size="sm">{i18n.tr("systems-own-hint")}</p>
        </section>
    }
}

/// The system's owners: register editors choose among the members holding the system owner
/// role; everyone else sees who they are.
#[component]
fn OwnerFields(form: Form, editable: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let candidates = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        async move {
            let org = org.filter(|_| ready)?;
            session
                .authorized(|t| api::list_system_owner_candidates(org, t))
                .await
                .ok()
                .map(|l| l.items)
        }
    });
    move || {
        let list = candidates.get().flatten().unwrap_or_default();
        if editable.get() {
            view! {
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("field-owners")}</legend>
                    <p class="ds-field__description">{i18n.tr("systems-owners-hint")}</p>
                    {if list.is_empty() {
                        view! { <p class="ds-paragraph" data-size="sm">{i18n.tr("systems-owners-none")}</p> }.into_any()
                    } else {
                        list.into_iter().map(|c| {
                            let id = format!("owner-{}", c.user_id);
                            let user = c.user_id;
                            view! {
                                <div class="ds-field">
                                    <input class="ds-input" type="checkbox" id=id.clone()
                                        prop:checked=move || form.owners.get().contains(&user)
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            form.owners.update(|o| {
                                                o.retain(|x| *x != user);
                                                if on { o.push(user); }
                                            });
                                        }/>
                                    <label class="ds-label" data-weight="regular" for=id>{c.display_name}</label>
                                </div>
                            }
                        }).collect_view().into_any()
                    }}
                </fieldset>
            }
            .into_any()
        } else {
            let names = list
                .into_iter()
                .filter(|c| form.owners.get().contains(&c.user_id))
                .map(|c| c.display_name)
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <p class="ds-paragraph">{i18n.tr("field-owners")} ": " {names}</p>
            }
            .into_any()
        }
    }
}
