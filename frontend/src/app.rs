//! The frame every page shares — skip link, header with navigation and language switch,
//! main landmark, footer — and the routes.

use leptos::prelude::*;
use leptos_router::components::{A, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use vern_i18n::Lang;
use wasm_bindgen::JsCast;

use crate::components::set_title;
use crate::i18n::{provide_i18n, use_i18n};
use crate::pages::admin::{
    ApiClientsPage, AuditLogPage, MembersPage, RoleRequestsPage, SettingsPage, WebhooksPage,
};
use crate::pages::agreements::{
    AgreementPage, AgreementTemplatePage, AgreementTemplatesPage, AgreementsPage, CampaignPage,
    CampaignsPage, NewAgreementPage, NewCampaignPage,
};
use crate::pages::auth::{AccountPage, InvitationPage, LoginPage};
use crate::pages::incidents::{
    IncidentPage, IncidentsPage, NewIncidentPage, NewVendorIncidentPage, VendorIncidentPage,
    VendorIncidentsPage,
};
use crate::pages::operator::OperatorPage;
use crate::pages::organizations::{OrganizationDetail, OrganizationList};
use crate::pages::register::{
    ActivitiesPage, ActivityEditorPage, CataloguePage, ComparePage, OwnTermsPage,
    PrivacyStatementPage, ProductDetailPage, ProductEditorPage, RegisterOverviewPage,
    SystemEditorPage, SystemsPage, TemplatesPage, VendorProductsPage,
};
use crate::pages::requests::{
    NewRequestPage, PortalPage, PortalRequestPage, RequestCasePage, RequestsPage, SystemTaskPage,
    SystemTasksPage,
};
use crate::session::{provide_session, use_session};

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_session();
    view! {
        <Router>
            <a class="ds-skip-link" href="#main">{move || use_i18n().t("skip-to-content")}</a>
            <FocusOnNavigate/>
            <Header/>
            <main id="main" class="vern-main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/organizations"/> }/>
                    <Route path=path!("/organizations") view=OrganizationList/>
                    <Route path=path!("/organizations/:id") view=OrganizationDetail/>
                    <Route path=path!("/organizations/:id/members") view=MembersPage/>
                    <Route path=path!("/organizations/:id/audit") view=AuditLogPage/>
                    <Route path=path!("/organizations/:id/settings") view=SettingsPage/>
                    <Route path=path!("/organizations/:id/role-requests") view=RoleRequestsPage/>
                    <Route path=path!("/organizations/:id/api-clients") view=ApiClientsPage/>
                    <Route path=path!("/organizations/:id/webhooks") view=WebhooksPage/>
                    <Route path=path!("/organizations/:id/products") view=VendorProductsPage/>
                    <Route path=path!("/organizations/:id/products/:pid") view=ProductEditorPage/>
                    <Route path=path!("/organizations/:id/systems") view=SystemsPage/>
                    <Route path=path!("/organizations/:id/systems/:sid") view=SystemEditorPage/>
                    <Route path=path!("/organizations/:id/processing-activities") view=ActivitiesPage/>
                    <Route path=path!("/organizations/:id/processing-activities/:aid") view=ActivityEditorPage/>
                    <Route path=path!("/organizations/:id/processing-activities/:aid/dpia") view=crate::pages::register::AssessmentPage/>
                    <Route path=path!("/organizations/:id/privacy") view=PrivacyStatementPage/>
                    <Route path=path!("/organizations/:id/register") view=RegisterOverviewPage/>
                    <Route path=path!("/organizations/:id/register/compare") view=ComparePage/>
                    <Route path=path!("/organizations/:id/activity-templates") view=TemplatesPage/>
                    <Route path=path!("/organizations/:id/own-terms") view=OwnTermsPage/>
                    <Route path=path!("/organizations/:id/agreements") view=AgreementsPage/>
                    <Route path=path!("/organizations/:id/agreements/new") view=NewAgreementPage/>
                    <Route path=path!("/agreements/:aid") view=AgreementPage/>
                    <Route path=path!("/organizations/:id/campaigns") view=CampaignsPage/>
                    <Route path=path!("/organizations/:id/campaigns/new") view=NewCampaignPage/>
                    <Route path=path!("/campaigns/:cid") view=CampaignPage/>
                    <Route path=path!("/organizations/:id/agreement-templates") view=AgreementTemplatesPage/>
                    <Route path=path!("/agreement-templates/:tid") view=AgreementTemplatePage/>
                    <Route path=path!("/organizations/:id/requests") view=RequestsPage/>
                    <Route path=path!("/organizations/:id/requests/new") view=NewRequestPage/>
                    <Route path=path!("/requests/:rid") view=RequestCasePage/>
                    <Route path=path!("/organizations/:id/system-tasks") view=SystemTasksPage/>
                    <Route path=path!("/organizations/:id/incidents") view=IncidentsPage/>
                    <Route path=path!("/organizations/:id/incidents/new") view=NewIncidentPage/>
                    <Route path=path!("/organizations/:id/incidents/:iid") view=IncidentPage/>
                    <Route path=path!("/organizations/:id/consents") view=crate::pages::consents::ConsentsPage/>
                    <Route path=path!("/organizations/:id/consents/new") view=crate::pages::consents::NewConsentPage/>
                    <Route path=path!("/organizations/:id/consents/:cid") view=crate::pages::consents::ConsentPage/>
                    <Route path=path!("/organizations/:id/vendor-incidents") view=VendorIncidentsPage/>
                    <Route path=path!("/organizations/:id/vendor-incidents/new") view=NewVendorIncidentPage/>
                    <Route path=path!("/organizations/:id/vendor-incidents/:nid") view=VendorIncidentPage/>
                    <Route path=path!("/system-tasks/:tid") view=SystemTaskPage/>
                    <Route path=path!("/innsyn") view=PortalPage/>
                    <Route path=path!("/innsyn/:rid") view=PortalRequestPage/>
                    <Route path=path!("/catalogue") view=CataloguePage/>
                    <Route path=path!("/products/:pid") view=ProductDetailPage/>
                    <Route path=path!("/operator") view=OperatorPage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/account") view=AccountPage/>
                    <Route path=path!("/notifications") view=crate::pages::notifications::NotificationsPage/>
                    <Route path=path!("/invitation") view=InvitationPage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// After a client-side navigation, focus moves to `<main>` so screen-reader and keyboard
/// users start at the new page's content, as they would after a full page load.
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        let main = document()
            .get_element_by_id("main")
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(main) = main.filter(|_| previous.is_some_and(|p| p != path)) {
            let _ = main.focus();
        }
        path
    });
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <header class="vern-header">
            <div class="vern-container vern-header__inner">
                <a class="vern-brand" href="/organizations">
                    <span class="vern-brand__name">{i18n.tr("app-name")}</span>
                    <span class="vern-brand__tagline">{i18n.tr("app-tagline")}</span>
                </a>
                <nav class="vern-nav" aria-label=i18n.tr("nav-label")>
                    <ul>
                        <li><A href="/organizations">{i18n.tr("nav-organizations")}</A></li>
                        <Show when=move || session.current.with(Option::is_some)>
                            <li><A href="/catalogue">{i18n.tr("nav-catalogue")}</A></li>
                        </Show>
                        <li><a href="/api/docs/" rel="external">{i18n.tr("nav-api-docs")}</a></li>
                        <Show when=move || session.current.with(Option::is_some)>
                            <li><crate::pages::notifications::NotificationsLink/></li>
                        </Show>
                        <li>
                            {move || if session.current.get().is_some() {
                                view! { <A href="/account">{i18n.tr("nav-account")}</A> }.into_any()
                            } else {
                                view! { <A href="/login">{i18n.tr("nav-login")}</A> }.into_any()
                            }}
                        </li>
                    </ul>
                </nav>
                <LanguageSwitch/>
            </div>
        </header>
    }
}

/// Three buttons rather than a select: changing the page's language is a change of context,
/// which WCAG 3.2.2 wants behind an explicit action.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="vern-lang" role="group" aria-label=i18n.tr("language-label")>
            {Lang::ALL.into_iter().map(|lang| view! {
                <button
                    type="button"
                    class="ds-button"
                    data-variant=move || if i18n.lang() == lang { "primary" } else { "tertiary" }
                    data-size="sm"
                    lang=lang.tag()
                    aria-pressed=move || (i18n.lang() == lang).to_string()
                    on:click=move |_| i18n.set_lang(lang)
                >
                    {lang.native_name()}
                </button>
            }).collect_view()}
        </div>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="vern-footer">
            <div class="vern-container">
                <p class="ds-paragraph" data-size="sm">{i18n.tr("footer-text")}</p>
            </div>
        </footer>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    set_title(i18n.tr("not-found-title"));
    view! {
        <div class="vern-container">
            <h1 class="ds-heading" data-size="lg">{i18n.tr("not-found-title")}</h1>
            <p class="ds-paragraph">{i18n.tr("not-found-body")}</p>
            <p><A href="/organizations" attr:class="ds-link">{i18n.tr("go-home")}</A></p>
        </div>
    }
}
