use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;
use vern_domain::access::Permission;
use vern_domain::register::product::{MaterialFact, Product};
use vern_domain::register::taxonomy::data_category;

use super::{category_label, snake_key};
use crate::api;
use crate::components::{ErrorAlert, Loading, set_title, utc_date};
use crate::i18n::use_i18n;
use crate::session::use_session;

pub fn material_key(fact: MaterialFact) -> &'static str {
    match fact {
        MaterialFact::Hosting => "field-hosting",
        MaterialFact::SubProcessors => "field-sub-processors",
        MaterialFact::SecurityMeasures => "field-security-measures",
        MaterialFact::DataCategories => "field-data-categories",
    }
}

/// One product as its vendor describes it, with its history of material changes.
#[component]
pub fn ProductDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.get().get("pid").and_then(|p| p.parse::<Uuid>().ok()));
    let title = RwSignal::new(String::new());
    set_title(move || title.get());
    let product = LocalResource::new(move || {
        let ready = session.ready.get();
        let id = id.get();
        async move {
            let id = id.filter(|_| ready)?;
            Some(session.authorized(|t| api::get_product(id, t)).await)
        }
    });
    view! {
        <div class="vern-container">
            <p><A href="/catalogue" attr:class="ds-link">{i18n.tr("catalogue-title")}</A></p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match product.await {
                        Some(Ok(p)) => {
                            title.set(p.facts.name.clone());
                            view! { <ProductView product=p/> }.into_any()
                        }
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        None => ().into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn ProductView(product: Product) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = product.id;
    let f = product.facts;
    let edit_href = session
        .can(product.vendor_id, Permission::EditProducts)
        .then(|| format!("/organizations/{}/products/{}", product.vendor_id, id));
    let adopt = session.orgs_with(Permission::EditRegister);
    let revisions = LocalResource::new(move || async move {
        session
            .authorized(|t| api::list_product_revisions(id, t))
            .await
    });
    view! {
        <h1 class="ds-heading" data-size="lg">{f.name.clone()}</h1>
        <dl class="vern-facts">
            <dt>{i18n.tr("product-vendor")}</dt><dd>{product.vendor_name}</dd>
            <dt>{i18n.tr("field-version")}</dt><dd>{f.version}</dd>
            <dt>{i18n.tr("field-published")}</dt><dd>{i18n.tr(if f.published { "yes" } else { "no" })}</dd>
            <dt>{i18n.tr("product-updated")}</dt><dd>{utc_date(product.updated_at)}</dd>
        </dl>
        <p class="ds-paragraph">{f.description}</p>
        <div class="vern-tools">
            {edit_href.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("product-edit")}</A> })}
            {adopt.into_iter().map(|(org, name)| {
                let href = format!("/organizations/{org}/systems/new?product={id}");
                view! { <A href=href attr:class="ds-link">{move || i18n.t_with("product-adopt", &[("org", name.clone().into())])}</A> }
            }).collect_view()}
        </div>

        <h2 class="ds-heading" data-size="sm">{i18n.tr("field-hosting")}</h2>
        {if f.hosting.is_empty() {
            view! { <p class="ds-paragraph">{i18n.tr("product-none-given")}</p> }.into_any()
        } else {
            view! {
                <ul class="ds-list">
                    {f.hosting.into_iter().map(|h| {
                        let role = snake_key("hosting-role", &h.role);
                        view! { <li>{h.country} " – " {i18n.tr_owned(role)}</li> }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}

        <h2 class="ds-heading" data-size="sm">{i18n.tr("field-sub-processors")}</h2>
        {if f.sub_processors.is_empty() {
            view! { <p class="ds-paragraph">{i18n.tr("product-none-given")}</p> }.into_any()
        } else {
            view! {
                <div class="vern-table-wrap">
                    <table class="ds-table" data-border="true">
                        <caption class="ds-sr-only">{i18n.tr("field-sub-processors")}</caption>
                        <thead><tr>
                            <th scope="col">{i18n.tr("field-name")}</th>
                            <th scope="col">{i18n.tr("sub-org-number")}</th>
                            <th scope="col">{i18n.tr("sub-country")}</th>
                            <th scope="col">{i18n.tr("sub-service")}</th>
                            <th scope="col">{i18n.tr("sub-mechanism")}</th>
                        </tr></thead>
                        <tbody>
                            {f.sub_processors.into_iter().map(|s| {
                                let mechanism = s.transfer_mechanism.map(|m| snake_key("mechanism", &m));
                                view! {
                                    <tr>
                                        <th scope="row">{s.name}</th>
                                        <td>{s.org_number.unwrap_or_default()}</td>
                                        <td>{s.country}</td>
                                        <td>{s.service}</td>
                                        <td>{mechanism.map(|k| i18n.tr_owned(k))}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}

        <h2 class="ds-heading" data-size="sm">{i18n.tr("field-security-measures")}</h2>
        <ul class="ds-list">{f.security_measures.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
        <h2 class="ds-heading" data-size="sm">{i18n.tr("field-certifications")}</h2>
        <ul class="ds-list">{f.certifications.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>

        <h2 class="ds-heading" data-size="sm">{i18n.tr("field-data-categories")}</h2>
        <ul class="ds-list">
            {f.data_categories.into_iter().map(|key| {
                let special = data_category(&key).and_then(|c| c.special).is_some();
                view! {
                    <li>
                        {move || category_label(i18n, &key)}
                        {special.then(|| view! { " " <span class="ds-tag" data-color="warning">{i18n.tr("category-special")}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>

        <h2 class="ds-heading" data-size="sm">{i18n.tr("field-connector")}</h2>
        {match f.connector {
            None => view! { <p class="ds-paragraph">{i18n.tr("product-no-connector")}</p> }.into_any(),
            Some(c) => view! {
                <p class="ds-paragraph"><code>{c.endpoint}</code></p>
                <p class="ds-paragraph">{move || c.request_types.iter().map(|t| i18n.t(&snake_key("request-type", t))).collect::<Vec<_>>().join(", ")}</p>
            }.into_any(),
        }}

        <h2 class="ds-heading" data-size="sm">{i18n.tr("product-history")}</h2>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match revisions.await {
                    Ok(list) => view! {
                        <table class="ds-table" data-border="true">
                            <caption class="ds-sr-only">{i18n.tr("product-history")}</caption>
                            <thead><tr>
                                <th scope="col">{i18n.tr("product-revision")}</th>
                                <th scope="col">{i18n.tr("product-saved")}</th>
                                <th scope="col">{i18n.tr("product-material-changes")}</th>
                            </tr></thead>
                            <tbody>
                                {list.items.into_iter().map(|r| view! {
                                    <tr>
                                        <th scope="row">{r.revision}</th>
                                        <td>{utc_date(r.created_at)}</td>
                                        <td>{move || r.material_changes.iter().map(|m| i18n.t(material_key(*m))).collect::<Vec<_>>().join(", ")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
