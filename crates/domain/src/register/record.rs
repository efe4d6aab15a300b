//! The record of processing (behandlingsprotokoll) as a document: the controller, its data
//! protection officers and one entry per activity with every Art. 30(1) element spelled out
//! in words — the same content for JSON, CSV, XLSX and the printable HTML.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::activity::{Activity, ActivityStatus, DpiaStatus};
use super::product::TransferMechanism;
use super::taxonomy::{Art9Condition, LegalBasis, data_category};
use super::vocabulary::{LocalTerm, Vocabulary};

/// The language of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecordLang {
    #[default]
    Nb,
    Nn,
    En,
}

impl RecordLang {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "nb" => Some(Self::Nb),
            "nn" => Some(Self::Nn),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub const fn tag(self) -> &'static str {
        match self {
            Self::Nb => "nb",
            Self::Nn => "nn",
            Self::En => "en",
        }
    }

    pub const fn pick(self, nb: &'static str, nn: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Nb => nb,
            Self::Nn => nn,
            Self::En => en,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordController {
    pub name: String,
    pub org_number: Option<String>,
}

/// A data protection officer (personvernombud) as the record names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordContact {
    pub name: String,
    pub email: String,
}

/// A transfer outside the EU/EEA that reaches the activity through a system's product
/// (its hosting or sub-processors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductTransfer {
    pub country: String,
    pub mechanism: Option<TransferMechanism>,
    /// The product it comes through.
    pub via: String,
}

/// One activity of the record, with the names of its systems and the transfers its
/// products make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordEntry {
    pub activity: Activity,
    pub systems: Vec<String>,
    pub product_transfers: Vec<ProductTransfer>,
}

/// The whole record: `GET …/record-of-processing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordOfProcessing {
    pub controller: RecordController,
    pub privacy_officers: Vec<RecordContact>,
    pub generated_at: DateTime<Utc>,
    pub entries: Vec<RecordEntry>,
    /// The organisation's own terms (`local:` keys) the entries may use, with their labels
    /// and the shared term each narrows.
    pub own_terms: Vec<LocalTerm>,
}

/// The columns of the tabular exports, in order.
pub fn headers(lang: RecordLang) -> Vec<&'static str> {
    vec![
        lang.pick(
            "Behandlingsaktivitet",
            "Behandlingsaktivitet",
            "Processing activity",
        ),
        lang.pick("Formål", "Føremål", "Purposes"),
        lang.pick("Behandlingsgrunnlag", "Behandlingsgrunnlag", "Legal basis"),
        lang.pick(
            "Kategorier av registrerte",
            "Kategoriar av registrerte",
            "Categories of data subjects",
        ),
        lang.pick(
            "Kategorier av personopplysninger",
            "Kategoriar av personopplysningar",
            "Categories of personal data",
        ),
        lang.pick(
            "Særlige kategorier og vilkår",
            "Særlege kategoriar og vilkår",
            "Special categories and conditions",
        ),
        lang.pick("Taushetsplikt", "Teieplikt", "Duty of confidentiality"),
        lang.pick("Fødselsnummer", "Fødselsnummer", "National identity number"),
        lang.pick("Mottakere", "Mottakarar", "Recipients"),
        lang.pick(
            "Overføringer utenfor EU/EØS",
            "Overføringar utanfor EU/EØS",
            "Transfers outside the EU/EEA",
        ),
        lang.pick("Lagringstid", "Lagringstid", "Retention"),
        lang.pick("Sikkerhetstiltak", "Tryggingstiltak", "Security measures"),
        lang.pick("Systemer", "System", "Systems"),
        lang.pick(
            "Ansvarlig internt",
            "Ansvarleg internt",
            "Responsible internally",
        ),
        lang.pick("DPIA", "DPIA", "DPIA"),
        lang.pick("Status", "Status", "Status"),
        lang.pick("Neste gjennomgang", "Neste gjennomgang", "Next review"),
    ]
}

pub(crate) fn mechanism_words(m: TransferMechanism, lang: RecordLang) -> &'static str {
    match m {
        TransferMechanism::Adequacy => lang.pick(
            "tilstrekkelighetsbeslutning (art. 45)",
            "avgjerd om tilstrekkeleg vern (art. 45)",
            "adequacy decision (Art. 45)",
        ),
        TransferMechanism::StandardContractualClauses => lang.pick(
            "standard personvernbestemmelser (art. 46)",
            "standard personvernføresegner (art. 46)",
            "standard contractual clauses (Art. 46)",
        ),
        TransferMechanism::BindingCorporateRules => lang.pick(
            "bindende virksomhetsregler (art. 47)",
            "bindande verksemdsreglar (art. 47)",
            "binding corporate rules (Art. 47)",
        ),
        TransferMechanism::Derogation => lang.pick(
            "unntak (art. 49)",
            "unntak (art. 49)",
            "derogation (Art. 49)",
        ),
    }
}

fn basis_words(b: LegalBasis, lang: RecordLang) -> &'static str {
    match b {
        LegalBasis::Consent => lang.pick("samtykke", "samtykke", "consent"),
        LegalBasis::Contract => lang.pick("avtale", "avtale", "contract"),
        LegalBasis::LegalObligation => lang.pick(
            "rettslig forpliktelse",
            "rettsleg plikt",
            "legal obligation",
        ),
        LegalBasis::VitalInterests => {
            lang.pick("vitale interesser", "vitale interesser", "vital interests")
        }
        LegalBasis::PublicTask => lang.pick(
            "offentlig myndighet / allmennhetens interesse",
            "offentleg myndigheit / allmenta sine interesser",
            "public task / official authority",
        ),
        LegalBasis::LegitimateInterests => lang.pick(
            "berettiget interesse",
            "berettiga interesse",
            "legitimate interests",
        ),
    }
}

fn condition_article(c: Art9Condition) -> String {
    c.article()
}

fn dpia_words(d: DpiaStatus, lang: RecordLang) -> &'static str {
    match d {
        DpiaStatus::NotAssessed => lang.pick("ikke vurdert", "ikkje vurdert", "not assessed"),
        DpiaStatus::NotRequired => lang.pick("ikke nødvendig", "ikkje naudsynt", "not required"),
        DpiaStatus::Required => lang.pick(
            "nødvendig, ikke gjennomført",
            "naudsynt, ikkje gjennomført",
            "required, not done",
        ),
        DpiaStatus::Completed => lang.pick("gjennomført", "gjennomført", "completed"),
    }
}

fn status_words(s: ActivityStatus, lang: RecordLang) -> &'static str {
    match s {
        ActivityStatus::Draft => lang.pick("utkast", "utkast", "draft"),
        ActivityStatus::Active => lang.pick("i protokollen", "i protokollen", "in the record"),
        ActivityStatus::Discontinued => lang.pick("avsluttet", "avslutta", "discontinued"),
    }
}

pub(crate) fn category_words(key: &str, lang: RecordLang) -> String {
    data_category(key).map_or_else(
        || key.to_owned(),
        |c| lang.pick(c.nb, c.nn, c.en).to_owned(),
    )
}

/// A data or subject category, shared or the organisation's own, in words.
fn term_words(vocabulary: &Vocabulary, key: &str, lang: RecordLang) -> String {
    vocabulary.labels(key).map_or_else(
        || key.to_owned(),
        |(nb, nn, en)| match lang {
            RecordLang::Nb => nb,
            RecordLang::Nn => nn,
            RecordLang::En => en,
        },
    )
}

/// One entry as the tabular exports' cells, in the order of [`headers`]. Lists are joined
/// with "; " so that a cell reads as a sentence.
pub fn row(entry: &RecordEntry, lang: RecordLang, vocabulary: &Vocabulary) -> Vec<String> {
    let f = &entry.activity.facts;
    let join = |v: Vec<String>| v.join("; ");
    let bases = f
        .legal_bases
        .iter()
        .map(|b| {
            let mut s = format!("{} {}", b.basis.article(), basis_words(b.basis, lang));
            if !b.national_law.is_empty() {
                s.push_str(&format!(", {}", b.national_law));
            }
            s
        })
        .collect();
    let special = f
        .data_categories
        .iter()
        .filter(|c| {
            vocabulary
                .category(&c.category)
                .is_some_and(|d| d.special.is_some())
        })
        .map(|c| {
            let mut s = term_words(vocabulary, &c.category, lang);
            if let Some(condition) = c.art9_condition {
                s.push_str(&format!(": {}", condition_article(condition)));
            }
            if !c.legal_reference.is_empty() {
                s.push_str(&format!(", {}", c.legal_reference));
            }
            s
        })
        .collect();
    let retention = f
        .data_categories
        .iter()
        .filter(|c| !c.retention.is_empty())
        .map(|c| {
            format!(
                "{}: {}",
                term_words(vocabulary, &c.category, lang),
                c.retention
            )
        })
        .collect();
    let recipients = f
        .recipients
        .iter()
        .map(|r| {
            let mut s = r.name.clone();
            if r.country != "NO" {
                s.push_str(&format!(" ({})", r.country));
            }
            if !r.legal_reference.is_empty() {
                s.push_str(&format!(", {}", r.legal_reference));
            }
            s
        })
        .collect();
    let mut transfers: Vec<String> = f
        .transfers
        .iter()
        .map(|t| format!("{}: {}", t.country, mechanism_words(t.mechanism, lang)))
        .collect();
    transfers.extend(entry.product_transfers.iter().map(|t| {
        let via = lang.pick("via", "via", "through");
        match t.mechanism {
            Some(m) => format!(
                "{}: {} ({via} {})",
                t.country,
                mechanism_words(m, lang),
                t.via
            ),
            None => format!("{} ({via} {})", t.country, t.via),
        }
    }));
    vec![
        f.name.clone(),
        join(f.purposes.clone()),
        join(bases),
        join(
            f.data_subjects
                .iter()
                .map(|s| term_words(vocabulary, s, lang))
                .collect(),
        ),
        join(
            f.data_categories
                .iter()
                .map(|c| term_words(vocabulary, &c.category, lang))
                .collect(),
        ),
        join(special),
        f.confidentiality.clone(),
        f.national_id_justification.clone(),
        join(recipients),
        join(transfers),
        join(retention),
        join(f.security_measures.clone()),
        join(entry.systems.clone()),
        f.responsible.clone(),
        dpia_words(f.dpia, lang).to_owned(),
        status_words(f.status, lang).to_owned(),
        f.review_date.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;
    use crate::OrganizationId;
    use crate::register::activity::{CategoryUse, check_activity};

    fn entry() -> RecordEntry {
        let mut facts = crate::register::activity::tests::sample();
        facts.data_categories.push(CategoryUse {
            category: "pd:OfficialID".into(),
            art9_condition: None,
            legal_reference: String::new(),
            retention: String::new(),
        });
        facts.national_id_justification = "Sikker identifisering".into();
        let facts = check_activity(&facts).expect("valid");
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
        RecordEntry {
            activity: Activity {
                id: Uuid::nil(),
                organization_id: OrganizationId::from_uuid(Uuid::nil()),
                facts,
                revision: 1,
                created_at: at,
                updated_at: at,
            },
            systems: vec!["Skolesekk".into(), "Elevtorget".into()],
            product_transfers: vec![ProductTransfer {
                country: "IN".into(),
                mechanism: Some(TransferMechanism::StandardContractualClauses),
                via: "Lønnsflyt".into(),
            }],
        }
    }

    #[test]
    fn every_art30_element_is_spelled_out() {
        let cells = row(&entry(), RecordLang::Nb, &Vocabulary::default());
        assert_eq!(cells.len(), headers(RecordLang::Nb).len());
        assert_eq!(cells[0], "Elevadministrasjon");
        assert_eq!(
            cells[2],
            "Art. 6(1)(e) offentlig myndighet / allmennhetens interesse, opplæringslova § 15-1"
        );
        assert_eq!(cells[3], "Elever og studenter; Barn");
        assert_eq!(
            cells[4],
            "Navn; Helseopplysninger; Fødselsnummer eller D-nummer"
        );
        assert_eq!(
            cells[5],
            "Helseopplysninger: Art. 9(2)(g), opplæringslova § 15-1"
        );
        assert_eq!(cells[7], "Sikker identifisering");
        assert_eq!(cells[8], "Statistisk sentralbyrå, statistikkloven § 10");
        assert_eq!(
            cells[9],
            "IN: standard personvernbestemmelser (art. 46) (via Lønnsflyt)"
        );
        assert_eq!(cells[10], "Navn: Bevares (arkivlova)");
        assert_eq!(cells[12], "Skolesekk; Elevtorget");
        assert_eq!(cells[14], "gjennomført");
        assert_eq!(cells[16], "2027-01-31");
    }

    #[test]
    fn english_and_nynorsk_too() {
        let en = row(&entry(), RecordLang::En, &Vocabulary::default());
        assert_eq!(en[3], "Pupils and students; Children");
        assert_eq!(
            en[9],
            "IN: standard contractual clauses (Art. 46) (through Lønnsflyt)"
        );
        assert_eq!(headers(RecordLang::En)[0], "Processing activity");
        let nn = row(&entry(), RecordLang::Nn, &Vocabulary::default());
        assert_eq!(nn[15], "i protokollen");
        assert_eq!(headers(RecordLang::Nn)[1], "Føremål");
        assert_eq!(RecordLang::parse("nn"), Some(RecordLang::Nn));
        assert_eq!(RecordLang::parse("de"), None);
    }
}

/// One published activity as residents read it in the privacy statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementEntry {
    pub name: String,
    pub summary: String,
    pub purposes: Vec<String>,
    /// "Art. 6(1)(e) …, opplæringslova § 15-1".
    pub legal_bases: Vec<String>,
    pub data_subjects: Vec<String>,
    pub data_categories: Vec<String>,
    pub recipients: Vec<String>,
    /// Countries outside the EU/EEA the data go to.
    pub transfers: Vec<String>,
    /// "Navn: Bevares (arkivlova)".
    pub retention: Vec<String>,
}

/// A municipality's public privacy statement: its published activities in plain words and
/// whom to contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacyStatement {
    pub controller: RecordController,
    pub privacy_officers: Vec<RecordContact>,
    pub lang: RecordLang,
    pub entries: Vec<StatementEntry>,
}

/// The statement's entry for an activity, or `None` when it is not published and active.
pub fn statement_entry(
    activity: &Activity,
    lang: RecordLang,
    vocabulary: &Vocabulary,
) -> Option<StatementEntry> {
    let f = &activity.facts;
    if !f.published || f.status != ActivityStatus::Active {
        return None;
    }
    Some(StatementEntry {
        name: f.name.clone(),
        summary: f.public_summary.clone(),
        purposes: f.purposes.clone(),
        legal_bases: f
            .legal_bases
            .iter()
            .map(|b| {
                let words = format!("{} {}", b.basis.article(), basis_words(b.basis, lang));
                if b.national_law.is_empty() {
                    words
                } else {
                    format!("{words}, {}", b.national_law)
                }
            })
            .collect(),
        data_subjects: f
            .data_subjects
            .iter()
            .map(|s| term_words(vocabulary, s, lang))
            .collect(),
        data_categories: f
            .data_categories
            .iter()
            .map(|c| term_words(vocabulary, &c.category, lang))
            .collect(),
        recipients: f.recipients.iter().map(|r| r.name.clone()).collect(),
        transfers: f.transfers.iter().map(|t| t.country.clone()).collect(),
        retention: f
            .data_categories
            .iter()
            .filter(|c| !c.retention.is_empty())
            .map(|c| {
                format!(
                    "{}: {}",
                    term_words(vocabulary, &c.category, lang),
                    c.retention
                )
            })
            .collect(),
    })
}

#[cfg(test)]
mod statement_tests {
    use super::*;

    #[test]
    fn only_published_active_entries_reach_the_statement() {
        let mut e = tests_entry();
        let s = statement_entry(&e.activity, RecordLang::En, &Vocabulary::default())
            .expect("published and active");
        assert_eq!(s.data_subjects, vec!["Pupils and students", "Children"]);
        assert_eq!(s.recipients, vec!["Statistisk sentralbyrå"]);
        assert!(s.legal_bases[0].starts_with("Art. 6(1)(e) public task"));
        e.activity.facts.published = false;
        assert!(statement_entry(&e.activity, RecordLang::En, &Vocabulary::default()).is_none());
        e.activity.facts.published = true;
        e.activity.facts.status = ActivityStatus::Draft;
        assert!(statement_entry(&e.activity, RecordLang::En, &Vocabulary::default()).is_none());
    }

    fn tests_entry() -> RecordEntry {
        use chrono::TimeZone;
        let facts =
            crate::register::activity::check_activity(&crate::register::activity::tests::sample())
                .expect("valid");
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
        RecordEntry {
            activity: Activity {
                id: uuid::Uuid::nil(),
                organization_id: crate::OrganizationId::from_uuid(uuid::Uuid::nil()),
                facts,
                revision: 1,
                created_at: at,
                updated_at: at,
            },
            systems: Vec::new(),
            product_transfers: Vec::new(),
        }
    }
}
