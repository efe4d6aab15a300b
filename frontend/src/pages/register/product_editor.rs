use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;
use vern_domain::problem::FieldError;
use vern_domain::register::product::{
    Connector, HostingLocation, HostingRole, ProductFacts, RequestType, SubProcessor,
    TransferMechanism, check_product,
};
use vern_domain::register::taxonomy::data_categories;

use super::catalogue::ProductTable;
use super::{
    FieldErrors, StaleNotice, category_label, changed_fields, field_errors_of, from_wire, is_stale,
    lines, snake_key, wire,
};
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::pages::admin::org_from_path;
use crate::session::use_session;

/// A vendor's own products, published or not.
#[component]
pub fn VendorProductsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("vendor-products-title"));
    let products = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        async move {
            let org = org.filter(|_| ready)?;
            Some(
                session
                    .authorized(|t| api::list_vendor_products(org, t))
                    .await,
            )
        }
    });
    view! {
        <div class="vern-container">
            <p><A href="/account" attr:class="ds-link">{i18n.tr("nav-account")}</A></p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("vendor-products-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("vendor-products-intro")}</p>
            <p>{move || org.get().map(|org| view! {
                <A href=format!("/organizations/{org}/products/new") attr:class="ds-button" attr:data-variant="primary">{i18n.tr("product-new")}</A>
            })}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match products.await {
                        Some(Ok(page)) => view! { <ProductTable items=page.items caption="vendor-products-title"/> }.into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Transition>
            <ProcessorRecordSection/>
            <UsageSection/>
        </div>
    }
}

/// How customers use the products: the fact always, details where the customer consents.
#[component]
fn UsageSection() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let usage = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        async move {
            let org = org.filter(|_| ready)?;
            Some(session.authorized(|t| api::get_product_usage(org, t)).await)
        }
    });
    view! {
        <section aria-labelledby="usage-heading">
            <h2 class="ds-heading" data-size="md" id="usage-heading">{i18n.tr("usage-title")}</h2>
            <p class="ds-paragraph">{i18n.tr("usage-intro")}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match usage.await {
                        Some(Ok(u)) if u.customers.is_empty() => view! {
                            <p class="ds-paragraph">{i18n.tr("processor-record-none")}</p>
                        }.into_any(),
                        Some(Ok(u)) => view! {
                            <div class="vern-table-wrap">
                                <table class="ds-table" data-border="true" data-zebra="true">
                                    <caption class="ds-sr-only">{i18n.tr("usage-title")}</caption>
                                    <thead><tr>
                                        <th scope="col">{i18n.tr("processor-controller")}</th>
                                        <th scope="col">{i18n.tr("compare-product")}</th>
                                        <th scope="col">{i18n.tr("usage-systems")}</th>
                                        <th scope="col">{i18n.tr("usage-activities")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {u.customers.into_iter().flat_map(|c| {
                                            let shares = c.shares_details;
                                            let name = c.name.clone();
                                            c.products.into_iter().map(move |p| {
                                                let systems = p.systems.iter().map(|s| if s.version.is_empty() { s.name.clone() } else { format!("{} {}", s.name, s.version) }).collect::<Vec<_>>().join(", ");
                                                let activities = p.activities.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ");
                                                view! {
                                                    <tr>
                                                        <th scope="row">{name.clone()}</th>
                                                        <td>{p.product_name}</td>
                                                        {if shares {
                                                            view! { <td>{systems}</td><td>{activities}</td> }.into_any()
                                                        } else {
                                                            view! { <td colspan="2"><em>{i18n.tr("usage-not-shared")}</em></td> }.into_any()
                                                        }}
                                                    </tr>
                                                }
                                            }).collect::<Vec<_>>()
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The vendor's record as processor (Art. 30(2)): its customers and what it runs for each.
#[component]
fn ProcessorRecordSection() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let record = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        async move {
            let org = org.filter(|_| ready)?;
            Some(
                session
                    .authorized(|t| api::get_processor_record(org, t))
                    .await,
            )
        }
    });
    view! {
        <section aria-labelledby="processor-heading">
            <h2 class="ds-heading" data-size="md" id="processor-heading">{i18n.tr("processor-record-title")}</h2>
            <p class="ds-paragraph">{i18n.tr("processor-record-intro")}</p>
            <super::transfer::Downloads path="processor-record" file="databehandlerprotokoll" heading="processor-record-download"
                formats=&[("csv", "activities-export-csv")]/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match record.await {
                        Some(Ok(r)) if r.customers.is_empty() => view! {
                            <p class="ds-paragraph">{i18n.tr("processor-record-none")}</p>
                        }.into_any(),
                        Some(Ok(r)) => view! {
                            <div class="vern-table-wrap">
                                <table class="ds-table" data-border="true" data-zebra="true">
                                    <caption class="ds-sr-only">{i18n.tr("processor-record-title")}</caption>
                                    <thead><tr>
                                        <th scope="col">{i18n.tr("processor-controller")}</th>
                                        <th scope="col">{i18n.tr("processor-officers")}</th>
                                        <th scope="col">{i18n.tr("processor-products")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {r.customers.into_iter().map(|c| {
                                            let officers = c.privacy_officers.iter().map(|o| format!("{} <{}>", o.name, o.email)).collect::<Vec<_>>().join(", ");
                                            let products = c.processing.iter().map(|p| p.product_name.clone()).collect::<Vec<_>>().join(", ");
                                            view! {
                                                <tr>
                                                    <th scope="row">{c.controller.name}</th>
                                                    <td>{officers}</td>
                                                    <td>{products}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

const ROLES: [HostingRole; 3] = [
    HostingRole::Storage,
    HostingRole::Access,
    HostingRole::Processing,
];
pub(super) const MECHANISMS: [TransferMechanism; 4] = [
    TransferMechanism::Adequacy,
    TransferMechanism::StandardContractualClauses,
    TransferMechanism::BindingCorporateRules,
    TransferMechanism::Derogation,
];
const REQUEST_TYPES: [RequestType; 7] = [
    RequestType::Access,
    RequestType::Rectification,
    RequestType::Erasure,
    RequestType::Restriction,
    RequestType::Portability,
    RequestType::Objection,
    RequestType::PartyAccess,
];

/// One hosting location as the form holds it.
#[derive(Clone, Copy)]
struct HostRow {
    key: u32,
    country: RwSignal<String>,
    role: RwSignal<HostingRole>,
}

#[derive(Clone, Copy)]
struct SubRow {
    key: u32,
    name: RwSignal<String>,
    org_number: RwSignal<String>,
    country: RwSignal<String>,
    service: RwSignal<String>,
    mechanism: RwSignal<String>,
}

/// The editor's state: one signal per field, rows with their own signals so typing in one
/// never redraws the others.
#[derive(Clone, Copy)]
struct Form {
    next_key: StoredValue<u32>,
    name: RwSignal<String>,
    description: RwSignal<String>,
    version: RwSignal<String>,
    published: RwSignal<bool>,
    hosting: RwSignal<Vec<HostRow>>,
    subs: RwSignal<Vec<SubRow>>,
    measures: RwSignal<String>,
    certifications: RwSignal<String>,
    categories: RwSignal<Vec<String>>,
    has_connector: RwSignal<bool>,
    endpoint: RwSignal<String>,
    request_types: RwSignal<Vec<RequestType>>,
}

impl Form {
    fn new() -> Self {
        Self {
            next_key: StoredValue::new(0),
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            version: RwSignal::new(String::new()),
            published: RwSignal::new(false),
            hosting: RwSignal::new(Vec::new()),
            subs: RwSignal::new(Vec::new()),
            measures: RwSignal::new(String::new()),
            certifications: RwSignal::new(String::new()),
            categories: RwSignal::new(Vec::new()),
            has_connector: RwSignal::new(false),
            endpoint: RwSignal::new(String::new()),
            request_types: RwSignal::new(Vec::new()),
        }
    }

    fn key(&self) -> u32 {
        let k = self.next_key.get_value();
        self.next_key.set_value(k + 1);
        k
    }

    fn host_row(&self, h: HostingLocation) -> HostRow {
        HostRow {
            key: self.key(),
            country: RwSignal::new(h.country),
            role: RwSignal::new(h.role),
        }
    }

    fn sub_row(&self, s: SubProcessor) -> SubRow {
        SubRow {
            key: self.key(),
            name: RwSignal::new(s.name),
            org_number: RwSignal::new(s.org_number.unwrap_or_default()),
            country: RwSignal::new(s.country),
            service: RwSignal::new(s.service),
            mechanism: RwSignal::new(s.transfer_mechanism.map(|m| wire(&m)).unwrap_or_default()),
        }
    }

    fn fill(&self, f: ProductFacts) {
        self.name.set(f.name);
        self.description.set(f.description);
        self.version.set(f.version);
        self.published.set(f.published);
        let hosting = f.hosting.into_iter().map(|h| self.host_row(h)).collect();
        self.hosting.set(hosting);
        let subs = f
            .sub_processors
            .into_iter()
            .map(|s| self.sub_row(s))
            .collect();
        self.subs.set(subs);
        self.measures.set(f.security_measures.join("\n"));
        self.certifications.set(f.certifications.join("\n"));
        self.categories.set(f.data_categories);
        self.has_connector.set(f.connector.is_some());
        let (endpoint, types) = f
            .connector
            .map(|c| (c.endpoint, c.request_types))
            .unwrap_or_default();
        self.endpoint.set(endpoint);
        self.request_types.set(types);
    }

    fn facts(&self) -> ProductFacts {
        ProductFacts {
            name: self.name.get_untracked(),
            description: self.description.get_untracked(),
            version: self.version.get_untracked(),
            hosting: self
                .hosting
                .get_untracked()
                .iter()
                .map(|r| HostingLocation {
                    country: r.country.get_untracked(),
                    role: r.role.get_untracked(),
                })
                .collect(),
            sub_processors: self
                .subs
                .get_untracked()
                .iter()
                .map(|r| SubProcessor {
                    name: r.name.get_untracked(),
                    org_number: Some(r.org_number.get_untracked()).filter(|s| !s.trim().is_empty()),
                    country: r.country.get_untracked(),
                    service: r.service.get_untracked(),
                    transfer_mechanism: from_wire(&r.mechanism.get_untracked()),
                })
                .collect(),
            security_measures: lines(&self.measures.get_untracked()),
            certifications: lines(&self.certifications.get_untracked()),
            data_categories: self.categories.get_untracked(),
            connector: self.has_connector.get_untracked().then(|| Connector {
                endpoint: self.endpoint.get_untracked(),
                request_types: self.request_types.get_untracked(),
            }),
            published: self.published.get_untracked(),
        }
    }
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if let Some(i) = list.iter().position(|x| *x == item) {
        list.remove(i);
    } else {
        list.push(item);
    }
}

/// Create (`/organizations/:id/products/new`) or edit a product. The domain's own rules run
/// before sending; a save over someone else's newer version shows what they changed.
#[component]
pub fn ProductEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let params = use_params_map();
    let navigate = use_navigate();
    let id = Memo::new(move |_| params.get().get("pid").and_then(|p| p.parse::<Uuid>().ok()));
    set_title(move || {
        i18n.t(if id.get().is_some() {
            "product-edit"
        } else {
            "product-new"
        })
    });
    let form = Form::new();
    // The version the form was loaded from: (revision, facts).
    let base = RwSignal::new(None::<(i32, ProductFacts)>);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let stale = RwSignal::new(None::<(Vec<String>, i32, ProductFacts)>);
    let notice = RwSignal::new(None::<String>);

    Effect::new(move |_| {
        if !session.ready.get() {
            return;
        }
        let Some(id) = id.get() else { return };
        spawn_local(async move {
            match session.authorized(|t| api::get_product(id, t)).await {
                Ok(p) => {
                    form.fill(p.facts.clone());
                    base.set(Some((p.revision, p.facts)));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    });

    let save = move |revision: Option<i32>| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        let facts = form.facts();
        if let Err(errors) = check_product(&facts) {
            field_errors.set(errors);
            notice.set(None);
            return;
        }
        field_errors.set(Vec::new());
        let id = id.get_untracked();
        let navigate = navigate.clone();
        spawn_local(async move {
            match session
                .authorized(|t| api::save_product(org, id, revision, facts.clone(), t))
                .await
            {
                Ok(saved) => {
                    error.set(None);
                    stale.set(None);
                    form.fill(saved.facts.clone());
                    base.set(Some((saved.revision, saved.facts)));
                    notice.set(Some(i18n.t("register-saved")));
                    if id.is_none() {
                        navigate(
                            &format!("/organizations/{org}/products/{}", saved.id),
                            Default::default(),
                        );
                    }
                }
                Err(e) if is_stale(&e) => {
                    let Some(id) = id else { return };
                    if let Ok(current) = session.authorized(|t| api::get_product(id, t)).await {
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
    let save_clone = save.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save_clone(base.get_untracked().map(|(r, _)| r));
    };
    let on_reload = Callback::new(move |()| {
        if let Some((_, revision, facts)) = stale.get_untracked() {
            form.fill(facts.clone());
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

    view! {
        <div class="vern-container vern-narrow">
            <p>{move || org.get().map(|org| view! {
                <A href=format!("/organizations/{org}/products") attr:class="ds-link">{i18n.tr("vendor-products-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{move || i18n.t(if id.get().is_some() { "product-edit" } else { "product-new" })}</h1>
            <div role="status" class="vern-status">{move || notice.get()}</div>
            {move || stale.get().map(|(fields, _, _)| view! { <StaleNotice fields=fields on_reload=on_reload on_overwrite=on_overwrite/> })}
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <FieldErrors errors=field_errors.into()/>
            <form class="vern-form" on:submit=submit novalidate>
                <div class="ds-field">
                    <label class="ds-label" for="p-name">{i18n.tr("field-name")}</label>
                    <input class="ds-input" id="p-name" type="text" maxlength="200" required bind:value=form.name/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="p-version">{i18n.tr("field-version")}</label>
                    <input class="ds-input" id="p-version" type="text" maxlength="50" bind:value=form.version/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="p-description">{i18n.tr("field-description")}</label>
                    <textarea class="ds-input" id="p-description" rows="4" maxlength="4000" bind:value=form.description></textarea>
                </div>
                <HostingFields form=form/>
                <SubProcessorFields form=form/>
                <div class="ds-field">
                    <label class="ds-label" for="p-measures">{i18n.tr("field-security-measures")}</label>
                    <div class="ds-field__description" id="p-measures-hint">{i18n.tr("register-one-per-line")}</div>
                    <textarea class="ds-input" id="p-measures" rows="4" aria-describedby="p-measures-hint" bind:value=form.measures></textarea>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="p-certs">{i18n.tr("field-certifications")}</label>
                    <div class="ds-field__description" id="p-certs-hint">{i18n.tr("register-one-per-line")}</div>
                    <textarea class="ds-input" id="p-certs" rows="2" aria-describedby="p-certs-hint" bind:value=form.certifications></textarea>
                </div>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("field-data-categories")}</legend>
                    <p class="ds-field__description">{i18n.tr("product-categories-hint")}</p>
                    <div class="vern-columns">
                        {data_categories().iter().map(|c| {
                            let key = c.key;
                            let id = format!("cat-{}", key.replace(':', "-"));
                            view! {
                                <div class="ds-field">
                                    <input class="ds-input" type="checkbox" id=id.clone()
                                        prop:checked=move || form.categories.with(|l| l.iter().any(|k| k == key))
                                        on:change=move |_| form.categories.update(|l| toggle(l, key.to_owned()))/>
                                    <label class="ds-label" data-weight="regular" for=id>
                                        {move || category_label(i18n, key)}
                                        {c.special.is_some().then(|| view! { " " <span class="ds-tag" data-color="warning">{i18n.tr("category-special")}</span> })}
                                    </label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("field-connector")}</legend>
                    <div class="ds-field">
                        <input class="ds-input" type="checkbox" id="p-connector"
                            prop:checked=move || form.has_connector.get()
                            on:change=move |ev| form.has_connector.set(event_target_checked(&ev))/>
                        <label class="ds-label" data-weight="regular" for="p-connector">{i18n.tr("product-offers-connector")}</label>
                    </div>
                    <Show when=move || form.has_connector.get()>
                        <div class="ds-field">
                            <label class="ds-label" for="p-endpoint">{i18n.tr("field-endpoint")}</label>
                            <input class="ds-input" id="p-endpoint" type="url" maxlength="500" bind:value=form.endpoint/>
                        </div>
                        {REQUEST_TYPES.into_iter().map(|t| {
                            let id = format!("rt-{}", wire(&t));
                            view! {
                                <div class="ds-field">
                                    <input class="ds-input" type="checkbox" id=id.clone()
                                        prop:checked=move || form.request_types.with(|l| l.contains(&t))
                                        on:change=move |_| form.request_types.update(|l| toggle(l, t))/>
                                    <label class="ds-label" data-weight="regular" for=id>{i18n.tr_owned(snake_key("request-type", &t))}</label>
                                </div>
                            }
                        }).collect_view()}
                    </Show>
                </fieldset>
                <div class="ds-field">
                    <input class="ds-input" type="checkbox" id="p-published" aria-describedby="p-published-hint"
                        prop:checked=move || form.published.get()
                        on:change=move |ev| form.published.set(event_target_checked(&ev))/>
                    <label class="ds-label" data-weight="regular" for="p-published">{i18n.tr("field-published")}</label>
                    <div class="ds-field__description" id="p-published-hint">{i18n.tr("product-published-hint")}</div>
                </div>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("register-save")}</button>
            </form>
        </div>
    }
}

#[component]
fn HostingFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="ds-fieldset">
            <legend class="ds-label">{i18n.tr("field-hosting")}</legend>
            <p class="ds-field__description">{i18n.tr("product-hosting-hint")}</p>
            <For each=move || form.hosting.get() key=|r| r.key let:row>
                {
                    let n = move || form.hosting.with(|l| l.iter().position(|r| r.key == row.key).unwrap_or(0) + 1);
                    let country_id = format!("host-{}-country", row.key);
                    let role_id = format!("host-{}-role", row.key);
                    view! {
                        <div class="vern-row">
                            <div class="ds-field">
                                <label class="ds-label" for=country_id.clone()>{move || format!("{} {}", i18n.t("sub-country"), n())}</label>
                                <input class="ds-input" id=country_id type="text" maxlength="2" size="3" autocomplete="off" bind:value=row.country/>
                            </div>
                            <div class="ds-field">
                                <label class="ds-label" for=role_id.clone()>{move || format!("{} {}", i18n.t("hosting-role"), n())}</label>
                                <select class="ds-input" id=role_id on:change=move |ev| {
                                    if let Some(r) = from_wire(&event_target_value(&ev)) { row.role.set(r); }
                                }>
                                    {ROLES.into_iter().map(|r| view! {
                                        <option value=wire(&r) selected=move || row.role.get() == r>{i18n.tr_owned(snake_key("hosting-role", &r))}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                                aria-label=move || format!("{} {} {}", i18n.t("register-remove"), i18n.t("field-hosting"), n())
                                on:click=move |_| form.hosting.update(|l| l.retain(|r| r.key != row.key))>
                                {i18n.tr("register-remove")}
                            </button>
                        </div>
                    }
                }
            </For>
            <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                on:click=move |_| {
                    let row = form.host_row(HostingLocation { country: "NO".into(), role: HostingRole::Storage });
                    form.hosting.update(|l| l.push(row));
                }>
                {i18n.tr("product-add-location")}
            </button>
        </fieldset>
    }
}

#[component]
fn SubProcessorFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="ds-fieldset">
            <legend class="ds-label">{i18n.tr("field-sub-processors")}</legend>
            <p class="ds-field__description">{i18n.tr("product-subs-hint")}</p>
            <For each=move || form.subs.get() key=|r| r.key let:row>
                {
                    let n = move || form.subs.with(|l| l.iter().position(|r| r.key == row.key).unwrap_or(0) + 1);
                    let id = |f: &str| format!("sub-{}-{f}", row.key);
                    view! {
                        <fieldset class="ds-fieldset vern-subgroup">
                            <legend class="ds-label" data-size="sm">{move || format!("{} {}", i18n.t("sub-one"), n())}</legend>
                            <div class="ds-field">
                                <label class="ds-label" for=id("name")>{i18n.tr("field-name")}</label>
                                <input class="ds-input" id=id("name") type="text" maxlength="200" bind:value=row.name/>
                            </div>
                            <div class="ds-field">
                                <label class="ds-label" for=id("org")>{i18n.tr("sub-org-number")}</label>
                                <input class="ds-input" id=id("org") type="text" maxlength="50" bind:value=row.org_number/>
                            </div>
                            <div class="ds-field">
                                <label class="ds-label" for=id("country")>{i18n.tr("sub-country")}</label>
                                <input class="ds-input" id=id("country") type="text" maxlength="2" size="3" bind:value=row.country/>
                            </div>
                            <div class="ds-field">
                                <label class="ds-label" for=id("service")>{i18n.tr("sub-service")}</label>
                                <input class="ds-input" id=id("service") type="text" maxlength="500" bind:value=row.service/>
                            </div>
                            <div class="ds-field">
                                <label class="ds-label" for=id("mechanism")>{i18n.tr("sub-mechanism")}</label>
                                <select class="ds-input" id=id("mechanism") on:change=move |ev| row.mechanism.set(event_target_value(&ev))>
                                    <option value="" selected=move || row.mechanism.get().is_empty()>{i18n.tr("sub-mechanism-none")}</option>
                                    {MECHANISMS.into_iter().map(|m| {
                                        let w = wire(&m);
                                        let w2 = w.clone();
                                        view! { <option value=w selected=move || row.mechanism.get() == w2>{i18n.tr_owned(snake_key("mechanism", &m))}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                                aria-label=move || format!("{} {} {}", i18n.t("register-remove"), i18n.t("sub-one"), n())
                                on:click=move |_| form.subs.update(|l| l.retain(|r| r.key != row.key))>
                                {i18n.tr("register-remove")}
                            </button>
                        </fieldset>
                    }
                }
            </For>
            <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                on:click=move |_| {
                    let row = form.sub_row(SubProcessor { name: String::new(), org_number: None, country: "NO".into(), service: String::new(), transfer_mechanism: None });
                    form.subs.update(|l| l.push(row));
                }>
                {i18n.tr("product-add-sub")}
            </button>
        </fieldset>
    }
}
