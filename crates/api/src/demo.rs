//! Demo logins: with `VERN_DEMO`, one made-up user per role in a demo municipality (Oslo),
//! a demo vendor and a demo authority, plus a platform operator. Passwords and TOTP secrets
//! are random per installation and written to `$VERN_DATA_DIR/demo-credentials.json`, which
//! the e2e tests and scripted checks read. Never enable demo data in production.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use vern_db::Database;
use vern_db::identity::NewUser;
use vern_domain::access::clients::CheckedClient;
use vern_domain::access::{Permission, Role};
use vern_domain::{EmailAddress, OrganizationId};

use crate::auth::credentials::{hash_password, new_totp_secret};
use crate::auth::random_token;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoUser {
    pub email: String,
    pub password: String,
    /// Base32, for any authenticator app (SHA-1, 6 digits, 30 s).
    pub totp_secret: String,
    pub roles: Vec<Role>,
    pub organization_id: OrganizationId,
    pub organization_name: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DemoCredentials {
    pub notice: String,
    pub users: Vec<DemoUser>,
    /// One API client per demo organisation (not the platform).
    pub api_clients: Vec<DemoApiClient>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoApiClient {
    pub client_id: uuid::Uuid,
    pub client_secret: String,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub scopes: Vec<Permission>,
}

pub fn credentials_path(data_dir: &Path) -> PathBuf {
    data_dir.join("demo-credentials.json")
}

/// (organisation lookup, e-mail prefix, roles to create one user each for)
const MUNICIPALITY_ROLES: &[Role] = &[
    Role::OrgAdmin,
    Role::PrivacyOfficer,
    Role::RegisterEditor,
    Role::SystemOwner,
    Role::RequestCaseworker,
    Role::Signatory,
    Role::Auditor,
];
/// A second municipality, to try reuse and comparison between municipalities.
const PEER_ROLES: &[Role] = &[Role::RegisterEditor, Role::PrivacyOfficer];
const VENDOR_ROLES: &[Role] = &[Role::VendorAdmin, Role::ProductEditor, Role::Signatory];
const AUTHORITY_ROLES: &[Role] = &[Role::OrgAdmin, Role::AgreementManager, Role::Signatory];
const PLATFORM_ROLES: &[Role] = &[Role::PlatformOperator];

/// The demo integration's permissions in each kind of organisation: what a case system or
/// a catalogue synchronisation would need, never identity administration.
fn demo_client_scopes(kind: vern_domain::OrgKind) -> Vec<Permission> {
    use vern_domain::OrgKind;
    match kind {
        OrgKind::Municipality => vec![
            Permission::ReadAuditLog,
            Permission::ReadRegister,
            Permission::EditRegister,
            Permission::ReadAgreements,
            Permission::ReadRequestOverview,
            Permission::ReadIncidents,
        ],
        OrgKind::Vendor => vec![Permission::EditProducts, Permission::ReadAgreements],
        OrgKind::Authority => vec![Permission::ReadAgreements, Permission::DraftAgreements],
        OrgKind::Platform => Vec::new(),
    }
}

/// Creates the demo users once (when the database has no users) and returns the
/// credentials file's contents; on later starts reads the file back.
pub async fn seed_users(
    db: &Database,
    secrets: &crate::auth::SecretBox,
    data_dir: &Path,
) -> anyhow::Result<Option<DemoCredentials>> {
    let path = credentials_path(data_dir);
    if vern_db::identity::count_users(&db.conn).await? > 0 {
        return Ok(std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok()));
    }
    let orgs = [
        (
            vern_db::organizations::find_by_kommunenummer(&db.conn, "0301").await?,
            "oslo",
            MUNICIPALITY_ROLES,
        ),
        (
            vern_db::organizations::find_by_kommunenummer(&db.conn, "4601").await?,
            "bergen",
            PEER_ROLES,
        ),
        (
            vern_db::organizations::find_by_name(&db.conn, "Fjordlys Programvare AS").await?,
            "fjordlys",
            VENDOR_ROLES,
        ),
        (
            vern_db::organizations::find_by_name(
                &db.conn,
                "Direktoratet for digital samhandling (demo)",
            )
            .await?,
            "direktoratet",
            AUTHORITY_ROLES,
        ),
        (
            vern_db::organizations::find_by_name(&db.conn, "Vern drift (demo)").await?,
            "drift",
            PLATFORM_ROLES,
        ),
    ];
    let now = chrono::Utc::now();
    let mut credentials = DemoCredentials {
        notice: "DEMO DATA — made-up users for trying Vern out. Never use in production."
            .to_owned(),
        ..Default::default()
    };
    let txn = vern_db::connection::begin_write(db).await?;
    for (org, prefix, roles) in orgs {
        let Some(org) = org else { continue };
        for role in roles {
            let email = format!("{prefix}.{}@example.org", role.as_str().replace('_', "-"));
            let password = format!(
                "demo-{}",
                random_token()
                    .map_err(|e| anyhow::anyhow!("{e}"))?
                    .get(..20)
                    .unwrap_or("x")
            );
            let totp_secret = new_totp_secret().map_err(|e| anyhow::anyhow!("{e}"))?;
            let hash = hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
            let user = vern_db::identity::insert_user(
                &txn,
                NewUser {
                    email: EmailAddress::parse(&email).context("demo e-mail")?,
                    display_name: format!("Demo {} ({prefix})", role.as_str().replace('_', " ")),
                    password_hash: Some(hash),
                    totp_secret: Some(secrets.seal(&totp_secret)?),
                },
                now,
            )
            .await?;
            vern_db::identity::grant_role(&txn, org.id, user.id, *role, None, now).await?;
            if *role == Role::SystemOwner {
                own_demo_systems(&txn, org.id, user.id, now).await?;
            }
            credentials.users.push(DemoUser {
                email,
                password,
                totp_secret,
                roles: vec![*role],
                organization_id: org.id,
                organization_name: org.name.clone(),
            });
        }
        let scopes = demo_client_scopes(org.kind);
        if !scopes.is_empty() {
            let secret = random_token().map_err(|e| anyhow::anyhow!("{e}"))?;
            let client = vern_db::api_clients::insert(
                &txn,
                org.id,
                CheckedClient {
                    name: "Demo integration".to_owned(),
                    scopes: scopes.clone(),
                    expires_at: now + chrono::Duration::days(365),
                    external_client_id: None,
                },
                crate::auth::token_hash(&secret),
                None,
                now,
            )
            .await?;
            credentials.api_clients.push(DemoApiClient {
                client_id: client.id,
                client_secret: secret,
                organization_id: org.id,
                organization_name: org.name.clone(),
                scopes,
            });
        }
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&credentials)?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(Some(credentials))
}

/// The start-up banner listing the demo logins.
pub fn banner(credentials: &DemoCredentials, path: &Path) -> String {
    let mut out = String::from("\n==== DEMO LOGINS (demo data only — never in production) ====\n");
    for user in &credentials.users {
        let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
        out.push_str(&format!(
            "  {:<42} {:<26} {}\n",
            user.email,
            user.password,
            roles.join(",")
        ));
    }
    for client in &credentials.api_clients {
        out.push_str(&format!(
            "  API client {} ({})\n",
            client.client_id, client.organization_name
        ));
    }
    out.push_str(&format!(
        "  TOTP secrets, client secrets and more: {}\n",
        path.display()
    ));
    out.push_str("=============================================================\n");
    out
}

/// The demo system owner owns the school systems, so that their login shows "my systems".
async fn own_demo_systems(
    db: &impl vern_db::sea_orm_connection::ConnectionTrait,
    org: OrganizationId,
    user: uuid::Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    for system in vern_db::register::all_systems(db, org).await? {
        if ["Skolesekk", "Elevtorget"].contains(&system.facts.name.as_str()) {
            let mut facts = system.facts.clone();
            facts.owners.push(user);
            vern_db::register::update_system(db, org, system.id, system.revision, &facts, now)
                .await?;
        }
    }
    Ok(())
}

/// Demo agreements for Oslo: one sent to Fjordlys for signature (Barnehagebasen and
/// Foreldrekontakt), and a draft with Nordavind (Lønnsflyt) that still lacks its audit
/// procedure. Made once, with the demo users.
pub async fn seed_agreements(db: &Database) -> anyhow::Result<()> {
    use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
    use vern_domain::agreements::lifecycle::{AgreementEvent, AgreementStatus, transition};
    use vern_domain::agreements::terms::{
        AgreementTerms, Authorisation, EndOfContract, check_terms,
    };

    let Some(oslo) = vern_db::organizations::find_by_kommunenummer(&db.conn, "0301").await? else {
        return Ok(());
    };
    let vendor = |name: &'static str| async move {
        vern_db::organizations::find_by_name(&db.conn, name).await
    };
    let (Some(fjordlys), Some(nordavind)) = (
        vendor("Fjordlys Programvare AS").await?,
        vendor("Nordavind Skyløsninger AS").await?,
    ) else {
        return Ok(());
    };
    let limit = vern_domain::pagination::Limit::parse(Some(500)).unwrap_or_default();
    let (systems, _) = vern_db::register::list_systems(
        &db.conn,
        oslo.id,
        &vern_db::register::SystemFilter::default(),
        limit,
        None,
    )
    .await?;
    let ids = |names: &[&str]| -> Vec<uuid::Uuid> {
        systems
            .iter()
            .filter(|s| names.contains(&s.facts.name.as_str()))
            .map(|s| s.id)
            .collect()
    };
    let event = || AuditDraft {
        organization_id: Some(oslo.id),
        actor_kind: ActorKind::System,
        actor_id: None,
        action: "agreement.drafted",
        target_type: "agreement",
        target_id: None,
        request_id: None,
        outcome: Outcome::Success,
    };
    let base = AgreementTerms {
        title: String::new(),
        template: "state-nb".to_owned(),
        processor_id: fjordlys.id,
        system_ids: Vec::new(),
        nature: "Drift, lagring, sikkerhetskopiering og brukerstøtte for systemene i vedlegg A"
            .to_owned(),
        start_date: chrono::NaiveDate::from_ymd_opt(2027, 1, 1),
        end_date: None,
        review_date: chrono::NaiveDate::from_ymd_opt(2027, 12, 1),
        authorisation: Authorisation::General,
        notice_period_days: Some(30),
        breach_notice_hours: Some(24),
        end_of_contract: Some(EndOfContract::ReturnThenDelete),
        audit_procedure: "Årlig uavhengig revisjonsrapport (ISAE 3000) og rett til stedlig kontroll med 30 dagers varsel".to_owned(),
        instructions: String::new(),
        other_terms: String::new(),
        controller_contact: "personvern@example.org".to_owned(),
        controller_address: "Rådhuset, 0037 Oslo".to_owned(),
        processor_contact: "avtaler@example.org".to_owned(),
        processor_address: String::new(),
        change_note: String::new(),
        scope: Default::default(),
    };
    let known = |k: &str| vern_domain::agreements::templates::builtin_template(k).is_some();
    let refused = |e: Vec<vern_domain::problem::FieldError>| anyhow::anyhow!("demo terms: {e:?}");
    let to_fjordlys = check_terms(
        &AgreementTerms {
            title: "Databehandleravtale for barnehage og foreldrekontakt".to_owned(),
            system_ids: ids(&["Barnehagebasen", "Foreldrekontakt"]),
            ..base.clone()
        },
        known,
    )
    .map_err(refused)?;
    let to_nordavind = check_terms(
        &AgreementTerms {
            title: "Databehandleravtale for lønn".to_owned(),
            processor_id: nordavind.id,
            system_ids: ids(&["Lønnsflyt"]),
            audit_procedure: String::new(),
            ..base
        },
        known,
    )
    .map_err(refused)?;
    let api =
        |e: crate::error::ApiError| anyhow::anyhow!("demo agreement: {}", e.problem.code.as_str());
    let sent = crate::routes::agreements::draft(db, oslo.id, &to_fjordlys, event())
        .await
        .map_err(api)?;
    crate::routes::agreements::draft(db, oslo.id, &to_nordavind, event())
        .await
        .map_err(api)?;
    let now = chrono::Utc::now();
    let status = transition(AgreementStatus::Draft, AgreementEvent::Send)
        .map_err(|_| anyhow::anyhow!("a draft can be sent"))?;
    let txn = vern_db::connection::begin_write(db).await?;
    let change = vern_db::agreements::RowChange {
        status: Some(status),
        sent_at: Some(now),
        ..Default::default()
    };
    vern_db::agreements::update(&txn, &sent, change, now).await?;
    for (org, action) in [
        (oslo.id, "agreement.sent"),
        (fjordlys.id, "agreement.received"),
    ] {
        let draft = AuditDraft {
            organization_id: Some(org),
            action,
            target_id: Some(sent.id.to_string()),
            ..event()
        };
        vern_db::audit::append(&txn, draft, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Three made-up requests to Oslo, so the caseworker and the DPO have something to look at:
/// an access request in progress, an erasure request past its deadline, and an answered
/// objection. The residents are invented and their numbers are Skatteetaten's synthetic kind.
pub async fn seed_requests(db: &Database, content: &crate::auth::SecretBox) -> anyhow::Result<()> {
    use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
    use vern_domain::calendar::oslo_date;
    use vern_domain::requests::view::{RequestContents, Requester};
    use vern_domain::requests::{CaseAction, CaseFile, Channel, RequestKind};

    let Some(oslo) = vern_db::organizations::find_by_kommunenummer(&db.conn, "0301").await? else {
        return Ok(());
    };
    let now = chrono::Utc::now();
    let today = oslo_date(now);
    struct Demo {
        kind: RequestKind,
        channel: Channel,
        days_ago: i64,
        individual: u16,
        name: &'static str,
        text: &'static str,
        steps: &'static [CaseAction],
    }
    let cases = [
        Demo {
            kind: RequestKind::Access,
            channel: Channel::Letter,
            days_ago: 12,
            individual: 101,
            name: "Demo Innbygger Solberg",
            text: "Jeg ønsker innsyn i hvilke opplysninger skolen og helsestasjonen har om meg.",
            steps: &[CaseAction::Start],
        },
        Demo {
            kind: RequestKind::Erasure,
            channel: Channel::Email,
            days_ago: 40,
            individual: 205,
            name: "Demo Innbygger Haugen",
            text: "Jeg ber om at bildene av meg på kommunens nettsider slettes.",
            steps: &[],
        },
        Demo {
            kind: RequestKind::Objection,
            channel: Channel::Phone,
            days_ago: 20,
            individual: 309,
            name: "Demo Innbygger Berg",
            text: "Innbyggeren protesterer mot å motta nyhetsbrev om kulturtilbud.",
            steps: &[CaseAction::Start, CaseAction::Answer],
        },
    ];
    let txn = vern_db::connection::begin_write(db).await?;
    for Demo {
        kind,
        channel,
        days_ago: days,
        individual,
        name,
        text,
        steps,
    } in cases
    {
        let received = today - chrono::Duration::days(days);
        let id = (individual..individual + 40)
            .find_map(|i| vern_domain::person::synthetic(12, 3, 85, i))
            .ok_or_else(|| anyhow::anyhow!("no synthetic number"))?;
        let contents = RequestContents {
            requester: Requester {
                name: name.to_owned(),
                national_id: Some(id.expose()),
                email: None,
                phone: None,
                postal_address: Some("Demoveien 1\n0150 Oslo".to_owned()),
            },
            description: text.to_owned(),
            // The access request comes from a parent of a pupil: routing finds the school
            // systems (one of them answers through the demo subject system's connector).
            subject_categories: if kind == RequestKind::Access {
                vec!["dpv:ParentOfDataSubject".to_owned()]
            } else {
                Vec::new()
            },
        };
        let mut case = CaseFile::new(kind, received, true);
        let row = vern_db::requests::insert(
            &txn,
            vern_db::requests::NewRequestRow {
                organization: oslo.id,
                kind,
                channel,
                received_at: now - chrono::Duration::days(days),
                due_on: case.clock.due(today),
                clock: case.clock.clone(),
                requester_key: Some(content.lookup_key(&id.expose())),
                contents: content.seal(&serde_json::to_string(&contents)?)?,
                registered_by: None,
            },
            now,
        )
        .await?;
        vern_db::requests::add_event(
            &txn,
            row.id,
            "registered",
            None,
            Some(channel.as_str().to_owned()),
            None,
            now,
        )
        .await?;
        for step in steps {
            case.apply(*step, today)
                .map_err(|e| anyhow::anyhow!("demo request step: {e}"))?;
            let reply = matches!(step, CaseAction::Answer)
                .then(|| content.seal("Vi har stanset utsendingen av nyhetsbrev til deg."))
                .transpose()?;
            let kind = vern_domain::requests::view::CaseEventKind::of_action(*step);
            vern_db::requests::add_event(&txn, row.id, kind.as_str(), None, None, reply, now)
                .await?;
        }
        if !steps.is_empty() {
            let current = vern_db::requests::find(&txn, row.id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo request vanished"))?;
            vern_db::requests::change(
                &txn,
                &current,
                vern_db::requests::CaseChange {
                    status: case.status,
                    clock: &case.clock,
                    due_on: case.clock.due(today),
                    refusal_ground: None,
                    closed_at: (!case.status.is_open()).then_some(now),
                    answer_until: (!case.status.is_open()).then(|| {
                        vern_domain::requests::resident::window_until(
                            now,
                            vern_db::requests::DEFAULT_ANSWER_WINDOW_DAYS,
                        )
                    }),
                },
                now,
            )
            .await?;
        }
        let draft = AuditDraft {
            organization_id: Some(oslo.id),
            actor_kind: ActorKind::System,
            actor_id: None,
            action: "request.registered",
            target_type: "request",
            target_id: Some(row.id.to_string()),
            request_id: None,
            outcome: Outcome::Success,
        };
        vern_db::audit::append(&txn, draft, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Three made-up consents to Oslo's photo activity, given by guardians for their children:
/// one active, one due for renewal (the child has turned 15), one withdrawn by e-mail. The
/// people are invented and their numbers are Skatteetaten's synthetic kind.
pub async fn seed_consents(db: &Database, content: &crate::auth::SecretBox) -> anyhow::Result<()> {
    use vern_domain::consents::{
        ConsentChannel, ConsentGiver, NewConsent, PersonInput, check_consent,
    };

    let Some(oslo) = vern_db::organizations::find_by_kommunenummer(&db.conn, "0301").await? else {
        return Ok(());
    };
    let (activities, _) = vern_db::activities::list(
        &db.conn,
        oslo.id,
        &Default::default(),
        vern_domain::pagination::Limit::parse(Some(500)).unwrap_or_default(),
        None,
    )
    .await?;
    let Some(activity) = activities
        .into_iter()
        .find(|a| a.facts.name == vern_db::seed_register::PHOTO_ACTIVITY)
    else {
        return Ok(());
    };
    let now = chrono::Utc::now();
    let number = |day, month, year, individual: u16| {
        (individual..individual + 40)
            .find_map(|i| vern_domain::person::synthetic(day, month, year, i))
            .ok_or_else(|| anyhow::anyhow!("no synthetic number"))
    };
    // (child, guardian, days ago, withdrawn days ago)
    let demo = [
        (
            (3, 5, 21, 510, "Demo Barn Nilsen"),
            (7, 7, 88, 120, "Demo Forelder Nilsen"),
            200,
            None,
        ),
        (
            (5, 3, 11, 530, "Demo Barn Lie"),
            (9, 9, 80, 140, "Demo Forelder Lie"),
            2000,
            None,
        ),
        (
            (20, 1, 22, 550, "Demo Barn Dahl"),
            (2, 2, 90, 160, "Demo Forelder Dahl"),
            90,
            Some(10),
        ),
    ];
    let txn = vern_db::connection::begin_write(db).await?;
    for ((cd, cm, cy, ci, child), (gd, gm, gy, gi, guardian), days, withdrawn) in demo {
        let child_id = number(cd, cm, cy, ci)?;
        let guardian_id = number(gd, gm, gy, gi)?;
        let input = NewConsent {
            activity_id: activity.id,
            subject: PersonInput {
                national_id: child_id.expose(),
                name: child.to_owned(),
            },
            given_by: ConsentGiver::Guardian,
            guardian: Some(PersonInput {
                national_id: guardian_id.expose(),
                name: guardian.to_owned(),
            }),
            given_at: now - chrono::Duration::days(days),
            channel: ConsentChannel::Paper,
            statement: "Samtykkeskjema for bilder i barnehagen, versjon 2026-1: bilder på \
                        avdelingens vegg og i foreldreappen."
                .to_owned(),
        };
        let checked = check_consent(&input, &activity.facts, now)
            .map_err(|e| anyhow::anyhow!("demo consent refused: {e:?}"))?;
        let row = vern_db::consents::insert(
            &txn,
            vern_db::consents::NewConsentRow {
                organization: oslo.id,
                activity_id: activity.id,
                subject_key: content.lookup_key(&child_id.expose()),
                guardian_key: Some(content.lookup_key(&guardian_id.expose())),
                parties: content.seal(&serde_json::to_string(&checked.parties)?)?,
                given_by: checked.given_by,
                given_at: checked.given_at,
                channel: checked.channel,
                statement: checked.statement,
                renewal_due_on: checked.renewal_due_on,
                recorded_by: None,
            },
            now,
        )
        .await?;
        if let Some(days) = withdrawn {
            vern_db::consents::withdraw(
                &txn,
                row.id,
                vern_db::consents::Withdrawal {
                    at: now - chrono::Duration::days(days),
                    channel: ConsentChannel::Email,
                    by: ConsentGiver::Guardian,
                    recorded_by: None,
                },
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Demo only: two incidents in Oslo's register — a lost laptop found in the morning (its
/// clock running, risk not yet assessed) and last month's unlocked archive cupboard
/// (assessed as unlikely to result in a risk, closed without a notice).
pub async fn seed_incidents(db: &Database) -> anyhow::Result<()> {
    use vern_domain::access::audit::{ActorKind, AuditDraft, Outcome};
    use vern_domain::incidents::BreachClass;
    use vern_domain::incidents::facts::{IncidentFacts, IncidentStatus, RiskLevel};

    let Some(oslo) = vern_db::organizations::find_by_kommunenummer(&db.conn, "0301").await? else {
        return Ok(());
    };
    let now = chrono::Utc::now();
    let hours = chrono::Duration::hours;
    let laptop = IncidentFacts {
        title: "Bærbar PC med elevmapper mistet på trikken".to_owned(),
        occurred_from: Some(now - hours(15)),
        occurred_to: None,
        aware_at: now - hours(14),
        discovered_how: "En lærer meldte fra til rektor neste morgen.".to_owned(),
        classes: vec![BreachClass::Confidentiality, BreachClass::Availability],
        description: "En bærbar PC med lokale kopier av elevmapper for ett trinn ble glemt på trikken. Disken er ikke bekreftet kryptert.".to_owned(),
        cause: "Lokale kopier lagret utenfor fagsystemet.".to_owned(),
        system_ids: Vec::new(),
        activity_ids: Vec::new(),
        data_categories: vec!["pd:Name".to_owned(), "pd:BirthDate".to_owned()],
        data_subjects: vec!["dpv:Student".to_owned()],
        subjects_approx: Some(54),
        records_approx: None,
        relation_to_affected: "Elever ved skolen".to_owned(),
        data_location: "Ukjent; meldt savnet til Ruter.".to_owned(),
        consequences: String::new(),
        measures_taken: "Kontoen er sperret og PC-en fjernslettes når den kobler seg til nett.".to_owned(),
        measures_planned: String::new(),
        risk: RiskLevel::NotAssessed,
        risk_reasons: String::new(),
    };
    let cupboard = IncidentFacts {
        title: "Ulåst arkivskap i servicetorget".to_owned(),
        occurred_from: Some(now - hours(24 * 30)),
        occurred_to: Some(now - hours(24 * 30 - 10)),
        aware_at: now - hours(24 * 30 - 10),
        discovered_how: "Vekteren fant skapet ulåst ved stengetid.".to_owned(),
        classes: vec![BreachClass::Confidentiality],
        description: "Et arkivskap med byggesaker stod ulåst i åpningstiden.".to_owned(),
        cause: "Nøkkelen ble ikke tatt ut etter bruk.".to_owned(),
        system_ids: Vec::new(),
        activity_ids: Vec::new(),
        data_categories: vec!["pd:Name".to_owned()],
        data_subjects: vec!["dpv:Citizen".to_owned()],
        subjects_approx: None,
        records_approx: None,
        relation_to_affected: "Søkere i byggesaker".to_owned(),
        data_location: "I skapet; ingenting mangler.".to_owned(),
        consequences: "Ingen kjente.".to_owned(),
        measures_taken: "Skapet har fått kodelås.".to_owned(),
        measures_planned: String::new(),
        risk: RiskLevel::Unlikely,
        risk_reasons: "Skapet står bak skranken; kamera viser at ingen uvedkommende var der."
            .to_owned(),
    };
    let txn = vern_db::connection::begin_write(db).await?;
    for (facts, closed) in [(cupboard, true), (laptop, false)] {
        let row = vern_db::incidents::insert(
            &txn,
            oslo.id,
            &facts,
            IncidentStatus::Open,
            None,
            None,
            now,
        )
        .await?;
        if closed {
            vern_db::incidents::set_status(&txn, &row, row.revision, IncidentStatus::Closed, now)
                .await?;
        }
        let draft = AuditDraft {
            organization_id: Some(oslo.id),
            actor_kind: ActorKind::System,
            actor_id: None,
            action: "incident.created",
            target_type: "incident",
            target_id: Some(row.id.to_string()),
            request_id: None,
            outcome: Outcome::Success,
        };
        vern_db::audit::append(&txn, draft, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Demo only: gives Oslo's school system "Skolesekk" a connector to the demo subject system
/// (`just run` starts it), so that the demo's tasks are answered automatically. The shared
/// secret lives in `secret_file`, which both read; it is made here if the demo subject
/// system has not made it yet. Runs at every start: the file may have changed.
pub async fn seed_connector(
    db: &Database,
    secrets: &crate::auth::SecretBox,
    url: &str,
    secret_file: &std::path::Path,
) -> anyhow::Result<bool> {
    use anyhow::Context as _;
    let endpoint = vern_domain::connector::check_endpoint(url)
        .map_err(|e| anyhow::anyhow!("VERN_DEMO_CONNECTOR_URL: {e}"))?;
    let Some(oslo) = vern_db::organizations::find_by_kommunenummer(&db.conn, "0301").await? else {
        return Ok(false);
    };
    let Some(school) = vern_db::register::all_systems(&db.conn, oslo.id)
        .await?
        .into_iter()
        .find(|s| s.facts.name == "Skolesekk")
    else {
        return Ok(false);
    };
    let mut secret = std::fs::read_to_string(secret_file)
        .unwrap_or_default()
        .trim()
        .to_owned();
    if secret.is_empty() {
        secret = crate::connectors::new_secret()?;
        std::fs::write(secret_file, &secret)
            .with_context(|| format!("cannot write {}", secret_file.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(secret_file, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    let sealed = secrets.seal(&secret).map_err(|e| anyhow::anyhow!("{e}"))?;
    let txn = vern_db::connection::begin_write(db).await?;
    vern_db::tasks::set_connector(
        &txn,
        oslo.id,
        school.id,
        &endpoint,
        Some(sealed),
        chrono::Utc::now(),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}
