//! The demo register: made-up products from the three demo vendors and the demo
//! municipality's (Oslo's) application overview — 25 systems across school, kindergarten,
//! health and care, child welfare, HR, finance, archive and the rest of a municipality.
//! Every name is invented; every fact goes through the domain's checks like user input.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use uuid::Uuid;
use vern_domain::register::activity::{
    ActivityFacts, ActivityStatus, CategoryUse, DpiaStatus, LegalBasisPair, Recipient,
    check_activity,
};
use vern_domain::register::product::{
    Connector, HostingLocation, HostingRole, ProductFacts, RequestType, SubProcessor,
    TransferMechanism, check_product,
};
use vern_domain::register::system::{SystemFacts, SystemStatus, check_system};
use vern_domain::register::taxonomy::{Art9Condition, LegalBasis, data_category};

use crate::DbError;
use crate::entities::product;
use crate::organizations;
use crate::register::{insert_product, insert_system};

struct DemoProduct {
    vendor: &'static str,
    name: &'static str,
    description: &'static str,
    categories: &'static [&'static str],
    /// Countries data are accessed from besides Norway (support).
    access_from: &'static [&'static str],
    /// (name, country, service, mechanism)
    sub_processors: &'static [(
        &'static str,
        &'static str,
        &'static str,
        Option<TransferMechanism>,
    )],
    connector: bool,
}

const FJORDLYS: &str = "Fjordlys Programvare AS";
const NORDAVIND: &str = "Nordavind Skyløsninger AS";
const ELVEBAKKEN: &str = "Elvebakken Journal AS";

const HOSTING: (&str, &str, &str, Option<TransferMechanism>) = (
    "Nordlys Drift AS",
    "NO",
    "Drift av datasenter i Norge",
    None,
);

const PRODUCTS: &[DemoProduct] = &[
    DemoProduct {
        vendor: FJORDLYS,
        name: "Skolesekk",
        description: "Læringsplattform for grunnskolen: oppgaver, vurdering og kommunikasjon mellom skole og hjem.",
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:School",
            "pd:Education",
            "pd:Contact",
            "pd:Picture",
        ],
        access_from: &["SE"],
        sub_processors: &[HOSTING, ("Svea Support AB", "SE", "Brukerstøtte", None)],
        connector: true,
    },
    DemoProduct {
        vendor: FJORDLYS,
        name: "Elevtorget",
        description: "Skoleadministrativt system: elevregister, fravær, karakterer og spesialundervisning.",
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:School",
            "pd:Education",
            "pd:Family",
            "pd:Health",
            "pd:Disability",
        ],
        access_from: &[],
        sub_processors: &[HOSTING],
        connector: true,
    },
    DemoProduct {
        vendor: FJORDLYS,
        name: "Barnehagebasen",
        description: "Opptak, oppholdsbetaling og dokumentasjon i barnehagen.",
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:Family",
            "pd:Income",
            "pd:Health",
        ],
        access_from: &[],
        sub_processors: &[HOSTING],
        connector: true,
    },
    DemoProduct {
        vendor: FJORDLYS,
        name: "Foreldrekontakt",
        description: "Meldinger og varsler mellom skole, barnehage og foresatte.",
        categories: &[
            "pd:Name",
            "pd:Contact",
            "pd:TelephoneNumber",
            "pd:Communication",
        ],
        access_from: &[],
        sub_processors: &[
            HOSTING,
            (
                "Skybrev Ltd",
                "GB",
                "Utsending av SMS og e-post",
                Some(TransferMechanism::Adequacy),
            ),
        ],
        connector: false,
    },
    DemoProduct {
        vendor: FJORDLYS,
        name: "Timeplanleggeren",
        description: "Timeplaner og romfordeling for skolen.",
        categories: &["pd:Name", "pd:School"],
        access_from: &[],
        sub_processors: &[HOSTING],
        connector: false,
    },
    DemoProduct {
        vendor: FJORDLYS,
        name: "Kulturskoleportalen",
        description: "Søknad, opptak og fakturering i kulturskolen.",
        categories: &["pd:Name", "pd:Contact", "pd:BirthDate", "pd:Financial"],
        access_from: &[],
        sub_processors: &[HOSTING],
        connector: true,
    },
    DemoProduct {
        vendor: NORDAVIND,
        name: "Lønnsflyt",
        description: "Lønn, fravær og reiseregninger for kommunalt ansatte.",
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:BankAccount",
            "pd:Salary",
            "pd:Tax",
            "pd:TradeUnionMembership",
            "pd:Health",
        ],
        access_from: &[],
        sub_processors: &[
            ("Nordavind Datasenter AS", "NO", "Drift", None),
            (
                "Kodeverk Solutions Pvt Ltd",
                "IN",
                "Tredjelinje feilretting",
                Some(TransferMechanism::StandardContractualClauses),
            ),
        ],
        connector: true,
    },
    DemoProduct {
        vendor: NORDAVIND,
        name: "Regnskapsskyen",
        description: "Regnskap, fakturering og innfordring.",
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:PhysicalAddress",
            "pd:Financial",
            "pd:BankAccount",
        ],
        access_from: &[],
        sub_processors: &[("Nordavind Datasenter AS", "NO", "Drift", None)],
        connector: true,
    },
    DemoProduct {
        vendor: NORDAVIND,
        name: "Arkivkjernen",
        description: "Sak- og arkivsystem etter Noark 5.",
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:Contact",
            "pd:Communication",
            "pd:Health",
            "pd:Criminal",
        ],
        access_from: &["DK"],
        sub_processors: &[
            ("Nordavind Datasenter AS", "NO", "Drift", None),
            ("Dansk Driftspartner ApS", "DK", "Overvåking og drift", None),
        ],
        connector: true,
    },
    DemoProduct {
        vendor: NORDAVIND,
        name: "Rekrutteringsportalen",
        description: "Utlysning, søknader og ansettelse.",
        categories: &[
            "pd:Name",
            "pd:Contact",
            "pd:Education",
            "pd:EmploymentHistory",
            "pd:Criminal",
        ],
        access_from: &[],
        sub_processors: &[
            ("Nordavind Datasenter AS", "NO", "Drift", None),
            (
                "Cloudberry Hosting Inc.",
                "US",
                "Lagring av vedlegg",
                Some(TransferMechanism::Adequacy),
            ),
        ],
        connector: false,
    },
    DemoProduct {
        vendor: NORDAVIND,
        name: "Møtebok",
        description: "Politiske møter: saksliste, protokoll og publisering.",
        categories: &["pd:Name", "pd:Contact", "pd:PoliticalOpinion"],
        access_from: &[],
        sub_processors: &[("Nordavind Datasenter AS", "NO", "Drift", None)],
        connector: false,
    },
    DemoProduct {
        vendor: NORDAVIND,
        name: "Innkjøpsportalen",
        description: "Konkurranser, kontrakter og leverandøroppfølging.",
        categories: &["pd:Name", "pd:Contact"],
        access_from: &[],
        sub_processors: &[("Nordavind Datasenter AS", "NO", "Drift", None)],
        connector: false,
    },
    DemoProduct {
        vendor: ELVEBAKKEN,
        name: "Omsorgsjournal",
        description: "Journal for hjemmetjeneste, sykehjem og helse- og omsorgstjenester.",
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:Health",
            "pd:MentalHealth",
            "pd:Prescription",
            "pd:Family",
            "pd:PhysicalAddress",
        ],
        access_from: &[],
        sub_processors: &[(
            "Elvebakken Drift AS",
            "NO",
            "Drift i sikret datasenter",
            None,
        )],
        connector: true,
    },
    DemoProduct {
        vendor: ELVEBAKKEN,
        name: "Barnevernsmappa",
        description: "Fagsystem for barneverntjenesten: meldinger, undersøkelser, tiltak og omsorg.",
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:Family",
            "pd:Health",
            "pd:MentalHealth",
            "pd:SocialStatus",
            "pd:Criminal",
            "pd:EthnicOrigin",
        ],
        access_from: &[],
        sub_processors: &[(
            "Elvebakken Drift AS",
            "NO",
            "Drift i sikret datasenter",
            None,
        )],
        connector: true,
    },
    DemoProduct {
        vendor: ELVEBAKKEN,
        name: "Helsestasjonsjournal",
        description: "Journal for helsestasjon og skolehelsetjeneste.",
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:Health",
            "pd:Family",
            "pd:BirthDate",
        ],
        access_from: &[],
        sub_processors: &[(
            "Elvebakken Drift AS",
            "NO",
            "Drift i sikret datasenter",
            None,
        )],
        connector: true,
    },
    DemoProduct {
        vendor: ELVEBAKKEN,
        name: "Sosialsak",
        description: "Saksbehandling av økonomisk sosialhjelp og kvalifiseringsprogram.",
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:Income",
            "pd:Financial",
            "pd:Household",
            "pd:SocialStatus",
            "pd:Health",
        ],
        access_from: &[],
        sub_processors: &[(
            "Elvebakken Drift AS",
            "NO",
            "Drift i sikret datasenter",
            None,
        )],
        connector: true,
    },
    DemoProduct {
        vendor: ELVEBAKKEN,
        name: "Legevaktsystemet",
        description: "Registrering og journal på legevakten.",
        categories: &["pd:Name", "pd:OfficialID", "pd:Health", "pd:Prescription"],
        access_from: &[],
        sub_processors: &[(
            "Elvebakken Drift AS",
            "NO",
            "Drift i sikret datasenter",
            None,
        )],
        connector: false,
    },
];

/// (product or own-system name, from the catalogue?, owning unit, status)
const OSLO_SYSTEMS: &[(&str, bool, &str, SystemStatus)] = &[
    ("Skolesekk", true, "Utdanningsetaten", SystemStatus::InUse),
    ("Elevtorget", true, "Utdanningsetaten", SystemStatus::InUse),
    (
        "Timeplanleggeren",
        true,
        "Utdanningsetaten",
        SystemStatus::PhasingOut,
    ),
    (
        "Foreldrekontakt",
        true,
        "Utdanningsetaten",
        SystemStatus::InUse,
    ),
    ("Barnehagebasen", true, "Barnehagene", SystemStatus::InUse),
    (
        "Kulturskoleportalen",
        true,
        "Kulturetaten",
        SystemStatus::InUse,
    ),
    (
        "Omsorgsjournal",
        true,
        "Helse og omsorg",
        SystemStatus::InUse,
    ),
    (
        "Helsestasjonsjournal",
        true,
        "Helse og omsorg",
        SystemStatus::InUse,
    ),
    (
        "Legevaktsystemet",
        true,
        "Helse og omsorg",
        SystemStatus::InUse,
    ),
    (
        "Sosialsak",
        true,
        "Sosiale tjenester (NAV kommune)",
        SystemStatus::InUse,
    ),
    (
        "Barnevernsmappa",
        true,
        "Barne- og familieetaten",
        SystemStatus::InUse,
    ),
    (
        "Lønnsflyt",
        true,
        "Personal og organisasjon",
        SystemStatus::InUse,
    ),
    (
        "Rekrutteringsportalen",
        true,
        "Personal og organisasjon",
        SystemStatus::InUse,
    ),
    ("Regnskapsskyen", true, "Økonomi", SystemStatus::InUse),
    ("Innkjøpsportalen", true, "Økonomi", SystemStatus::Planned),
    (
        "Arkivkjernen",
        true,
        "Dokumentsenteret",
        SystemStatus::InUse,
    ),
    ("Møtebok", true, "Politisk sekretariat", SystemStatus::InUse),
    (
        "Byggesaksmodulen",
        false,
        "Plan- og bygningsetaten",
        SystemStatus::InUse,
    ),
    (
        "Eiendomsskatteregisteret",
        false,
        "Økonomi",
        SystemStatus::InUse,
    ),
    (
        "Renovasjonsregisteret",
        false,
        "Renovasjon og gjenvinning",
        SystemStatus::InUse,
    ),
    (
        "Parkeringsregisteret",
        false,
        "Bymiljøetaten",
        SystemStatus::InUse,
    ),
    (
        "Bibliotekssystemet",
        false,
        "Kulturetaten",
        SystemStatus::InUse,
    ),
    (
        "Avviks- og HMS-systemet",
        false,
        "Personal og organisasjon",
        SystemStatus::InUse,
    ),
    ("Intranettet", false, "Kommunikasjon", SystemStatus::InUse),
    (
        "Gammelt fagsystem for skolehelse",
        false,
        "Helse og omsorg",
        SystemStatus::Retired,
    ),
];

fn facts(p: &DemoProduct) -> ProductFacts {
    let mut hosting = vec![
        HostingLocation {
            country: "NO".into(),
            role: HostingRole::Storage,
        },
        HostingLocation {
            country: "NO".into(),
            role: HostingRole::Processing,
        },
    ];
    for country in p.access_from {
        hosting.push(HostingLocation {
            country: (*country).into(),
            role: HostingRole::Access,
        });
    }
    ProductFacts {
        name: p.name.into(),
        description: p.description.into(),
        version: "2026.2".into(),
        hosting,
        sub_processors: p
            .sub_processors
            .iter()
            .map(|(name, country, service, mechanism)| SubProcessor {
                name: (*name).into(),
                org_number: None,
                country: (*country).into(),
                service: (*service).into(),
                transfer_mechanism: *mechanism,
            })
            .collect(),
        security_measures: vec![
            "Kryptering av data under overføring (TLS 1.2 eller nyere) og ved lagring".into(),
            "Tofaktorinnlogging for alle med tilgang til driftsmiljøet".into(),
            "Tilgangsstyring etter tjenstlig behov, med logg over oppslag".into(),
            "Daglig sikkerhetskopi med gjenopprettingstest hvert kvartal".into(),
        ],
        certifications: vec!["ISO/IEC 27001:2022".into()],
        data_categories: p.categories.iter().map(|c| (*c).into()).collect(),
        connector: p.connector.then(|| Connector {
            endpoint: format!(
                "https://connector.example.org/{}",
                p.name
                    .to_lowercase()
                    .replace(['ø', 'å', 'æ'], "o")
                    .replace(' ', "-")
            ),
            request_types: vec![
                RequestType::Access,
                RequestType::Rectification,
                RequestType::Erasure,
            ],
        }),
        published: true,
    }
}

/// Seeds the demo register once: only when there is no product yet and the demo vendors and
/// Oslo exist.
pub async fn seed_register(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    if product::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let Some(oslo) = organizations::find_by_kommunenummer(db, "0301").await? else {
        return Ok(0);
    };
    let mut created = 0;
    let mut ids: Vec<(&str, Uuid)> = Vec::new();
    for p in PRODUCTS {
        let Some(vendor) = organizations::find_by_name(db, p.vendor).await? else {
            continue;
        };
        let checked = check_product(&facts(p)).map_err(|_| DbError::InvalidRow("demo product"))?;
        let product = insert_product(db, vendor.id, &checked, None, now).await?;
        ids.push((p.name, product.id));
        created += 1;
    }
    for (i, (name, from_catalogue, unit, status)) in OSLO_SYSTEMS.iter().enumerate() {
        let product_id = if *from_catalogue {
            ids.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
        } else {
            None
        };
        if *from_catalogue && product_id.is_none() {
            continue;
        }
        // Review dates spread over the year; a few are overdue on purpose.
        let review_date = NaiveDate::from_ymd_opt(2026, 1 + (i % 12) as u32, 15)
            .map(|d| d + chrono::Months::new(if i % 5 == 0 { 0 } else { 12 }));
        let input = SystemFacts {
            product_id,
            name: if *from_catalogue {
                String::new()
            } else {
                (*name).into()
            },
            owning_unit: (*unit).into(),
            // Most run the vendor's current release; a few lag one behind.
            version: match (*from_catalogue, i % 4) {
                (false, _) => String::new(),
                (true, 1) => "2025.4".into(),
                (true, _) => "2026.2".into(),
            },
            status: *status,
            integrations: if *from_catalogue && i % 3 == 0 {
                vec!["Folkeregisteret".into(), "Arkivkjernen".into()]
            } else {
                Vec::new()
            },
            review_date,
            notes: String::new(),
            owners: Vec::new(),
        };
        let checked = check_system(&input, product_id.map(|_| *name))
            .map_err(|_| DbError::InvalidRow("demo system"))?;
        insert_system(db, oslo.id, &checked, now).await?;
        created += 1;
    }
    Ok(created)
}

/// One of Oslo's demo processing activities. Every activity rests on Art. 6(1)(e) with the
/// statute named in `law`; special categories use `condition` with the same statute.
struct DemoActivity {
    name: &'static str,
    purpose: &'static str,
    summary: &'static str,
    law: &'static str,
    subjects: &'static [&'static str],
    categories: &'static [&'static str],
    condition: Option<Art9Condition>,
    confidentiality: &'static str,
    systems: &'static [&'static str],
    responsible: &'static str,
    dpia: DpiaStatus,
    retention: &'static str,
}

const A9_PUBLIC: Option<Art9Condition> = Some(Art9Condition::SubstantialPublicInterest);
const A9_CARE: Option<Art9Condition> = Some(Art9Condition::HealthOrSocialCare);
const A9_WORK: Option<Art9Condition> = Some(Art9Condition::EmploymentSocialSecurity);

const OSLO_ACTIVITIES: &[DemoActivity] = &[
    DemoActivity {
        name: "Elevadministrasjon i grunnskolen",
        purpose: "Gi elever grunnskoleopplæring og følge opp fravær og vurdering",
        summary: "Vi registrerer elevene, fraværet og vurderingene deres for å gi opplæring.",
        law: "opplæringslova § 15-1",
        subjects: &["dpv:Student", "dpv:Child", "dpv:ParentOfDataSubject"],
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:Contact",
            "pd:School",
            "pd:Family",
        ],
        condition: None,
        confidentiality: "forvaltningsloven § 13",
        systems: &["Skolesekk", "Elevtorget", "Foreldrekontakt"],
        responsible: "Direktør, Utdanningsetaten",
        dpia: DpiaStatus::Completed,
        retention: "Bevares etter arkivlova",
    },
    DemoActivity {
        name: "Spesialundervisning",
        purpose: "Vurdere og gi spesialundervisning etter sakkyndig vurdering",
        summary: "Når et barn trenger spesialundervisning, behandler vi opplysninger om behovet og tiltakene.",
        law: "opplæringslova § 11-6",
        subjects: &["dpv:Student", "dpv:Child", "dpv:ParentOfDataSubject"],
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:School",
            "pd:Health",
            "pd:Disability",
        ],
        condition: A9_PUBLIC,
        confidentiality: "forvaltningsloven § 13",
        systems: &["Skolesekk"],
        responsible: "Direktør, Utdanningsetaten",
        dpia: DpiaStatus::Completed,
        retention: "Bevares etter arkivlova",
    },
    DemoActivity {
        name: "Timeplan og romplanlegging",
        purpose: "Lage timeplaner for elever og lærere",
        summary: "Vi bruker navn og klasse for å lage timeplaner.",
        law: "opplæringslova § 15-1",
        subjects: &["dpv:Student", "dpv:Employee"],
        categories: &["pd:Name", "pd:School"],
        condition: None,
        confidentiality: "",
        systems: &["Timeplanleggeren"],
        responsible: "Direktør, Utdanningsetaten",
        dpia: DpiaStatus::NotRequired,
        retention: "Slettes ett år etter skoleårets slutt",
    },
    DemoActivity {
        name: "Barnehageopptak og -drift",
        purpose: "Tildele barnehageplass og følge opp barnet i barnehagen",
        summary: "Vi behandler opplysninger om barnet og foreldrene for å tildele plass og gi et godt barnehagetilbud.",
        law: "barnehageloven § 16",
        subjects: &["dpv:Child", "dpv:ParentOfDataSubject"],
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:Contact",
            "pd:Family",
            "pd:Health",
        ],
        condition: A9_PUBLIC,
        confidentiality: "forvaltningsloven § 13",
        systems: &["Barnehagebasen"],
        responsible: "Direktør, Barnehageetaten",
        dpia: DpiaStatus::Completed,
        retention: "Bevares etter arkivlova",
    },
    DemoActivity {
        name: "Kulturskole",
        purpose: "Ta opp elever og fakturere kulturskoleplass",
        summary: "Vi behandler opplysninger om elever og betalere i kulturskolen.",
        law: "opplæringslova § 26-1",
        subjects: &["dpv:Student", "dpv:Child", "dpv:ParentOfDataSubject"],
        categories: &["pd:Name", "pd:Contact", "pd:Financial"],
        condition: None,
        confidentiality: "",
        systems: &["Kulturskoleportalen"],
        responsible: "Direktør, Kulturetaten",
        dpia: DpiaStatus::NotRequired,
        retention: "Fem år etter avsluttet plass",
    },
    DemoActivity {
        name: "Hjemmetjenester og sykehjem",
        purpose: "Yte helse- og omsorgstjenester og dokumentere dem",
        summary: "Vi fører journal over helsehjelpen vi gir i hjemmet og på sykehjem.",
        law: "helse- og omsorgstjenesteloven § 3-1",
        subjects: &["dpv:Patient", "dpv:ElderlyDataSubject"],
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:PhysicalAddress",
            "pd:Health",
            "pd:Prescription",
        ],
        condition: A9_CARE,
        confidentiality: "helsepersonelloven § 21",
        systems: &["Omsorgsjournal"],
        responsible: "Direktør, Helseetaten",
        dpia: DpiaStatus::Completed,
        retention: "Etter pasientjournalforskriften",
    },
    DemoActivity {
        name: "Helsestasjon og skolehelsetjeneste",
        purpose: "Følge opp barns helse og utvikling",
        summary: "Helsestasjonen og skolehelsetjenesten dokumenterer konsultasjoner og vaksiner.",
        law: "helse- og omsorgstjenesteloven § 3-2",
        subjects: &["dpv:Child", "dpv:Patient", "dpv:ParentOfDataSubject"],
        categories: &["pd:Name", "pd:OfficialID", "pd:Health", "pd:Family"],
        condition: A9_CARE,
        confidentiality: "helsepersonelloven § 21",
        systems: &["Helsestasjonsjournal", "Gammelt fagsystem for skolehelse"],
        responsible: "Direktør, Helseetaten",
        dpia: DpiaStatus::Completed,
        retention: "Etter pasientjournalforskriften",
    },
    DemoActivity {
        name: "Legevakt",
        purpose: "Gi øyeblikkelig hjelp og dokumentere den",
        summary: "Legevakten fører journal over hjelpen den gir.",
        law: "helse- og omsorgstjenesteloven § 3-5",
        subjects: &["dpv:Patient"],
        categories: &["pd:Name", "pd:OfficialID", "pd:Health", "pd:MentalHealth"],
        condition: A9_CARE,
        confidentiality: "helsepersonelloven § 21",
        systems: &["Legevaktsystemet"],
        responsible: "Direktør, Helseetaten",
        dpia: DpiaStatus::Required,
        retention: "Etter pasientjournalforskriften",
    },
    DemoActivity {
        name: "Økonomisk sosialhjelp",
        purpose: "Behandle søknader om økonomisk stønad",
        summary: "Vi behandler opplysninger om økonomi og livssituasjon når du søker om sosialhjelp.",
        law: "sosialtjenesteloven § 18",
        subjects: &["dpv:Client", "dpv:Applicant"],
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:Financial",
            "pd:Income",
            "pd:Household",
            "pd:Health",
        ],
        condition: A9_CARE,
        confidentiality: "sosialtjenesteloven § 44",
        systems: &["Sosialsak"],
        responsible: "Direktør, Velferdsetaten",
        dpia: DpiaStatus::Completed,
        retention: "Bevares etter arkivlova",
    },
    DemoActivity {
        name: "Barnevernstjenester",
        purpose: "Undersøke bekymringsmeldinger og gi hjelpetiltak",
        summary: "Barnevernet behandler opplysninger om barn og familier for å sikre barn god omsorg.",
        law: "barnevernsloven § 2-1",
        subjects: &["dpv:Child", "dpv:ParentOfDataSubject", "dpv:Client"],
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:Family",
            "pd:Health",
            "pd:MentalHealth",
        ],
        condition: A9_PUBLIC,
        confidentiality: "barnevernsloven § 13-1",
        systems: &["Barnevernsmappa"],
        responsible: "Direktør, Barne- og familieetaten",
        dpia: DpiaStatus::Completed,
        retention: "Bevares etter arkivlova",
    },
    DemoActivity {
        name: "Lønn og personal",
        purpose: "Utbetale lønn og følge opp arbeidsforholdet",
        summary: "Vi behandler opplysninger om ansatte for å utbetale lønn og følge opp sykefravær.",
        law: "arbeidsmiljøloven § 4-6",
        subjects: &["dpv:Employee"],
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:BankAccount",
            "pd:Salary",
            "pd:Tax",
            "pd:Health",
            "pd:TradeUnionMembership",
        ],
        condition: A9_WORK,
        confidentiality: "forvaltningsloven § 13",
        systems: &["Lønnsflyt"],
        responsible: "Direktør, Personal og organisasjon",
        dpia: DpiaStatus::Completed,
        retention: "Fem år etter regnskapsårets slutt (bokføringsloven)",
    },
    DemoActivity {
        name: "Rekruttering",
        purpose: "Vurdere søkere til ledige stillinger",
        summary: "Når du søker jobb hos oss, behandler vi søknaden og CV-en din.",
        law: "forvaltningsloven § 2",
        subjects: &["dpv:JobApplicant"],
        categories: &[
            "pd:Name",
            "pd:Contact",
            "pd:Education",
            "pd:EmploymentHistory",
        ],
        condition: None,
        confidentiality: "",
        systems: &["Rekrutteringsportalen"],
        responsible: "Direktør, Personal og organisasjon",
        dpia: DpiaStatus::NotRequired,
        retention: "Slettes seks måneder etter ansettelse",
    },
    DemoActivity {
        name: "Byggesaksbehandling",
        purpose: "Behandle søknader om tillatelse til tiltak",
        summary: "Vi behandler opplysninger om søkere og naboer i byggesaker.",
        law: "plan- og bygningsloven § 20-1",
        subjects: &["dpv:Applicant", "dpv:Citizen"],
        categories: &["pd:Name", "pd:Contact", "pd:PhysicalAddress"],
        condition: None,
        confidentiality: "",
        systems: &["Byggesaksmodulen", "Arkivkjernen"],
        responsible: "Direktør, Plan- og bygningsetaten",
        dpia: DpiaStatus::NotRequired,
        retention: "Bevares etter arkivlova",
    },
    DemoActivity {
        name: "Eiendomsskatt",
        purpose: "Skrive ut og kreve inn eiendomsskatt",
        summary: "Vi behandler opplysninger om eiere av eiendom for å skrive ut eiendomsskatt.",
        law: "eigedomsskattelova § 3",
        subjects: &["dpv:Citizen", "dpv:Customer"],
        categories: &[
            "pd:Name",
            "pd:OfficialID",
            "pd:PhysicalAddress",
            "pd:Financial",
        ],
        condition: None,
        confidentiality: "",
        systems: &["Eiendomsskatteregisteret", "Regnskapsskyen"],
        responsible: "Direktør, Eiendoms- og byfornyelsesetaten",
        dpia: DpiaStatus::NotRequired,
        retention: "Ti år",
    },
    DemoActivity {
        name: "Politiske møter og saksdokumenter",
        purpose: "Forberede og dokumentere politiske møter",
        summary: "Vi publiserer møtebøker og behandler opplysninger om folkevalgte.",
        law: "kommuneloven § 11-2",
        subjects: &["dpv:Member", "dpv:Citizen"],
        categories: &["pd:Name", "pd:Contact", "pd:PoliticalOpinion"],
        condition: A9_PUBLIC,
        confidentiality: "",
        systems: &["Møtebok", "Arkivkjernen"],
        responsible: "Kommunedirektøren",
        dpia: DpiaStatus::NotAssessed,
        retention: "Bevares etter arkivlova",
    },
];

fn activity_facts(a: &DemoActivity, systems: Vec<Uuid>, i: usize) -> ActivityFacts {
    ActivityFacts {
        name: a.name.into(),
        purposes: vec![a.purpose.into()],
        public_summary: a.summary.into(),
        legal_bases: vec![LegalBasisPair {
            basis: LegalBasis::PublicTask,
            national_law: a.law.into(),
        }],
        public_task: true,
        data_subjects: a.subjects.iter().map(|s| (*s).into()).collect(),
        data_categories: a
            .categories
            .iter()
            .map(|c| {
                let special = data_category(c).is_some_and(|d| d.special.is_some());
                CategoryUse {
                    category: (*c).into(),
                    art9_condition: if special { a.condition } else { None },
                    legal_reference: if special { a.law.into() } else { String::new() },
                    retention: a.retention.into(),
                }
            })
            .collect(),
        confidentiality: a.confidentiality.into(),
        national_id_justification: if a.categories.contains(&"pd:OfficialID") {
            "Sikker identifisering av personen i saken og oppslag i Folkeregisteret".into()
        } else {
            String::new()
        },
        protected_addresses: a.categories.contains(&"pd:OfficialID"),
        vulnerable_subjects: false,
        recipients: if a.categories.contains(&"pd:Tax") {
            vec![Recipient {
                name: "Skatteetaten".into(),
                country: "NO".into(),
                legal_reference: "skatteforvaltningsloven § 7-2".into(),
            }]
        } else {
            Vec::new()
        },
        transfers: Vec::new(),
        sources: if a.categories.contains(&"pd:OfficialID") {
            vec!["Folkeregisteret".into()]
        } else {
            Vec::new()
        },
        automated_decisions: if a.name == "Eiendomsskatt" {
            "Skatten beregnes automatisk ut fra eiendommens takst og kommunens skattesats. \
             Vedtaket kan påklages."
                .into()
        } else {
            String::new()
        },
        security_measures: vec![
            "Tilgangsstyring etter tjenstlig behov".into(),
            "Logging av oppslag".into(),
        ],
        dpia: a.dpia,
        responsible: a.responsible.into(),
        system_ids: systems,
        status: ActivityStatus::Active,
        // A few are overdue for review, as in any real record.
        review_date: NaiveDate::from_ymd_opt(2026, 1 + (i % 12) as u32, 1)
            .map(|d| d + chrono::Months::new(if i.is_multiple_of(4) { 0 } else { 12 })),
        published: true,
        consent_age: None,
    }
}

/// Seeds Oslo's record of processing once (when it has no activity), linking each entry to
/// the demo systems by name.
pub async fn seed_activities(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    use crate::entities::processing_activity;
    if processing_activity::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let Some(oslo) = organizations::find_by_kommunenummer(db, "0301").await? else {
        return Ok(0);
    };
    let (systems, _) = crate::register::list_systems(
        db,
        oslo.id,
        &Default::default(),
        vern_domain::pagination::Limit::parse(Some(500)).unwrap_or_default(),
        None,
    )
    .await?;
    let mut created = 0;
    for (i, a) in OSLO_ACTIVITIES.iter().enumerate() {
        let ids = a
            .systems
            .iter()
            .filter_map(|name| systems.iter().find(|s| s.facts.name == *name).map(|s| s.id))
            .collect();
        let checked = check_activity(&activity_facts(a, ids, i))
            .map_err(|_| DbError::InvalidRow("demo activity"))?;
        crate::activities::insert(db, oslo.id, &checked, &Default::default(), now).await?;
        created += 1;
    }
    let photos = systems
        .iter()
        .filter(|s| s.facts.name == "Foreldrekontakt")
        .map(|s| s.id)
        .collect();
    let checked = check_activity(&photo_activity(photos))
        .map_err(|_| DbError::InvalidRow("demo activity"))?;
    crate::activities::insert(db, oslo.id, &checked, &Default::default(), now).await?;
    Ok(created + 1)
}

/// The name of Oslo's demo activity based on consent.
pub const PHOTO_ACTIVITY: &str = "Bilder fra barnehagen til foreldrene";

/// Oslo's one demo activity based on consent: photos of children shared with their parents.
/// Guardians consent for children under 15 (the default age for own consent).
fn photo_activity(systems: Vec<Uuid>) -> ActivityFacts {
    ActivityFacts {
        name: PHOTO_ACTIVITY.into(),
        purposes: vec!["Vise foreldrene hverdagen i barnehagen med bilder".into()],
        public_summary:
            "Med samtykke fra foresatte tar vi bilder av barna i hverdagen og deler dem \
                         med foreldrene på avdelingen. Samtykket kan trekkes tilbake når som helst."
                .into(),
        legal_bases: vec![LegalBasisPair {
            basis: LegalBasis::Consent,
            national_law: String::new(),
        }],
        public_task: false,
        data_subjects: vec!["dpv:Child".into(), "dpv:ParentOfDataSubject".into()],
        data_categories: vec![
            CategoryUse {
                category: "pd:Name".into(),
                art9_condition: None,
                legal_reference: String::new(),
                retention: "Slettes når barnet slutter i barnehagen".into(),
            },
            CategoryUse {
                category: "pd:Picture".into(),
                art9_condition: None,
                legal_reference: String::new(),
                retention: "Slettes når barnet slutter i barnehagen".into(),
            },
        ],
        confidentiality: String::new(),
        national_id_justification: String::new(),
        protected_addresses: false,
        vulnerable_subjects: false,
        recipients: Vec::new(),
        transfers: Vec::new(),
        sources: Vec::new(),
        automated_decisions: String::new(),
        security_measures: vec![
            "Bildene deles bare med foreldrene på avdelingen".into(),
            "Barn med fortrolig adresse fotograferes ikke".into(),
        ],
        dpia: DpiaStatus::NotRequired,
        responsible: "Styrer, Solsikken barnehage".into(),
        system_ids: systems,
        status: ActivityStatus::Active,
        review_date: NaiveDate::from_ymd_opt(2027, 8, 1),
        published: true,
        consent_age: None,
    }
}

/// A vendor's change for the demo to show: Nordavind brings in a security-monitoring
/// sub-processor in the United States for Lønnsflyt, which opens review items on Oslo's
/// payroll system and the activities built on it. Once, on a register still at its first
/// revisions.
pub async fn seed_vendor_change(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    if crate::entities::review_item::Entity::find()
        .count(db)
        .await?
        > 0
    {
        return Ok(0);
    }
    let Some(row) = product::Entity::find()
        .filter(product::Column::Name.eq("Lønnsflyt"))
        .filter(product::Column::Revision.eq(1))
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let Some(before) = crate::register::find_product(db, row.id).await? else {
        return Ok(0);
    };
    let mut facts = before.facts.clone();
    facts.sub_processors.push(SubProcessor {
        name: "Skyvakt Security Inc.".into(),
        org_number: None,
        country: "US".into(),
        service: "Sikkerhetsovervåking av driftsmiljøet".into(),
        transfer_mechanism: Some(TransferMechanism::StandardContractualClauses),
    });
    let facts = check_product(&facts).map_err(|_| DbError::InvalidRow("demo change"))?;
    let Some(after) =
        crate::register::update_product(db, row.id, before.revision, &facts, None, now).await?
    else {
        return Ok(0);
    };
    let folded = crate::reviews::fold_product_change(
        db,
        row.id,
        (&before.facts, before.revision),
        (&after.facts, after.revision),
        now,
    )
    .await?;
    Ok(folded.len())
}

/// Bergen's application overview (a smaller one than Oslo's, partly on the same products,
/// some at other versions): (product or own system, from the catalogue, unit, status,
/// version).
const BERGEN_SYSTEMS: &[(&str, bool, &str, SystemStatus, &str)] = &[
    (
        "Skolesekk",
        true,
        "Etat for skole",
        SystemStatus::InUse,
        "2025.3",
    ),
    (
        "Foreldrekontakt",
        true,
        "Etat for skole",
        SystemStatus::InUse,
        "2026.2",
    ),
    (
        "Barnehagebasen",
        true,
        "Etat for barnehage",
        SystemStatus::InUse,
        "2026.2",
    ),
    (
        "Omsorgsjournal",
        true,
        "Etat for hjemmebaserte tjenester",
        SystemStatus::InUse,
        "2026.1",
    ),
    (
        "Helsestasjonsjournal",
        true,
        "Etat for helsetjenester",
        SystemStatus::InUse,
        "2026.2",
    ),
    (
        "Lønnsflyt",
        true,
        "Etat for personal",
        SystemStatus::InUse,
        "2026.2",
    ),
    (
        "Regnskapsskyen",
        true,
        "Etat for økonomi",
        SystemStatus::PhasingOut,
        "2024.2",
    ),
    (
        "Arkivkjernen",
        true,
        "Byarkivet",
        SystemStatus::InUse,
        "2026.2",
    ),
    (
        "Møtebok",
        true,
        "Byrådsavdelingen",
        SystemStatus::InUse,
        "2026.2",
    ),
    (
        "Bibliotekssystemet",
        false,
        "Bergen Offentlige Bibliotek",
        SystemStatus::InUse,
        "",
    ),
    (
        "Havneregisteret",
        false,
        "Bergen og Omland Havn",
        SystemStatus::InUse,
        "",
    ),
    (
        "Bybanens kundeservice",
        false,
        "Etat for infrastruktur",
        SystemStatus::Planned,
        "",
    ),
];

/// Oslo's activities that Oslo shares as templates, with its word to those who copy them.
const OSLO_TEMPLATES: &[(&str, &str)] = &[
    (
        "Elevadministrasjon i grunnskolen",
        "Dekker grunnskolen. Tilpass oppbevaringstidene til arkivplanen deres.",
    ),
    (
        "Barnehageopptak og -drift",
        "Samordnet opptak og drift av kommunale barnehager.",
    ),
    (
        "Helsestasjon og skolehelsetjeneste",
        "DPIA er gjennomført hos oss; dere må gjøre deres egen.",
    ),
    ("Lønn og personal", ""),
    ("Politiske møter og saksdokumenter", ""),
];

/// Seeds a second municipality for reuse and comparison: Bergen's overview, both Oslo and
/// Bergen showing their overviews to other municipalities, and Oslo sharing some of its
/// processing activities as templates. Once, when Bergen has no system yet.
pub async fn seed_reuse(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<usize, DbError> {
    use crate::templates::Sharing;
    use sea_orm::{ColumnTrait, QueryFilter};
    let (Some(oslo), Some(bergen)) = (
        organizations::find_by_kommunenummer(db, "0301").await?,
        organizations::find_by_kommunenummer(db, "4601").await?,
    ) else {
        return Ok(0);
    };
    let has_systems = crate::entities::system::Entity::find()
        .filter(crate::entities::system::Column::OrganizationId.eq(bergen.id.into_uuid()))
        .count(db)
        .await?
        > 0;
    if has_systems || product::Entity::find().count(db).await? == 0 {
        return Ok(0);
    }
    let mut created = 0;
    for (i, (name, from_catalogue, unit, status, version)) in BERGEN_SYSTEMS.iter().enumerate() {
        let product_id = if *from_catalogue {
            let Some(row) = product::Entity::find()
                .filter(product::Column::Name.eq(*name))
                .one(db)
                .await?
            else {
                continue;
            };
            Some(row.id)
        } else {
            None
        };
        let input = SystemFacts {
            product_id,
            name: if *from_catalogue {
                String::new()
            } else {
                (*name).into()
            },
            owning_unit: (*unit).into(),
            version: (*version).into(),
            status: *status,
            integrations: Vec::new(),
            review_date: NaiveDate::from_ymd_opt(2027, 1 + (i % 12) as u32, 1),
            notes: String::new(),
            owners: Vec::new(),
        };
        let checked = check_system(&input, product_id.map(|_| *name))
            .map_err(|_| DbError::InvalidRow("demo system"))?;
        insert_system(db, bergen.id, &checked, now).await?;
        created += 1;
    }
    crate::templates::set_sharing(db, oslo.id, Sharing::Overview, true, now).await?;
    crate::templates::set_sharing(db, bergen.id, Sharing::Overview, true, now).await?;
    // Oslo also lets its vendors see how it uses their products; Bergen does not.
    crate::templates::set_sharing(db, oslo.id, Sharing::UsageWithVendors, true, now).await?;
    let (activities, _) = crate::activities::list(
        db,
        oslo.id,
        &Default::default(),
        vern_domain::pagination::Limit::parse(Some(500)).unwrap_or_default(),
        None,
    )
    .await?;
    for (name, note) in OSLO_TEMPLATES {
        let Some(a) = activities.iter().find(|a| a.facts.name == *name) else {
            continue;
        };
        let Ok(facts) = vern_domain::register::template::template_facts(&a.facts) else {
            continue;
        };
        let products =
            crate::templates::products_of_systems(db, oslo.id, &a.facts.system_ids).await?;
        crate::templates::publish(
            db,
            oslo.id,
            crate::templates::Publication {
                activity_id: a.id,
                activity_revision: a.revision,
                note,
                facts: &facts,
                products: &products,
                dpia: None,
            },
            now,
        )
        .await?;
        created += 1;
    }
    Ok(created)
}
