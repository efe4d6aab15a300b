use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;
use vern_domain::problem::FieldError;
use vern_domain::register::activity::{
    ActivityFacts, ActivityStatus, CategoryUse, DpiaStatus, LegalBasisPair, Recipient, Transfer,
    check_activity_in,
};
use vern_domain::register::product::TransferMechanism;
use vern_domain::register::system::System;
use vern_domain::register::taxonomy::{Art9Condition, LegalBasis, data_categories, data_subjects};
use vern_domain::register::vocabulary::{TermKind, Vocabulary};

use super::activities::activity_status_key;
use super::{
    FieldErrors, StaleNotice, changed_fields, field_errors_of, from_wire, is_stale, lines,
    snake_key, term_label, wire,
};
use crate::api::{self, ApiError};
use crate::components::{ErrorAlert, set_title};
use crate::i18n::use_i18n;
use crate::pages::admin::org_from_path;
use crate::session::use_session;

#[derive(Clone, Copy)]
struct BasisRow {
    key: u32,
    basis: RwSignal<LegalBasis>,
    law: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct CategoryRow {
    key: StoredValue<String>,
    condition: RwSignal<String>,
    reference: RwSignal<String>,
    retention: RwSignal<String>,
}

/// A recipient (Art. 30(1)(d)) as the form holds it.
#[derive(Clone, Copy)]
struct RecipientRow {
    key: u32,
    name: RwSignal<String>,
    country: RwSignal<String>,
    reference: RwSignal<String>,
}

/// A transfer outside the EU/EEA (Art. 30(1)(e)).
#[derive(Clone, Copy)]
struct TransferRow {
    key: u32,
    country: RwSignal<String>,
    mechanism: RwSignal<TransferMechanism>,
}

#[derive(Clone, Copy)]
struct Form {
    /// The page's reactive owner: rows are created under it, so that they live as long as
    /// the form and not as long as the part of the view that happened to add them (which
    /// re-renders when the organisation's own terms arrive).
    owner: StoredValue<Option<Owner>>,
    next_key: StoredValue<u32>,
    name: RwSignal<String>,
    purposes: RwSignal<String>,
    summary: RwSignal<String>,
    bases: RwSignal<Vec<BasisRow>>,
    public_task: RwSignal<bool>,
    subjects: RwSignal<Vec<String>>,
    categories: RwSignal<Vec<CategoryRow>>,
    confidentiality: RwSignal<String>,
    national_id: RwSignal<String>,
    protected_addresses: RwSignal<bool>,
    measures: RwSignal<String>,
    sources: RwSignal<String>,
    automated: RwSignal<String>,
    dpia: RwSignal<DpiaStatus>,
    responsible: RwSignal<String>,
    systems: RwSignal<Vec<Uuid>>,
    status: RwSignal<ActivityStatus>,
    review_date: RwSignal<String>,
    published: RwSignal<bool>,
    /// The age for own consent as chosen ("" = the default).
    consent_age: RwSignal<String>,
    recipients: RwSignal<Vec<RecipientRow>>,
    transfers: RwSignal<Vec<TransferRow>>,
}

impl Form {
    fn new() -> Self {
        Self {
            owner: StoredValue::new(Owner::current()),
            next_key: StoredValue::new(0),
            name: RwSignal::new(String::new()),
            purposes: RwSignal::new(String::new()),
            summary: RwSignal::new(String::new()),
            bases: RwSignal::new(Vec::new()),
            public_task: RwSignal::new(true),
            subjects: RwSignal::new(Vec::new()),
            categories: RwSignal::new(Vec::new()),
            confidentiality: RwSignal::new(String::new()),
            national_id: RwSignal::new(String::new()),
            protected_addresses: RwSignal::new(false),
            measures: RwSignal::new(String::new()),
            sources: RwSignal::new(String::new()),
            automated: RwSignal::new(String::new()),
            dpia: RwSignal::new(DpiaStatus::NotAssessed),
            responsible: RwSignal::new(String::new()),
            systems: RwSignal::new(Vec::new()),
            status: RwSignal::new(ActivityStatus::Draft),
            review_date: RwSignal::new(String::new()),
            published: RwSignal::new(false),
            consent_age: RwSignal::new(String::new()),
            recipients: RwSignal::new(Vec::new()),
            transfers: RwSignal::new(Vec::new()),
        }
    }

    fn key(&self) -> u32 {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        key
    }

    fn recipient_row(&self, r: Recipient) -> RecipientRow {
        let key = self.key();
        self.owned(|| RecipientRow {
            key,
            name: RwSignal::new(r.name),
            country: RwSignal::new(r.country),
            reference: RwSignal::new(r.legal_reference),
        })
    }

    fn transfer_row(&self, t: Transfer) -> TransferRow {
        let key = self.key();
        self.owned(|| TransferRow {
            key,
            country: RwSignal::new(t.country),
            mechanism: RwSignal::new(t.mechanism),
        })
    }

    fn basis_row(&self, pair: LegalBasisPair) -> BasisRow {
        let key = self.key();
        self.owned(|| BasisRow {
            key,
            basis: RwSignal::new(pair.basis),
            law: RwSignal::new(pair.national_law),
        })
    }

    /// Runs `f` under the form's owner.
    fn owned<T>(&self, f: impl FnOnce() -> T) -> T {
        match self.owner.get_value() {
            Some(owner) => owner.with(f),
            None => f(),
        }
    }

    fn category_row(&self, key: String, c: Option<&CategoryUse>) -> CategoryRow {
        self.owned(|| CategoryRow {
            key: StoredValue::new(key),
            condition: RwSignal::new(
                c.and_then(|c| c.art9_condition)
                    .map(|x| wire(&x))
                    .unwrap_or_default(),
            ),
            reference: RwSignal::new(c.map(|c| c.legal_reference.clone()).unwrap_or_default()),
            retention: RwSignal::new(c.map(|c| c.retention.clone()).unwrap_or_default()),
        })
    }

    fn fill(&self, f: ActivityFacts) {
        self.name.set(f.name.clone());
        self.purposes.set(f.purposes.join("\n"));
        self.summary.set(f.public_summary.clone());
        let bases = f
            .legal_bases
            .iter()
            .cloned()
            .map(|p| self.basis_row(p))
            .collect();
        self.bases.set(bases);
        self.public_task.set(f.public_task);
        self.subjects.set(f.data_subjects.clone());
        let rows = f
            .data_categories
            .iter()
            .map(|c| self.category_row(c.category.clone(), Some(c)))
            .collect();
        self.categories.set(rows);
        self.confidentiality.set(f.confidentiality.clone());
        self.national_id.set(f.national_id_justification.clone());
        self.protected_addresses.set(f.protected_addresses);
        self.measures.set(f.security_measures.join("\n"));
        self.sources.set(f.sources.join("\n"));
        self.automated.set(f.automated_decisions.clone());
        self.dpia.set(f.dpia);
        self.responsible.set(f.responsible.clone());
        self.systems.set(f.system_ids.clone());
        self.status.set(f.status);
        self.review_date
            .set(f.review_date.map(|d| d.to_string()).unwrap_or_default());
        self.published.set(f.published);
        self.consent_age
            .set(f.consent_age.map(|a| a.to_string()).unwrap_or_default());
        let recipients = f
            .recipients
            .into_iter()
            .map(|r| self.recipient_row(r))
            .collect();
        self.recipients.set(recipients);
        let transfers = f
            .transfers
            .into_iter()
            .map(|t| self.transfer_row(t))
            .collect();
        self.transfers.set(transfers);
    }

    fn facts(&self) -> ActivityFacts {
        ActivityFacts {
            name: self.name.get_untracked(),
            purposes: lines(&self.purposes.get_untracked()),
            public_summary: self.summary.get_untracked(),
            legal_bases: self
                .bases
                .get_untracked()
                .iter()
                .map(|r| LegalBasisPair {
                    basis: r.basis.get_untracked(),
                    national_law: r.law.get_untracked(),
                })
                .collect(),
            public_task: self.public_task.get_untracked(),
            data_subjects: self.subjects.get_untracked(),
            data_categories: self
                .categories
                .get_untracked()
                .iter()
                .map(|r| CategoryUse {
                    category: r.key.get_value(),
                    art9_condition: from_wire(&r.condition.get_untracked()),
                    legal_reference: r.reference.get_untracked(),
                    retention: r.retention.get_untracked(),
                })
                .collect(),
            confidentiality: self.confidentiality.get_untracked(),
            national_id_justification: self.national_id.get_untracked(),
            protected_addresses: self.protected_addresses.get_untracked(),
            vulnerable_subjects: false,
            recipients: self
                .recipients
                .get_untracked()
                .iter()
                .map(|r| Recipient {
                    name: r.name.get_untracked(),
                    country: r.country.get_untracked(),
                    legal_reference: r.reference.get_untracked(),
                })
                .collect(),
            transfers: self
                .transfers
                .get_untracked()
                .iter()
                .map(|t| Transfer {
                    country: t.country.get_untracked(),
                    mechanism: t.mechanism.get_untracked(),
                })
                .collect(),
            security_measures: lines(&self.measures.get_untracked()),
            sources: lines(&self.sources.get_untracked()),
            automated_decisions: self.automated.get_untracked(),
            dpia: self.dpia.get_untracked(),
            responsible: self.responsible.get_untracked(),
            system_ids: self.systems.get_untracked(),
            status: self.status.get_untracked(),
            review_date: self.review_date.get_untracked().parse().ok(),
            published: self.published.get_untracked(),
            consent_age: self.consent_age.get_untracked().parse().ok(),
        }
    }

    /// Whether the processing as entered rests on consent (a consent basis, or explicit
    /// consent for a special category).
    fn consent_based(&self) -> bool {
        self.bases
            .with(|l| l.iter().any(|r| r.basis.get() == LegalBasis::Consent))
            || self
                .categories
                .with(|l| l.iter().any(|r| r.condition.get() == "explicit_consent"))
    }
}

/// Describe a processing activity (`…/processing-activities/new`) or edit one. The record's
/// rules run before sending; a stale save shows what the other person changed.
#[component]
pub fn ActivityEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let params = use_params_map();
    let navigate = use_navigate();
    let id = Memo::new(move |_| params.get().get("aid").and_then(|p| p.parse::<Uuid>().ok()));
    let title_key = move || {
        if id.get().is_some() {
            "activities-edit"
        } else {
            "activities-new"
        }
    };
    set_title(move || i18n.t(title_key()));
    let form = Form::new();
    let base = RwSignal::new(None::<(i32, ActivityFacts)>);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let stale = RwSignal::new(None::<(Vec<String>, i32, ActivityFacts)>);
    let notice = RwSignal::new(None::<String>);
    let systems = RwSignal::new(Vec::<System>::new());
    let vocabulary = RwSignal::new(Vocabulary::default());

    Effect::new(move |_| {
        if !session.ready.get() {
            return;
        }
        let Some(org) = org.get() else { return };
        let id = id.get();
        spawn_local(async move {
            let url = format!("/api/v1/organizations/{org}/systems?limit=500");
            if let Ok(page) = session
                .authorized(|t| api::list_systems(url.clone(), t))
                .await
            {
                systems.set(page.items);
            }
            if let Ok(list) = session.authorized(|t| api::list_own_terms(org, t)).await {
                vocabulary.set(Vocabulary::new(list.items));
            }
            if let Some(id) = id {
                match session.authorized(|t| api::get_activity(org, id, t)).await {
                    Ok(a) => {
                        form.fill(a.facts.clone());
                        base.set(Some((a.revision, a.facts)));
                    }
                    Err(e) => error.set(Some(e)),
                }
            } else if form.bases.with_untracked(Vec::is_empty) {
                let row = form.basis_row(LegalBasisPair {
                    basis: LegalBasis::PublicTask,
                    national_law: String::new(),
                });
                form.bases.set(vec![row]);
            }
        });
    });

    let save = move |revision: Option<i32>| {
        let Some(org) = org.get_untracked() else {
            return;
        };
        let facts = form.facts();
        if let Err(errors) = vocabulary.with_untracked(|v| check_activity_in(&facts, v)) {
            field_errors.set(errors);
            notice.set(None);
            return;
        }
        field_errors.set(Vec::new());
        let id = id.get_untracked();
        let navigate = navigate.clone();
        spawn_local(async move {
            match session
                .authorized(|t| api::save_activity(org, id, revision, facts.clone(), t))
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
                            &format!("/organizations/{org}/processing-activities/{}", saved.id),
                            Default::default(),
                        );
                    }
                }
                Err(e) if is_stale(&e) => {
                    let Some(id) = id else { return };
                    if let Ok(current) = session.authorized(|t| api::get_activity(org, id, t)).await
                    {
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
    let statuses = move || match base.get() {
        None => ActivityStatus::ALL.to_vec(),
        Some((_, f)) => f.status.choices(),
    };

    view! {
        <div class="vern-container vern-narrow">
            <p>{move || org.get().map(|org| view! {
                <A href=format!("/organizations/{org}/processing-activities") attr:class="ds-link">{i18n.tr("activities-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{move || i18n.t(title_key())}</h1>
            <div role="status" class="vern-status">{move || notice.get()}</div>
            {move || stale.get().map(|(fields, _, _)| view! { <StaleNotice fields=fields on_reload=on_reload on_overwrite=on_overwrite/> })}
            {move || error.get().filter(|_| field_errors.get().is_empty()).map(|e| view! { <ErrorAlert error=e/> })}
            <FieldErrors errors=field_errors.into()/>
            {move || org.get().zip(id.get()).map(|(org, activity)| view! { <crate::pages::consents::ActivityConsents org=org activity=activity/> })}
            <form class="vern-form" on:submit=submit novalidate>
                <div class="ds-field">
                    <label class="ds-label" for="a-name">{i18n.tr("field-name")}</label>
                    <input class="ds-input" id="a-name" type="text" maxlength="200" required bind:value=form.name/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="a-purposes">{i18n.tr("field-purposes")}</label>
                    <div class="ds-field__description" id="a-purposes-hint">{i18n.tr("register-one-per-line")}</div>
                    <textarea class="ds-input" id="a-purposes" rows="3" aria-describedby="a-purposes-hint" bind:value=form.purposes></textarea>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="a-responsible">{i18n.tr("field-responsible")}</label>
                    <div class="ds-field__description" id="a-responsible-hint">{i18n.tr("activities-responsible-hint")}</div>
                    <input class="ds-input" id="a-responsible" type="text" maxlength="200" aria-describedby="a-responsible-hint" bind:value=form.responsible/>
                </div>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("field-legal-bases")}</legend>
                    <p class="ds-field__description">{i18n.tr("activities-bases-hint")}</p>
                    <For each=move || form.bases.get() key=|r| r.key let:row>
                        {
                            let n = move || form.bases.with(|l| l.iter().position(|r| r.key == row.key).unwrap_or(0) + 1);
                            let basis_id = format!("basis-{}", row.key);
                            let law_id = format!("basis-{}-law", row.key);
                            view! {
                                <div class="vern-row">
                                    <div class="ds-field">
                                        <label class="ds-label" for=basis_id.clone()>{move || format!("{} {}", i18n.t("activities-basis"), n())}</label>
                                        <select class="ds-input" id=basis_id on:change=move |ev| {
                                            if let Some(b) = from_wire(&event_target_value(&ev)) { row.basis.set(b); }
                                        }>
                                            {LegalBasis::ALL.into_iter().map(|b| view! {
                                                <option value=wire(&b) selected=move || row.basis.get() == b>
                                                    {move || format!("{} – {}", b.article(), i18n.t(&format!("basis-{}", wire(&b).replace('_', "-"))))}
                                                </option>
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="ds-field">
                                        <label class="ds-label" for=law_id.clone()>{move || format!("{} {}", i18n.t("field-national-law"), n())}</label>
                                        <input class="ds-input" id=law_id type="text" maxlength="500" bind:value=row.law/>
                                    </div>
                                    <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                                        aria-label=move || format!("{} {} {}", i18n.t("register-remove"), i18n.t("activities-basis"), n())
                                        on:click=move |_| form.bases.update(|l| l.retain(|r| r.key != row.key))>
                                        {i18n.tr("register-remove")}
                                    </button>
                                </div>
                            }
                        }
                    </For>
                    <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                        on:click=move |_| {
                            let row = form.basis_row(LegalBasisPair { basis: LegalBasis::PublicTask, national_law: String::new() });
                            form.bases.update(|l| l.push(row));
                        }>
                        {i18n.tr("activities-add-basis")}
                    </button>
                    <div class="ds-field">
                        <input class="ds-input" type="checkbox" id="a-public-task" aria-describedby="a-public-task-hint"
                            prop:checked=move || form.public_task.get()
                            on:change=move |ev| form.public_task.set(event_target_checked(&ev))/>
                        <label class="ds-label" data-weight="regular" for="a-public-task">{i18n.tr("field-public-task")}</label>
                        <div class="ds-field__description" id="a-public-task-hint">{i18n.tr("activities-public-task-hint")}</div>
                    </div>
                    <Show when=move || form.consent_based()>
                        <div class="ds-field">
                            <label class="ds-label" for="a-consent-age">{i18n.tr("field-consent-age")}</label>
                            <div class="ds-field__description" id="a-consent-age-hint">{i18n.tr("activities-consent-age-hint")}</div>
                            <select class="ds-input" id="a-consent-age" aria-describedby="a-consent-age-hint"
                                on:change=move |ev| form.consent_age.set(event_target_value(&ev))>
                                <option value="" selected=move || form.consent_age.get().is_empty()>{i18n.tr("activities-consent-age-default")}</option>
                                {(13u8..=18).map(|age| view! {
                                    <option value=age.to_string() selected=move || form.consent_age.get() == age.to_string()>
                                        {move || i18n.t_with("activities-consent-age-years", &[("age", usize::from(age).into())])}
                                    </option>
                                }).collect_view()}
                            </select>
                        </div>
                    </Show>
                </fieldset>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("field-data-subjects")}</legend>
                    <div class="vern-columns">
                        {move || {
                            let own = vocabulary.with(|v| v.terms().iter().filter(|t| t.kind == TermKind::DataSubject).map(|t| t.key.clone()).collect::<Vec<_>>());
                            data_subjects().iter().map(|s| (s.key.to_owned(), false)).chain(own.into_iter().map(|k| (k, true))).map(|(key, own)| {
                                let id = format!("subj-{}", key.replace(':', "-"));
                                let (k1, k2, k3) = (key.clone(), key.clone(), key);
                                view! {
                                    <div class="ds-field">
                                        <input class="ds-input" type="checkbox" id=id.clone()
                                            prop:checked=move || form.subjects.with(|l| l.contains(&k1))
                                            on:change=move |_| form.subjects.update(|l| {
                                                if let Some(i) = l.iter().position(|k| *k == k2) { l.remove(i); } else { l.push(k2.clone()); }
                                            })/>
                                        <label class="ds-label" data-weight="regular" for=id>
                                            {move || vocabulary.with(|v| term_label(i18n, v, &k3))}
                                            {own.then(|| view! { " " <span class="ds-tag" data-color="neutral">{i18n.tr("own-term-tag")}</span> })}
                                        </label>
                                    </div>
                                }
                            }).collect_view()
                        }}
                    </div>
                </fieldset>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("field-data-categories")}</legend>
                    <p class="ds-field__description">{i18n.tr("activities-categories-hint")}</p>
                    <div class="vern-columns">
                        {move || {
                            let own = vocabulary.with(|v| v.terms().iter().filter(|t| t.kind == TermKind::DataCategory).map(|t| t.key.clone()).collect::<Vec<_>>());
                            data_categories().iter().map(|c| (c.key.to_owned(), false)).chain(own.into_iter().map(|k| (k, true))).map(|(key, own)| {
                                let id = format!("acat-{}", key.replace(':', "-"));
                                let special = vocabulary.with_untracked(|v| v.category(&key).and_then(|c| c.special));
                                let (k1, k2, k3) = (key.clone(), key.clone(), key);
                                view! {
                                    <div class="ds-field">
                                        <input class="ds-input" type="checkbox" id=id.clone()
                                            prop:checked=move || form.categories.with(|l| l.iter().any(|r| r.key.with_value(|k| *k == k1)))
                                            on:change=move |_| form.categories.update(|l| {
                                                if let Some(i) = l.iter().position(|r| r.key.with_value(|k| *k == k2)) { l.remove(i); } else { l.push(form.category_row(k2.clone(), None)); }
                                            })/>
                                        <label class="ds-label" data-weight="regular" for=id>
                                            {move || vocabulary.with(|v| term_label(i18n, v, &k3))}
                                            {own.then(|| view! { " " <span class="ds-tag" data-color="neutral">{i18n.tr("own-term-tag")}</span> })}
                                            {special.is_some().then(|| view! { " " <span class="ds-tag" data-color="warning">{i18n.tr("category-special")}</span> })}
                                        </label>
                                    </div>
                                }
                            }).collect_view()
                        }}
                    </div>
                    <For each=move || form.categories.get() key=|r| r.key.get_value() let:row>
                        <CategoryDetails row=row vocabulary=vocabulary/>
                    </For>
                </fieldset>
                <div class="ds-field">
                    <label class="ds-label" for="a-confidentiality">{i18n.tr("field-confidentiality")}</label>
                    <div class="ds-field__description" id="a-confidentiality-hint">{i18n.tr("activities-confidentiality-hint")}</div>
                    <input class="ds-input" id="a-confidentiality" type="text" maxlength="500" aria-describedby="a-confidentiality-hint" bind:value=form.confidentiality/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="a-national-id">{i18n.tr("field-national-id-justification")}</label>
                    <div class="ds-field__description" id="a-national-id-hint">{i18n.tr("activities-national-id-hint")}</div>
                    <input class="ds-input" id="a-national-id" type="text" maxlength="500" aria-describedby="a-national-id-hint" bind:value=form.national_id/>
                </div>
                <div class="ds-field">
                    <input class="ds-input" type="checkbox" id="a-protected"
                        prop:checked=move || form.protected_addresses.get()
                        on:change=move |ev| form.protected_addresses.set(event_target_checked(&ev))/>
                    <label class="ds-label" data-weight="regular" for="a-protected">{i18n.tr("field-protected-addresses")}</label>
                </div>
                <RecipientFields form=form/>
                <TransferFields form=form/>
                <div class="ds-field">
                    <label class="ds-label" for="a-measures">{i18n.tr("field-security-measures")}</label>
                    <div class="ds-field__description" id="a-measures-hint">{i18n.tr("register-one-per-line")}</div>
                    <textarea class="ds-input" id="a-measures" rows="3" aria-describedby="a-measures-hint" bind:value=form.measures></textarea>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="a-sources">{i18n.tr("field-sources")}</label>
                    <div class="ds-field__description" id="a-sources-hint">{i18n.tr("activities-sources-hint")}</div>
                    <textarea class="ds-input" id="a-sources" rows="2" aria-describedby="a-sources-hint" bind:value=form.sources></textarea>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="a-automated">{i18n.tr("field-automated-decisions")}</label>
                    <div class="ds-field__description" id="a-automated-hint">{i18n.tr("activities-automated-hint")}</div>
                    <textarea class="ds-input" id="a-automated" rows="3" maxlength="4000" aria-describedby="a-automated-hint" bind:value=form.automated></textarea>
                </div>
                <fieldset class="ds-fieldset">
                    <legend class="ds-label">{i18n.tr("field-system-ids")}</legend>
                    {move || {
                        let list = systems.get();
                        if list.is_empty() {
                            view! { <p class="ds-paragraph">{i18n.tr("systems-none")}</p> }.into_any()
                        } else {
                            view! {
                                <div class="vern-columns">
                                    {list.into_iter().map(|s| {
                                        let sid = s.id;
                                        let id = format!("sys-{sid}");
                                        view! {
                                            <div class="ds-field">
                                                <input class="ds-input" type="checkbox" id=id.clone()
                                                    prop:checked=move || form.systems.with(|l| l.contains(&sid))
                                                    on:change=move |_| form.systems.update(|l| {
                                                        if let Some(i) = l.iter().position(|x| *x == sid) { l.remove(i); } else { l.push(sid); }
                                                    })/>
                                                <label class="ds-label" data-weight="regular" for=id>{s.facts.name}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                </div>
                            }.into_any()
                        }
                    }}
                </fieldset>
                <div class="ds-field">
                    <label class="ds-label" for="a-dpia">{i18n.tr("field-dpia")}</label>
                    <select class="ds-input" id="a-dpia" on:change=move |ev| {
                        if let Some(d) = from_wire(&event_target_value(&ev)) { form.dpia.set(d); }
                    }>
                        {DpiaStatus::ALL.into_iter().map(|d| view! {
                            <option value=wire(&d) selected=move || form.dpia.get() == d>{i18n.tr_owned(format!("dpia-{}", wire(&d).replace('_', "-")))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="a-status">{i18n.tr("field-status")}</label>
                    <select class="ds-input" id="a-status" on:change=move |ev| {
                        if let Some(s) = ActivityStatus::parse(&event_target_value(&ev)) { form.status.set(s); }
                    }>
                        {move || statuses().into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || form.status.get() == s>{i18n.tr_owned(activity_status_key(s))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="a-review">{i18n.tr("field-review-date")}</label>
                    <input class="ds-input" id="a-review" type="date" bind:value=form.review_date/>
                </div>
                <div class="ds-field">
                    <label class="ds-label" for="a-summary">{i18n.tr("field-public-summary")}</label>
                    <div class="ds-field__description" id="a-summary-hint">{i18n.tr("activities-summary-hint")}</div>
                    <textarea class="ds-input" id="a-summary" rows="3" maxlength="4000" aria-describedby="a-summary-hint" bind:value=form.summary></textarea>
                </div>
                <div class="ds-field">
                    <input class="ds-input" type="checkbox" id="a-published"
                        prop:checked=move || form.published.get()
                        on:change=move |ev| form.published.set(event_target_checked(&ev))/>
                    <label class="ds-label" data-weight="regular" for="a-published">{i18n.tr("activities-published")}</label>
                </div>
                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("register-save")}</button>
            </form>
            {move || match (org.get(), id.get(), base.get()) {
                (Some(org), Some(id), Some((revision, facts))) => Some(view! {
                    <super::dpia::DpiaScreening org=org activity=id/>
                    <super::templates::TemplateSharing org=org activity=id revision=revision status=facts.status/>
                }),
                _ => None,
            }}
        </div>
    }
}

/// The flags of one chosen data category: the Art. 9(2) condition (special categories),
/// the legal reference, and how long it is kept.
#[component]
fn CategoryDetails(row: CategoryRow, vocabulary: RwSignal<Vocabulary>) -> impl IntoView {
    let i18n = use_i18n();
    let key = row.key.get_value();
    let special = move || vocabulary.with(|v| v.category(&key).and_then(|c| c.special));
    let key_id = StoredValue::new(row.key.get_value().replace(':', "-"));
    let id = move |f: &str| key_id.with_value(|k| format!("cu-{k}-{f}"));
    let name = move || vocabulary.with(|v| row.key.with_value(|k| term_label(i18n, v, k)));
    view! {
        <fieldset class="ds-fieldset vern-subgroup">
            <legend class="ds-label" data-size="sm">{name}</legend>
            {let special = special.clone(); move || special().filter(|s| s.is_art9()).map(|_| view! {
                <div class="ds-field">
                    <label class="ds-label" for=id("condition")>{i18n.tr("field-art9-condition")}</label>
                    <select class="ds-input" id=id("condition") on:change=move |ev| row.condition.set(event_target_value(&ev))>
                        <option value="" selected=move || row.condition.get().is_empty()>{i18n.tr("activities-choose-condition")}</option>
                        {Art9Condition::ALL.into_iter().map(|c| {
                            let w = wire(&c);
                            let w2 = w.clone();
                            view! {
                                <option value=w selected=move || row.condition.get() == w2>
                                    {move || format!("{} – {}", c.article(), i18n.t(&format!("condition-{}", wire(&c).replace('_', "-"))))}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
            })}
            {move || special().is_some().then(|| view! {
                <div class="ds-field">
                    <label class="ds-label" for=id("reference")>{i18n.tr("field-legal-reference")}</label>
                    <input class="ds-input" id=id("reference") type="text" maxlength="500" bind:value=row.reference/>
                </div>
            })}
            <div class="ds-field">
                <label class="ds-label" for=id("retention")>{i18n.tr("field-retention")}</label>
                <input class="ds-input" id=id("retention") type="text" maxlength="500" bind:value=row.retention/>
            </div>
        </fieldset>
    }
}

/// Who receives the data (Art. 30(1)(d)): one group per recipient.
#[component]
fn RecipientFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="ds-fieldset">
            <legend class="ds-label">{i18n.tr("field-recipients")}</legend>
            <p class="ds-field__description">{i18n.tr("activities-recipients-hint")}</p>
            <For each=move || form.recipients.get() key=|r| r.key let:row>
                {
                    let n = move || form.recipients.with(|l| l.iter().position(|r| r.key == row.key).unwrap_or(0) + 1);
                    let id = |f: &str| format!("rcp-{}-{f}", row.key);
                    view! {
                        <fieldset class="ds-fieldset vern-subgroup">
                            <legend class="ds-label" data-size="sm">{move || format!("{} {}", i18n.t("activities-recipient"), n())}</legend>
                            <div class="ds-field">
                                <label class="ds-label" for=id("name")>{i18n.tr("field-name")}</label>
                                <input class="ds-input" id=id("name") type="text" maxlength="200" bind:value=row.name/>
                            </div>
                            <div class="ds-field">
                                <label class="ds-label" for=id("country")>{i18n.tr("field-country")}</label>
                                <input class="ds-input" id=id("country") type="text" maxlength="2" size="3" bind:value=row.country/>
                            </div>
                            <div class="ds-field">
                                <label class="ds-label" for=id("ref")>{i18n.tr("field-legal-reference")}</label>
                                <input class="ds-input" id=id("ref") type="text" maxlength="500" bind:value=row.reference/>
                            </div>
                            <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                                aria-label=move || format!("{} {} {}", i18n.t("register-remove"), i18n.t("activities-recipient"), n())
                                on:click=move |_| form.recipients.update(|l| l.retain(|r| r.key != row.key))>
                                {i18n.tr("register-remove")}
                            </button>
                        </fieldset>
                    }
                }
            </For>
            <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                on:click=move |_| {
                    let row = form.recipient_row(Recipient { name: String::new(), country: "NO".into(), legal_reference: String::new() });
                    form.recipients.update(|l| l.push(row));
                }>
                {i18n.tr("activities-add-recipient")}
            </button>
        </fieldset>
    }
}

/// Transfers outside the EU/EEA (Art. 30(1)(e)), each with its mechanism.
#[component]
fn TransferFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="ds-fieldset">
            <legend class="ds-label">{i18n.tr("field-transfers")}</legend>
            <p class="ds-field__description">{i18n.tr("activities-transfers-hint")}</p>
            <For each=move || form.transfers.get() key=|r| r.key let:row>
                {
                    let n = move || form.transfers.with(|l| l.iter().position(|r| r.key == row.key).unwrap_or(0) + 1);
                    let id = |f: &str| format!("trf-{}-{f}", row.key);
                    view! {
                        <fieldset class="ds-fieldset vern-subgroup">
                            <legend class="ds-label" data-size="sm">{move || format!("{} {}", i18n.t("activities-transfer"), n())}</legend>
                            <div class="ds-field">
                                <label class="ds-label" for=id("country")>{i18n.tr("field-country")}</label>
                                <input class="ds-input" id=id("country") type="text" maxlength="2" size="3" bind:value=row.country/>
                            </div>
                            <div class="ds-field">
                                <label class="ds-label" for=id("mechanism")>{i18n.tr("field-mechanism")}</label>
                                <select class="ds-input" id=id("mechanism") on:change=move |ev| {
                                    if let Some(m) = from_wire(&event_target_value(&ev)) { row.mechanism.set(m); }
                                }>
                                    {super::product_editor::MECHANISMS.into_iter().map(|m| view! {
                                        <option value=wire(&m) selected=move || row.mechanism.get() == m>{i18n.tr_owned(snake_key("mechanism", &m))}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <button type="button" class="ds-button" data-variant="tertiary" data-size="sm"
                                aria-label=move || format!("{} {} {}", i18n.t("register-remove"), i18n.t("activities-transfer"), n())
                                on:click=move |_| form.transfers.update(|l| l.retain(|r| r.key != row.key))>
                                {i18n.tr("register-remove")}
                            </button>
                        </fieldset>
                    }
                }
            </For>
            <button type="button" class="ds-button" data-variant="secondary" data-size="sm"
                on:click=move |_| {
                    let row = form.transfer_row(Transfer { country: String::new(), mechanism: TransferMechanism::StandardContractualClauses });
                    form.transfers.update(|l| l.push(row));
                }>
                {i18n.tr("activities-add-transfer")}
            </button>
        </fieldset>
    }
}
