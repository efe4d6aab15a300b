//! The demo register: made-up products from the three demo vendors and the demo
//! municipality's (Oslo's) application overview — 25 systems across school, kindergarten,
//! health and care, child welfare, HR, finance, archive and the rest of a municipality.
//! Every name is invented; every fact goes through the domain's checks like user input.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use uuid::Uuid;
use vern_domain::register::product::{
    Connector, HostingLocation, HostingRole, ProductFacts, RequestType, SubProcessor,
    TransferMechanism, check_product,
};
use vern_domain::register::system::{SystemFacts, SystemStatus, check_system};

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
            status: *status,
            integrations: if *from_catalogue && i % 3 == 0 {
                vec!["Folkeregisteret".into(), "Arkivkjernen".into()]
            } else {
                Vec::new()
            },
            review_date,
            notes: String::new(),
        };
        let checked = check_system(&input, product_id.map(|_| *name))
            .map_err(|_| DbError::InvalidRow("demo system"))?;
        insert_system(db, oslo.id, &checked, now).await?;
        created += 1;
    }
    Ok(created)
}
