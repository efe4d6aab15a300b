//! Comparing application overviews with another municipality, and choosing whether others
//! may compare with ours.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use vern_domain::OrganizationId;
use vern_domain::access::Permission;
use vern_domain::register::compare::{ComparedSystem, ComparisonRow, OverviewComparison, Presence};

use super::status_key;
use crate::api::{self, ApiError, OverviewSharing, UsageSharing};
use crate::components::{ErrorAlert, Loading, set_title};
use crate::i18n::use_i18n;
use crate::pages::admin::org_from_path;
use crate::session::use_session;

#[component]
pub fn ComparePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    set_title(i18n.tr("compare-title"));
    let query_map = use_query_map();
    let with = Memo::new(move |_| {
        query_map
            .get()
            .get("with")
            .and_then(|w| w.parse::<OrganizationId>().ok())
    });
    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(w) = with.get() {
            chosen.set(w.to_string());
        }
    });
    let peers = LocalResource::new(move || {
        let ready = session.ready.get();
        let org = org.get();
        async move {
            let org = org.filter(|_| ready)?;
            Some(
                session
                    .authorized(|t| api::list_overview_peers(org, t))
                    .await,
            )
        }
    });
    let comparison = LocalResource::new(move || {
        let ready = session.ready.get();
        let (org, with) = (org.get(), with.get());
        async move {
            let (org, with) = (org.filter(|_| ready)?, with?);
            Some(
                session
                    .authorized(|t| api::compare_overviews(org, with, t))
                    .await,
            )
        }
    });
    let only_differences = RwSignal::new(false);
    let here = move || {
        org.get()
            .map(|o| format!("/organizations/{o}/register/compare"))
            .unwrap_or_default()
    };

    view! {
        <div class="vern-container">
            <p>{move || org.get().map(|o| view! {
                <A href=format!("/organizations/{o}/register") attr:class="ds-link">{i18n.tr("overview-title")}</A>
            })}</p>
            <h1 class="ds-heading" data-size="lg">{i18n.tr("compare-title")}</h1>
            <p class="ds-paragraph vern-lead">{i18n.tr("compare-intro")}</p>
            <SharingSettings/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match peers.await {
                        None => ().into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        Some(Ok(list)) if list.items.is_empty() => view! {
                            <p class="ds-paragraph">{i18n.tr("compare-no-peers")}</p>
                        }.into_any(),
                        Some(Ok(list)) => view! {
                            <Form method="GET" action=here attr:class="vern-search">
                                <div class="ds-field">
                                    <label class="ds-label" for="cmp-with">{i18n.tr("compare-with")}</label>
                                    <select class="ds-input" id="cmp-with" name="with" required on:change=move |ev| chosen.set(event_target_value(&ev))>
                                        <option value="" selected=move || chosen.get().is_empty()>{i18n.tr("compare-choose")}</option>
                                        {list.items.into_iter().map(|p| {
                                            let id = p.id.to_string();
                                            let selected = { let id = id.clone(); move || chosen.get() == id };
                                            view! { <option value=id selected=selected>{p.name}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button class="ds-button" data-variant="primary" type="submit">{i18n.tr("compare-submit")}</button>
                            </Form>
                        }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match comparison.await {
                        None => ().into_any(),
                        Some(Err(e)) => view! { <ErrorAlert error=e/> }.into_any(),
                        Some(Ok(c)) => view! { <ComparisonView comparison=c only_differences=only_differences/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// What a sharing switch decides.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sharing {
    /// Other municipalities may compare with our overview.
    Overview,
    /// Vendors may see how we use their products.
    Usage,
}

impl Sharing {
    const fn texts(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Self::Overview => (
                "cmp-share",
                "compare-sharing-label",
                "compare-sharing-on",
                "compare-sharing-off",
            ),
            Self::Usage => (
                "usage-share",
                "usage-sharing-label",
                "usage-sharing-on",
                "usage-sharing-off",
            ),
        }
    }

    async fn load(self, org: vern_domain::OrganizationId, token: String) -> Result<bool, ApiError> {
        match self {
            Self::Overview => api::get_overview_sharing(org, token)
                .await
                .map(|s| s.share_overview),
            Self::Usage => api::get_usage_sharing(org, token)
                .await
                .map(|s| s.share_usage_with_vendors),
        }
    }

    async fn save(
        self,
        org: vern_domain::OrganizationId,
        share: bool,
        token: String,
    ) -> Result<bool, ApiError> {
        match self {
            Self::Overview => api::put_overview_sharing(
                org,
                OverviewSharing {
                    share_overview: share,
                },
                token,
            )
            .await
            .map(|s| s.share_overview),
            Self::Usage => api::put_usage_sharing(
                org,
                UsageSharing {
                    share_usage_with_vendors: share,
                },
                token,
            )
            .await
            .map(|s| s.share_usage_with_vendors),
        }
    }
}

/// The organisation's sharing choices: editors change them, readers see them.
#[component]
fn SharingSettings() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="sharing-heading">
            <h2 class="ds-heading" data-size="sm" id="sharing-heading">{i18n.tr("compare-sharing-title")}</h2>
            <SharingSwitch which=Sharing::Overview/>
            <SharingSwitch which=Sharing::Usage/>
        </section>
    }
}

#[component]
fn SharingSwitch(which: Sharing) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let org = org_from_path();
    let current = RwSignal::new(None::<bool>);
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let (id, label, on, off) = which.texts();
    Effect::new(move |_| {
        if !session.ready.get() {
            return;
        }
        let Some(org) = org.get() else { return };
        spawn_local(async move {
            match session.authorized(|t| which.load(org, t)).await {
                Ok(s) => current.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let can_edit = move || {
        org.get()
            .is_some_and(|o| session.can(o, Permission::EditRegister))
    };
    let toggle = move |ev: leptos::ev::Event| {
        let share = event_target_checked(&ev);
        let Some(org) = org.get_untracked() else {
            return;
        };
        error.set(None);
        spawn_local(async move {
            match session.authorized(|t| which.save(org, share, t)).await {
                Ok(s) => {
                    current.set(Some(s));
                    notice.set(Some(i18n.t(if s { on } else { off })));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div>
            {move || error.get().map(|e| view! { <ErrorAlert error=e/> })}
            // Rendered once the setting is known, and not again on each change, so that the
            // switch keeps the keyboard focus.
            <Show when=move || current.get().is_some()>
                {move || if can_edit() {
                    view! {
                        <div class="ds-field">
                            <input class="ds-input" type="checkbox" role="switch" id=id
                                prop:checked=move || current.get() == Some(true) on:change=toggle/>
                            <label class="ds-label" data-weight="regular" for=id>{i18n.tr(label)}</label>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <p class="ds-paragraph">{move || i18n.t(if current.get() == Some(true) { on } else { off })}</p>
                    }.into_any()
                }}
            </Show>
            <div role="status" class="vern-status">{move || notice.get()}</div>
        </div>
    }
}

fn side(i18n: crate::i18n::I18n, systems: &[ComparedSystem]) -> impl IntoView + use<> {
    if systems.is_empty() {
        return view! { <span>"–"</span> }.into_any();
    }
    view! {
        <ul class="vern-plain-list">
            {systems.iter().map(|s| {
                let version = (!s.version.is_empty()).then(|| format!(" {}", s.version));
                let status = status_key(s.status);
                view! { <li>{s.name.clone()}{version}" · "{i18n.tr_owned(status)}</li> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ComparisonView(
    comparison: OverviewComparison,
    only_differences: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = comparison.summary;
    let ours = comparison.ours.name.clone();
    let theirs = comparison.theirs.name.clone();
    let rows = StoredValue::new(comparison.rows);
    let shown = move || {
        rows.with_value(|rows| {
            rows.iter()
                .filter(|r| {
                    !only_differences.get() || r.presence != Presence::Both || r.versions_differ
                })
                .cloned()
                .collect::<Vec<ComparisonRow>>()
        })
    };
    let (ours_head, theirs_head) = (ours.clone(), theirs.clone());
    view! {
        <section aria-labelledby="cmp-result">
            <h2 class="ds-heading" data-size="md" id="cmp-result">
                {move || i18n.t_with("compare-result", &[("ours", ours.clone().into()), ("theirs", theirs.clone().into())])}
            </h2>
            <dl class="vern-facts">
                <dt>{i18n.tr("compare-both")}</dt><dd>{s.both}</dd>
                <dt>{i18n.tr("compare-only-ours")}</dt><dd>{s.only_ours}</dd>
                <dt>{i18n.tr("compare-only-theirs")}</dt><dd>{s.only_theirs}</dd>
                <dt>{i18n.tr("compare-versions-differ")}</dt><dd>{s.versions_differ}</dd>
            </dl>
            <div class="ds-field">
                <input class="ds-input" type="checkbox" id="cmp-diff" bind:checked=only_differences/>
                <label class="ds-label" data-weight="regular" for="cmp-diff">{i18n.tr("compare-only-differences")}</label>
            </div>
            <div class="vern-table-wrap">
                <table class="ds-table" data-border="true" data-zebra="true">
                    <caption class="ds-sr-only">{i18n.tr("compare-title")}</caption>
                    <thead><tr>
                        <th scope="col">{i18n.tr("compare-product")}</th>
                        <th scope="col">{i18n.tr("product-vendor")}</th>
                        <th scope="col">{ours_head}</th>
                        <th scope="col">{theirs_head}</th>
                        <th scope="col">{i18n.tr("compare-difference")}</th>
                    </tr></thead>
                    <tbody>
                        {move || shown().into_iter().map(|r| {
                            let tag = match (r.presence, r.versions_differ) {
                                (Presence::OnlyOurs, _) => Some(("compare-only-ours", "info")),
                                (Presence::OnlyTheirs, _) => Some(("compare-only-theirs", "warning")),
                                (Presence::Both, true) => Some(("compare-versions-differ", "warning")),
                                (Presence::Both, false) => None,
                            };
                            let name = match r.product_id {
                                Some(p) => view! { <A href=format!("/products/{p}") attr:class="ds-link">{r.name.clone()}</A> }.into_any(),
                                None => view! { <span>{r.name.clone()}</span> }.into_any(),
                            };
                            view! {
                                <tr>
                                    <th scope="row">{name}</th>
                                    <td>{r.vendor_name.clone().unwrap_or_else(|| "–".into())}</td>
                                    <td>{side(i18n, &r.ours)}</td>
                                    <td>{side(i18n, &r.theirs)}</td>
                                    <td>{tag.map(|(key, color)| view! { <span class="ds-tag" data-color=color>{i18n.tr(key)}</span> })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
