//! The register's overview: what needs looking at. Vendors' changes to products in use
//! (each with the facts before and after, resolved here), and the systems and processing
//! activities whose review date has passed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use vern_domain::access::Permission;
use vern_domain::problem::FieldError;
use vern_domain::register::product::{HostingLocation, MaterialFact, SubProcessor};
use vern_domain::register::review::{
    MaterialFacts, ReviewItem, ReviewOutcome, ReviewResolution, ReviewStatus, ReviewSubject,
    check_resolution,
};

use super::{FieldErrors, category_label, field_errors_of, is_stale, snake_key, wire};
use crate::api::{self, ApiError, with_query};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::{I18n, use_i18n};
use crate::pages::admin::org_from_path;
use crate::session::use_session;

/// How many overdue entries of each kind the overview shows before linking to the list.
const OVERDUE_SHOWN: u32 = 10;

#[component]
pub fn RegisterOverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("overview-title"));
    let query_map = use_query_map();
    let status = Memo::new(move |_| {
        query_map
            .get()
            .get("status")
            .and_then(|s| ReviewStatus::parse(&s))
            .unwrap_or(ReviewStatus::Open)
    });
    let cursor = Memo::new(move |_| query_map.get().get("cursor").filter(|c| !c.is_empty()));
    let version = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);
    let items = LocalResource::new(move || {
        version.get();
        let ready = session.ready.get();
        let org = org.get();
        let (status, cursor) = (status.get(), cursor.get());
        async move {
            let org = org.filter(|_| ready)?;
            let url = with_query(
                &format!("/api/v1/organizations/{org}/review-items"),
                &[
                    ("status", Some(status.as_str().to_owned())),
                    ("limit", Some("20".into())),
                    ("cursor", cursor),
                ],
            );
            Some(
                session
                    .authorized(|t| api::list_review_items(url.clone(), t))
                    .await,
            )
        }
    });
    let overdue = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        async move {
            let org = org.filter(|_| ready)?;
            let query = [
                ("review", Some("overdue".to_owned())),
                ("limit", Some(OVERDUE_SHOWN.to_string())),
            ];
            let systems_url = with_query(&format!("/api/v1/organizations/{org}/systems"), &query);
            let activities_url = with_query(
                &format!("/api/v1/organizations/{org}/processing-activities"),
                &query,
            );
            let systems = session
                .authorized(|t| api::list_systems(systems_url.clone(), t))
                .await;
            let activities = session
                .authorized(|t| api::list_activities(activities_url.clone(), t))
                .await;
            Some((systems, activities))
        }
    });
    let can_edit = Signal::derive(move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::EditRegister))
    });
    let here = move || {
        org.get()
            .map(|o| format!("/organizations/{o}/register"))
            .unwrap_or_default()
    };
    let on_resolved = Callback::new(move |()| {
        notice.set(Some(i18n.t("review-resolved")));
        version.update(|v| *v += 1);
    });

    view! {
        <div class="vern-container">
            <p><A href="/account" attr:class="ds-link">{i18n.tr("nav-account")}</A></p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("overview-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("overview-intro")}</p>
            <nav class="vern-tools" aria-label=i18n.tr("overview-more")>
                {move || org.get().map(|o| view! {
                    <A href=format!("/organizations/{o}/register/compare") attr:class="ds-link">{i18n.tr("compare-title")}</A>
                    <A href=format!("/organizations/{o}/activity-templates") attr:class="ds-link">{i18n.tr("templates-title")}</A>
                    <A href=format!("/organizations/{o}/own-terms") attr:class="ds-link">{i18n.tr("own-terms-title")}</A>
                })}
            </nav>
            <div role="status" class="vern-status">{move || notice.get()}</div>

            <section aria-labelledby="reviews-heading">
                <h2 class="ds-heading" data-size="md" id="reviews-heading">{i18n.tr("reviews-title")}</h2>
                <p class="ds-paragraph">{i18n.tr("reviews-intro")}</p>
                <nav class="vern-tools" aria-label=i18n.tr("reviews-filter-label")>
                    {ReviewStatus::ALL.into_iter().map(|s| {
                        let href = move || with_query(&here(), &[("status", Some(s.as_str().to_owned()))]);
                        let current = move || (status.get() == s).then_some("page");
                        view! {
                            <A href=href attr:class="ds-link" attr:aria-current=current>{i18n.tr_owned(format!("review-status-{}", s.as_str()))}</A>
                        }
                    }).collect_view()}
                </nav>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        match items.await {
                            None => ().into_any(),
                            Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                            Some(Ok(page)) if page.items.is_empty() => view! {
                                <p class="ds-paragraph">{i18n.tr_owned(format!("reviews-none-{}", status.get_untracked().as_str()))}</p>
                            }.into_any(),
                            Some(Ok(page)) => {
                                let next = page.next_cursor.clone().map(|c| with_query(&here(), &[
                                    ("status", Some(status.get_untracked().as_str().to_owned())),
                                    ("cursor", Some(c)),
                                ]));
                                view! {
                                    {page.items.into_iter().map(|item| view! {
                                        <ReviewCard item=item can_edit=can_edit on_resolved=on_resolved/>
                                    }).collect_view()}
                                    <nav class="vern-pager" aria-label=i18n.tr("org-pagination-label")>
                                        {next.map(|href| view! { <A href=href attr:class="ds-link">{i18n.tr("org-next-page")}</A> })}
                                    </nav>
                                }.into_any()
                            }
                        }
                    })}
                </Transition>
            </section>

            <section aria-labelledby="overdue-heading">
                <h2 class="ds-heading" data-size="md" id="overdue-heading">{i18n.tr("overdue-title")}</h2>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        let Some(org) = org.get_untracked() else { return ().into_any() };
                        match overdue.await {
                            None => ().into_any(),
                            Some((systems, activities)) => view! {
                                <h3 class="ds-heading" data-size="xs">{i18n.tr("systems-title")}</h3>
                                {match systems {
                                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                                    Ok(page) => overdue_list(
                                        i18n,
                                        page.items.into_iter().map(|s| (
                                            format!("/organizations/{org}/systems/{}", s.id),
                                            s.facts.name,
                                            s.facts.review_date,
                                        )).collect(),
                                        page.next_cursor.is_some().then(|| format!("/organizations/{org}/systems?review=overdue")),
                                    ),
                                }}
                                <h3 class="ds-heading" data-size="xs">{i18n.tr("activities-title")}</h3>
                                {match activities {
                                    Err(e) => view! { <ErrorAlert error=e/> }.into_any(),
                                    Ok(page) => overdue_list(
                                        i18n,
                                        page.items.into_iter().map(|a| (
                                            format!("/organizations/{org}/processing-activities/{}", a.id),
                                            a.facts.name,
                                            a.facts.review_date,
                                        )).collect(),
                                        page.next_cursor.is_some().then(|| format!("/organizations/{org}/processing-activities?review=overdue")),
                                    ),
                                }}
                            }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </div>
    }
}

/// Entries past their review date: (link, name, date), and a link to the rest.
fn overdue_list(
    i18n: I18n,
    entries: Vec<(String, String, Option<chrono::NaiveDate>)>,
    more: Option<String>,
) -> AnyView {
    if entries.is_empty() {
        return view! { <p class="ds-paragraph">{i18n.tr("overdue-none")}</p> }.into_any();
    }
    view! {
        <ul class="ds-list">
            {entries.into_iter().map(|(href, name, date)| view! {
                <li>
                    <A href=href attr:class="ds-link">{name}</A>
                    " — " {i18n.tr("field-review-date")} " " {date.map(|d| d.to_string())}
                </li>
            }).collect_view()}
        </ul>
        {more.map(|href| view! { <p><A href=href attr:class="ds-link">{i18n.tr("overdue-all")}</A></p> })}
    }
    .into_any()
}

/// One item: what it is about, what changed (before and after), and — while open — the
/// reviewer's conclusion.
#[component]
fn ReviewCard(
    item: ReviewItem,
    can_edit: Signal<bool>,
    on_resolved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = item.id;
    let heading_id = format!("review-{id}");
    let labelled_by = heading_id.clone();
    let subject_href = match item.subject {
        ReviewSubject::System => format!(
            "/organizations/{}/systems/{}",
            item.organization_id, item.subject_id
        ),
        ReviewSubject::ProcessingActivity => {
            format!(
                "/organizations/{}/processing-activities/{}",
                item.organization_id, item.subject_id
            )
        }
    };
    let subject_kind = format!("review-subject-{}", wire(&item.subject).replace('_', "-"));
    let open = item.status == ReviewStatus::Open;
    let facts = item
        .change
        .changes
        .iter()
        .map(|fact| fact_diff(i18n, *fact, &item.change.before, &item.change.after))
        .collect_view();
    let outcome = item.outcome.map(|o| snake_key("review-outcome", &o));
    let note_text = item.note.clone();
    let resolved_at = item.resolved_at.map(|t| t.format("%Y-%m-%d").to_string());

    let choice = RwSignal::new(None::<ReviewOutcome>);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let stale = RwSignal::new(false);
    let field_errors =
        Signal::derive(move || error.get().map(|e| field_errors_of(&e)).unwrap_or_default());
    let (org, revision) = (item.organization_id, item.revision);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The domain's own rules, before anything is sent.
        let Some(outcome) = choice.get_untracked() else {
            error.set(Some(invalid(vec![FieldError {
                field: "outcome".into(),
                code: "required".into(),
            }])));
            return;
        };
        let resolution = match check_resolution(&ReviewResolution {
            outcome,
            note: note.get_untracked(),
        }) {
            Ok(r) => r,
            Err(errors) => {
                error.set(Some(invalid(errors)));
                return;
            }
        };
        error.set(None);
        spawn_local(async move {
            match session
                .authorized(|t| api::resolve_review_item(org, id, revision, resolution.clone(), t))
                .await
            {
                Ok(_) => on_resolved.run(()),
                Err(e) if is_stale(&e) => stale.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let name = format!("outcome-{id}");
    let note_id = format!("note-{id}");

    view! {
        <article class="vern-card" aria-labelledby=labelled_by>
            <h3 class="ds-heading" data-size="xs" id=heading_id>
                <A href=subject_href attr:class="ds-link">{item.subject_name.clone()}</A>
            </h3>
            <dl class="vern-facts">
                <dt>{i18n.tr("review-subject")}</dt>
                <dd>{i18n.tr_owned(subject_kind)}</dd>
                <dt>{i18n.tr("systems-product")}</dt>
                <dd>{format!("{} ({})", item.product_name, item.vendor_name)}</dd>
                <dt>{i18n.tr("review-changed")}</dt>
                <dd>{item.updated_at.format("%Y-%m-%d").to_string()}</dd>
                {outcome.map(|o| view! {
                    <dt>{i18n.tr("review-outcome")}</dt>
                    <dd>{i18n.tr_owned(o)} {resolved_at.map(|d| format!(" ({d})"))}</dd>
                })}
                {note_text.filter(|n| !n.is_empty()).map(|n| view! {
                    <dt>{i18n.tr("review-note")}</dt>
                    <dd>{n}</dd>
                })}
            </dl>
            {facts}
            {move || (open && can_edit.get()).then(|| {
                let name = name.clone();
                let note_id = note_id.clone();
                view! {
                <form class="vern-form" on:submit=submit>
                    <FieldErrors errors=field_errors/>
                    {move || stale.get().then(|| view! {
                        <div class="ds-alert" data-color="warning" role="alert">
                            <p class="ds-paragraph">{i18n.tr("review-stale")}</p>
                        </div>
                    })}
                    {move || error.get().filter(|e| field_errors_of(e).is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
                    <fieldset class="ds-fieldset">
                        <legend class="ds-label">{i18n.tr("review-conclusion")}</legend>
                        {[ReviewOutcome::NoChangeNeeded, ReviewOutcome::EntryUpdated, ReviewOutcome::RaisedWithVendor]
                            .into_iter()
                            .map(|o| {
                                let input_id = format!("{name}-{}", wire(&o));
                                view! {
                                    <div class="ds-field">
                                        <input class="ds-input" type="radio" name=name.clone() id=input_id.clone()
                                            prop:checked=move || choice.get() == Some(o)
                                            on:change=move |_| choice.set(Some(o))/>
                                        <label class="ds-label" data-weight="regular" for=input_id>{i18n.tr_owned(snake_key("review-outcome", &o))}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <div class="ds-field">
                        <label class="ds-label" for=note_id.clone()>{i18n.tr("review-note")}</label>
                        <p class="ds-paragraph" data-size="sm">{i18n.tr("review-note-hint")}</p>
                        <textarea class="ds-input" id=note_id rows="3" maxlength="1000" bind:value=note></textarea>
                    </div>
                    <button type="submit" class="ds-button" data-variant="primary">{i18n.tr("review-resolve")}</button>
                </form>
                }
            })}
        </article>
    }
}

/// Field errors found before sending, shown as the API would show them.
fn invalid(errors: Vec<FieldError>) -> ApiError {
    let mut problem =
        vern_domain::problem::Problem::new(vern_domain::problem::ProblemCode::ValidationFailed);
    problem.errors = errors;
    ApiError::Problem(Box::new(problem))
}

/// One changed fact as two lists side by side: what was removed, what was added.
fn fact_diff(
    i18n: I18n,
    fact: MaterialFact,
    before: &MaterialFacts,
    after: &MaterialFacts,
) -> AnyView {
    let render = |facts: &MaterialFacts| -> Vec<String> {
        match fact {
            MaterialFact::Hosting => facts
                .hosting
                .iter()
                .map(|h| hosting_line(i18n, h))
                .collect(),
            MaterialFact::SubProcessors => facts
                .sub_processors
                .iter()
                .map(|s| sub_line(i18n, s))
                .collect(),
            MaterialFact::SecurityMeasures => facts.security_measures.clone(),
            MaterialFact::DataCategories => facts
                .data_categories
                .iter()
                .map(|c| category_label(i18n, c))
                .collect(),
        }
    };
    let (was, now) = (render(before), render(after));
    let removed: Vec<String> = was.iter().filter(|l| !now.contains(l)).cloned().collect();
    let added: Vec<String> = now.iter().filter(|l| !was.contains(l)).cloned().collect();
    let title = format!("field-{}", wire(&fact).replace('_', "-"));
    let column = move |key: &'static str,
                       lines: Vec<String>,
                       changed: Vec<String>,
                       tag: &'static str,
                       color: &'static str| {
        view! {
            <div>
                <h5 class="ds-heading" data-size="2xs">{i18n.tr(key)}</h5>
                {if lines.is_empty() {
                    view! { <p class="ds-paragraph">{i18n.tr("product-none-given")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="ds-list">
                            {lines.into_iter().map(|l| {
                                let marked = changed.contains(&l);
                                view! {
                                    <li>
                                        {l}
                                        {marked.then(|| view! { " " <span class="ds-tag" data-color=color>{i18n.tr(tag)}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
        }
    };
    view! {
        <section class="vern-diff">
            <h4 class="ds-heading" data-size="2xs">{i18n.tr_owned(title)}</h4>
            <div class="vern-diff-columns">
                {column("review-before", was, removed, "review-removed", "danger")}
                {column("review-after", now, added, "review-added", "success")}
            </div>
        </section>
    }
    .into_any()
}

fn hosting_line(i18n: I18n, h: &HostingLocation) -> String {
    format!(
        "{} – {}",
        h.country,
        i18n.t(&snake_key("hosting-role", &h.role))
    )
}

fn sub_line(i18n: I18n, s: &SubProcessor) -> String {
    let mechanism = s
        .transfer_mechanism
        .map(|m| format!(", {}", i18n.t(&snake_key("mechanism", &m))))
        .unwrap_or_default();
    format!("{} ({}, {}){mechanism}", s.name, s.country, s.service)
}
