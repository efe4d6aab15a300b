//! What an incident's facts become on paper: the report to Datatilsynet (the fields its
//! breach form asks for, in its order), the plain-language notice to residents (Art. 34(2)),
//! and a row of the internal register (Art. 33(5)). Texts are Vern's own, in nb, nn and en.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Oslo;
use serde::{Deserialize, Serialize};

use super::facts::{IncidentFacts, IncidentStatus, ResidentNoticeDecision, RiskLevel};
use super::{BreachClass, NoticePhase, ResidentNoticeException};
use crate::register::record::RecordLang;
use crate::register::vocabulary::Vocabulary;

/// One field of the report: a stable key, its label in the report's language, the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportField {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// The content of a notice to Datatilsynet, field by field, to be copied into the form in
/// Altinn (or sent as it is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorityReport {
    pub lang: RecordLang,
    pub fields: Vec<ReportField>,
}

/// The plain-language notice to the residents affected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentLetter {
    pub lang: RecordLang,
    pub subject: String,
    pub body: String,
}

/// Both texts at once, for the incident page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentTexts {
    /// The next notice's phase (`None` once the final one is given or nothing is to be notified).
    pub next_phase: Option<NoticePhase>,
    pub authority: AuthorityReport,
    pub residents: ResidentLetter,
}

/// What the report needs besides the facts: who the controller is and who to contact, and
/// the names of the linked systems and activities.
#[derive(Debug, Clone, Copy)]
pub struct ReportContext<'a> {
    pub controller: &'a str,
    pub org_number: Option<&'a str>,
    /// The data protection officer or other contact point: name, e-mail, phone.
    pub contact: &'a str,
    pub systems: &'a [String],
    pub activities: &'a [String],
    pub vocabulary: &'a Vocabulary,
}

/// A moment as Norwegians read it: the Oslo wall clock.
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Oslo).format("%d.%m.%Y %H:%M").to_string()
}

pub fn class_label(class: BreachClass, lang: RecordLang) -> &'static str {
    match class {
        BreachClass::Confidentiality => lang.pick(
            "Brudd på konfidensialitet",
            "Brot på konfidensialitet",
            "Confidentiality breach",
        ),
        BreachClass::Integrity => lang.pick(
            "Brudd på integritet",
            "Brot på integritet",
            "Integrity breach",
        ),
        BreachClass::Availability => lang.pick(
            "Brudd på tilgjengelighet",
            "Brot på tilgjenge",
            "Availability breach",
        ),
    }
}

pub fn risk_label(risk: RiskLevel, lang: RecordLang) -> &'static str {
    match risk {
        RiskLevel::NotAssessed => lang.pick("Ikke vurdert", "Ikkje vurdert", "Not assessed"),
        RiskLevel::Unlikely => lang.pick(
            "Lite sannsynlig at det medfører risiko",
            "Lite sannsynleg at det fører til risiko",
            "Unlikely to result in a risk",
        ),
        RiskLevel::Risk => lang.pick("Risiko", "Risiko", "Risk"),
        RiskLevel::High => lang.pick("Høy risiko", "Høg risiko", "High risk"),
    }
}

pub fn phase_label(phase: NoticePhase, lang: RecordLang) -> &'static str {
    match phase {
        NoticePhase::Initial => lang.pick("Første melding", "Første melding", "Initial notice"),
        NoticePhase::Supplement => {
            lang.pick("Supplerende melding", "Supplerande melding", "Supplement")
        }
        NoticePhase::Final => lang.pick("Endelig melding", "Endeleg melding", "Final notice"),
    }
}

pub fn exception_label(exception: ResidentNoticeException, lang: RecordLang) -> &'static str {
    match exception {
        ResidentNoticeException::Unintelligible => lang.pick(
            "Opplysningene var uleselige for andre (kryptert)",
            "Opplysningane var uleselege for andre (kryptert)",
            "The data were unintelligible to others (encrypted)",
        ),
        ResidentNoticeException::RiskNoLongerLikely => lang.pick(
            "Tiltak gjør at den høye risikoen ikke lenger er sannsynlig",
            "Tiltak gjer at den høge risikoen ikkje lenger er sannsynleg",
            "Measures taken mean the high risk is no longer likely",
        ),
        ResidentNoticeException::PublicNoticeInstead => lang.pick(
            "Uforholdsmessig innsats: offentlig kunngjøring i stedet",
            "Uforholdsmessig innsats: offentleg kunngjering i staden",
            "Disproportionate effort: a public notice instead",
        ),
    }
}

pub fn status_label(status: IncidentStatus, lang: RecordLang) -> &'static str {
    match status {
        IncidentStatus::Draft => lang.pick("Utkast", "Utkast", "Draft"),
        IncidentStatus::Open => lang.pick("Åpen", "Open", "Open"),
        IncidentStatus::Closed => lang.pick("Lukket", "Lukka", "Closed"),
    }
}

fn term_labels(keys: &[String], vocabulary: &Vocabulary, lang: RecordLang) -> String {
    keys.iter()
        .map(|k| {
            vocabulary.labels(k).map_or_else(
                || k.clone(),
                |(nb, nn, en)| match lang {
                    RecordLang::Nb => nb,
                    RecordLang::Nn => nn,
                    RecordLang::En => en,
                },
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown(lang: RecordLang) -> String {
    lang.pick("Ikke kjent", "Ikkje kjend", "Not known")
        .to_owned()
}

fn or_unknown(value: &str, lang: RecordLang) -> String {
    if value.trim().is_empty() {
        unknown(lang)
    } else {
        value.to_owned()
    }
}

fn approx(n: Option<u64>, lang: RecordLang) -> String {
    n.map_or_else(|| unknown(lang), |n| format!("ca. {n}"))
}

fn period(facts: &IncidentFacts, lang: RecordLang) -> String {
    match (facts.occurred_from, facts.occurred_to) {
        (Some(from), Some(to)) if from == to => local_time(from),
        (Some(from), Some(to)) => format!("{} – {}", local_time(from), local_time(to)),
        (Some(from), None) => format!(
            "{} – {}",
            local_time(from),
            lang.pick(
                "pågår eller ukjent slutt",
                "pågår eller ukjend slutt",
                "ongoing or end not known"
            )
        ),
        (None, Some(to)) => format!("– {}", local_time(to)),
        (None, None) => unknown(lang),
    }
}

fn told(resident: Option<&ResidentNoticeDecision>, risk: RiskLevel, lang: RecordLang) -> String {
    match resident {
        Some(ResidentNoticeDecision::Sent {
            sent_at,
            channel,
            recipients,
        }) => {
            let count = recipients.map_or(String::new(), |n| format!(", {n}"));
            format!(
                "{} {} ({channel}{count})",
                lang.pick("Ja,", "Ja,", "Yes,"),
                local_time(*sent_at)
            )
        }
        Some(ResidentNoticeDecision::NotSent {
            exception,
            explanation,
        }) => format!(
            "{} {}: {explanation}",
            lang.pick("Nei.", "Nei.", "No."),
            exception_label(*exception, lang)
        ),
        None if risk.resident_notice_required() => {
            lang.pick("Ikke ennå", "Ikkje enno", "Not yet").to_owned()
        }
        None => lang
            .pick(
                "Nei, risikoen er ikke vurdert som høy",
                "Nei, risikoen er ikkje vurdert som høg",
                "No, the risk is not assessed as high",
            )
            .to_owned(),
    }
}

/// The report to Datatilsynet: the fields of its breach form, in its order.
pub fn authority_report(
    facts: &IncidentFacts,
    phase: Option<NoticePhase>,
    late_reason: Option<&str>,
    resident: Option<&ResidentNoticeDecision>,
    ctx: &ReportContext<'_>,
    lang: RecordLang,
) -> AuthorityReport {
    let l = |nb, nn, en| lang.pick(nb, nn, en).to_owned();
    let mut fields: Vec<(&str, String, String)> = Vec::new();
    let controller = match ctx.org_number {
        Some(n) => format!(
            "{} ({} {n})",
            ctx.controller,
            lang.pick("org.nr.", "org.nr.", "org. no.")
        ),
        None => ctx.controller.to_owned(),
    };
    fields.push((
        "controller",
        l("Behandlingsansvarlig", "Behandlingsansvarleg", "Controller"),
        controller,
    ));
    fields.push((
        "contact",
        l("Kontaktpunkt", "Kontaktpunkt", "Contact point"),
        or_unknown(ctx.contact, lang),
    ));
    if let Some(phase) = phase {
        fields.push((
            "phase",
            l("Type melding", "Type melding", "Kind of notice"),
            phase_label(phase, lang).to_owned(),
        ));
    }
    fields.push((
        "period",
        l(
            "Når skjedde bruddet",
            "Når skjedde brotet",
            "When the breach occurred",
        ),
        period(facts, lang),
    ));
    fields.push((
        "aware_at",
        l(
            "Når ble bruddet oppdaget",
            "Når vart brotet oppdaga",
            "When the breach was discovered",
        ),
        local_time(facts.aware_at),
    ));
    fields.push((
        "discovered_how",
        l(
            "Hvordan ble bruddet oppdaget",
            "Korleis vart brotet oppdaga",
            "How it was discovered",
        ),
        or_unknown(&facts.discovered_how, lang),
    ));
    if let Some(reason) = late_reason {
        fields.push((
            "late_reason",
            l(
                "Grunn til at meldingen kommer etter 72 timer",
                "Grunn til at meldinga kjem etter 72 timar",
                "Why the notice comes after 72 hours",
            ),
            reason.to_owned(),
        ));
    }
    fields.push((
        "classes",
        l("Type brudd", "Type brot", "Kind of breach"),
        facts
            .classes
            .iter()
            .map(|c| class_label(*c, lang))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    fields.push((
        "description",
        l(
            "Hva skjedde, og hvordan",
            "Kva skjedde, og korleis",
            "What happened, and how",
        ),
        facts.description.clone(),
    ));
    fields.push((
        "cause",
        l("Årsak", "Årsak", "Cause"),
        or_unknown(&facts.cause, lang),
    ));
    fields.push((
        "systems",
        l(
            "Systemer og behandlinger som er berørt",
            "System og behandlingar som er råka",
            "Systems and processing involved",
        ),
        {
            let all: Vec<String> = ctx.systems.iter().chain(ctx.activities).cloned().collect();
            if all.is_empty() {
                unknown(lang)
            } else {
                all.join(", ")
            }
        },
    ));
    fields.push((
        "data_categories",
        l(
            "Typer personopplysninger",
            "Typar personopplysningar",
            "Kinds of personal data",
        ),
        or_unknown(
            &term_labels(&facts.data_categories, ctx.vocabulary, lang),
            lang,
        ),
    ));
    fields.push((
        "data_subjects",
        l(
            "Kategorier av registrerte",
            "Kategoriar av registrerte",
            "Categories of data subjects",
        ),
        or_unknown(
            &term_labels(&facts.data_subjects, ctx.vocabulary, lang),
            lang,
        ),
    ));
    fields.push((
        "subjects_approx",
        l(
            "Omtrent antall berørte personer",
            "Omtrent tal på råka personar",
            "Approximate number of people affected",
        ),
        approx(facts.subjects_approx, lang),
    ));
    fields.push((
        "records_approx",
        l(
            "Omtrent antall berørte registreringer",
            "Omtrent tal på råka registreringar",
            "Approximate number of records affected",
        ),
        approx(facts.records_approx, lang),
    ));
    fields.push((
        "relation_to_affected",
        l(
            "Forhold til de berørte",
            "Forhold til dei råka",
            "Relation to those affected",
        ),
        or_unknown(&facts.relation_to_affected, lang),
    ));
    fields.push((
        "data_location",
        l(
            "Hvor er opplysningene nå",
            "Kvar er opplysningane no",
            "Where the data are now",
        ),
        or_unknown(&facts.data_location, lang),
    ));
    fields.push((
        "consequences",
        l(
            "Sannsynlige konsekvenser for de berørte",
            "Sannsynlege konsekvensar for dei råka",
            "Likely consequences for those affected",
        ),
        or_unknown(&facts.consequences, lang),
    ));
    fields.push((
        "risk",
        l("Vurdert risiko", "Vurdert risiko", "Assessed risk"),
        format!("{}. {}", risk_label(facts.risk, lang), facts.risk_reasons)
            .trim_end_matches([' ', '.'])
            .to_owned(),
    ));
    fields.push((
        "measures_taken",
        l(
            "Tiltak som er gjennomført",
            "Tiltak som er gjennomførte",
            "Measures taken",
        ),
        or_unknown(&facts.measures_taken, lang),
    ));
    fields.push((
        "measures_planned",
        l(
            "Tiltak som er planlagt",
            "Tiltak som er planlagde",
            "Measures planned",
        ),
        or_unknown(&facts.measures_planned, lang),
    ));
    fields.push((
        "residents_told",
        l(
            "Er de berørte varslet",
            "Er dei råka varsla",
            "Have those affected been told",
        ),
        told(resident, facts.risk, lang),
    ));
    AuthorityReport {
        lang,
        fields: fields
            .into_iter()
            .map(|(key, label, value)| ReportField {
                key: key.to_owned(),
                label,
                value,
            })
            .collect(),
    }
}

const LETTER_NB: &str = include_str!("../../templates/incident-letter.nb.txt");
const LETTER_NN: &str = include_str!("../../templates/incident-letter.nn.txt");
const LETTER_EN: &str = include_str!("../../templates/incident-letter.en.txt");

/// The notice to the residents affected: what happened, what it may mean for them, what the
/// organisation has done and will do, what they can do, and whom to ask (Art. 34(2)).
pub fn resident_letter(
    facts: &IncidentFacts,
    ctx: &ReportContext<'_>,
    lang: RecordLang,
) -> ResidentLetter {
    let mut env = minijinja::Environment::new();
    env.set_trim_blocks(true);
    let source = match lang {
        RecordLang::Nb => LETTER_NB,
        RecordLang::Nn => LETTER_NN,
        RecordLang::En => LETTER_EN,
    };
    let confidentiality = facts.classes.contains(&BreachClass::Confidentiality);
    let body = env
        .render_str(
            source,
            minijinja::context! {
                controller => ctx.controller,
                contact => ctx.contact,
                aware_at => local_time(facts.aware_at),
                period => period(facts, lang),
                description => facts.description,
                data => term_labels(&facts.data_categories, ctx.vocabulary, lang),
                consequences => facts.consequences,
                measures_taken => facts.measures_taken,
                measures_planned => facts.measures_planned,
                confidentiality => confidentiality,
            },
        )
        .unwrap_or_else(|e| format!("{e}"));
    ResidentLetter {
        lang,
        subject: format!(
            "{}: {}",
            lang.pick(
                "Brudd på personopplysningssikkerheten",
                "Brot på personopplysningstryggleiken",
                "Personal data breach"
            ),
            facts.title
        ),
        body,
    }
}

/// The internal register's columns (Art. 33(5)).
pub fn register_headers(lang: RecordLang) -> Vec<&'static str> {
    vec![
        lang.pick("Referanse", "Referanse", "Reference"),
        lang.pick("Tittel", "Tittel", "Title"),
        lang.pick("Status", "Status", "Status"),
        lang.pick("Oppdaget", "Oppdaga", "Discovered"),
        lang.pick("Tidsrom", "Tidsrom", "Period"),
        lang.pick("Type brudd", "Type brot", "Kind of breach"),
        lang.pick("Hva skjedde", "Kva skjedde", "What happened"),
        lang.pick("Opplysninger", "Opplysningar", "Data"),
        lang.pick("Registrerte", "Registrerte", "Data subjects"),
        lang.pick("Antall personer", "Tal på personar", "People"),
        lang.pick("Konsekvenser", "Konsekvensar", "Consequences"),
        lang.pick("Tiltak", "Tiltak", "Measures"),
        lang.pick("Risiko", "Risiko", "Risk"),
        lang.pick("Begrunnelse", "Grunngiving", "Reasons"),
        lang.pick(
            "Meldt Datatilsynet",
            "Meldt Datatilsynet",
            "Notified to Datatilsynet",
        ),
        lang.pick(
            "Grunn til sen melding",
            "Grunn til sein melding",
            "Why late",
        ),
        lang.pick("De berørte varslet", "Dei råka varsla", "Residents told"),
    ]
}

/// What one incident says in the register.
#[derive(Debug, Clone, Copy)]
pub struct RegisterEntry<'a> {
    pub reference: &'a str,
    pub status: IncidentStatus,
    pub facts: &'a IncidentFacts,
    pub first_notice: Option<DateTime<Utc>>,
    pub late_reason: Option<&'a str>,
    pub resident: Option<&'a ResidentNoticeDecision>,
}

/// One row of the register, in the order of [`register_headers`].
pub fn register_row(
    entry: &RegisterEntry<'_>,
    vocabulary: &Vocabulary,
    lang: RecordLang,
) -> Vec<String> {
    let f = entry.facts;
    let measures = [f.measures_taken.as_str(), f.measures_planned.as_str()]
        .into_iter()
        .filter(|m| !m.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    let notified = match entry.first_notice {
        Some(at) => local_time(at),
        None if f.risk.authority_notice_required() => lang.pick("Nei", "Nei", "No").to_owned(),
        None => lang
            .pick("Ikke meldepliktig", "Ikkje meldepliktig", "Not notifiable")
            .to_owned(),
    };
    vec![
        entry.reference.to_owned(),
        f.title.clone(),
        status_label(entry.status, lang).to_owned(),
        local_time(f.aware_at),
        period(f, lang),
        f.classes
            .iter()
            .map(|c| class_label(*c, lang))
            .collect::<Vec<_>>()
            .join(", "),
        f.description.clone(),
        term_labels(&f.data_categories, vocabulary, lang),
        term_labels(&f.data_subjects, vocabulary, lang),
        f.subjects_approx.map(|n| n.to_string()).unwrap_or_default(),
        f.consequences.clone(),
        measures,
        risk_label(f.risk, lang).to_owned(),
        f.risk_reasons.clone(),
        notified,
        entry.late_reason.unwrap_or_default().to_owned(),
        told(entry.resident, f.risk, lang),
    ]
}

/// What the report says in the late-reason field before anyone has given the reason: the
/// next notice is the first and the 72 hours have passed at `now`.
pub fn late_reason_prompt(
    next: Option<NoticePhase>,
    aware_at: DateTime<Utc>,
    now: DateTime<Utc>,
    lang: RecordLang,
) -> Option<&'static str> {
    (next == Some(NoticePhase::Initial) && now > super::deadline(aware_at)).then_some(lang.pick(
        "(Oppgi hvorfor meldingen kommer etter 72 timer)",
        "(Oppgi kvifor meldinga kjem etter 72 timar)",
        "(State why the notice comes after 72 hours)",
    ))
}

/// The phases the next notice may take: the initial one first, then a supplement or the
/// final one; none after the final one.
pub fn phases_allowed(given: &[NoticePhase]) -> Vec<NoticePhase> {
    NoticePhase::ALL
        .into_iter()
        .filter(|p| {
            super::check_notice(
                chrono::DateTime::UNIX_EPOCH,
                given,
                *p,
                chrono::DateTime::UNIX_EPOCH,
                None,
            )
            .is_ok()
        })
        .collect()
}

/// The phase the next notice to Datatilsynet takes: initial, then supplements; none after
/// the final one or when nothing is to be notified.
pub fn next_phase(risk: RiskLevel, given: &[NoticePhase]) -> Option<NoticePhase> {
    if !risk.authority_notice_required() || given.contains(&NoticePhase::Final) {
        None
    } else if given.is_empty() {
        Some(NoticePhase::Initial)
    } else {
        Some(NoticePhase::Supplement)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts() -> IncidentFacts {
        IncidentFacts {
            title: "Elevliste sendt til feil mottaker".into(),
            occurred_from: Some(Utc.with_ymd_and_hms(2026, 11, 19, 7, 15, 0).unwrap()),
            occurred_to: None,
            aware_at: Utc.with_ymd_and_hms(2026, 11, 19, 9, 0, 0).unwrap(),
            discovered_how: "Mottakeren sa fra".into(),
            classes: vec![BreachClass::Confidentiality],
            description: "En e-post med elevliste gikk til feil foresatt.".into(),
            cause: String::new(),
            system_ids: vec![],
            activity_ids: vec![],
            data_categories: vec!["pd:Name".into()],
            data_subjects: vec!["dpv:Student".into()],
            subjects_approx: Some(28),
            records_approx: None,
            relation_to_affected: "Elever".into(),
            data_location: String::new(),
            consequences: "Andre kan få vite hvem som går i klassen.".into(),
            measures_taken: "Mottakeren har slettet e-posten.".into(),
            measures_planned: "Opplæring i utsending.".into(),
            risk: RiskLevel::High,
            risk_reasons: "Barn".into(),
        }
    }

    fn ctx(vocabulary: &Vocabulary) -> ReportContext<'_> {
        ReportContext {
            controller: "Eksempel kommune",
            org_number: Some("944 000 000"),
            contact: "Personvernombudet, personvern@example.org",
            systems: &[],
            activities: &[],
            vocabulary,
        }
    }

    #[test]
    fn the_report_carries_every_field_of_the_form_in_order_with_oslo_times() {
        let vocabulary = Vocabulary::new(Vec::new());
        let report = authority_report(
            &facts(),
            Some(NoticePhase::Initial),
            None,
            None,
            &ctx(&vocabulary),
            RecordLang::Nb,
        );
        let keys: Vec<&str> = report.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "controller",
                "contact",
                "phase",
                "period",
                "aware_at",
                "discovered_how",
                "classes",
                "description",
                "cause",
                "systems",
                "data_categories",
                "data_subjects",
                "subjects_approx",
                "records_approx",
                "relation_to_affected",
                "data_location",
                "consequences",
                "risk",
                "measures_taken",
                "measures_planned",
                "residents_told"
            ]
        );
        let value = |k: &str| {
            report
                .fields
                .iter()
                .find(|f| f.key == k)
                .unwrap()
                .value
                .clone()
        };
        // 09:00 UTC in November is 10:00 in Oslo.
        assert_eq!(value("aware_at"), "19.11.2026 10:00");
        assert_eq!(value("data_categories"), "Navn");
        assert_eq!(value("data_subjects"), "Elever og studenter");
        assert_eq!(value("subjects_approx"), "ca. 28");
        assert_eq!(value("records_approx"), "Ikke kjent");
        assert_eq!(value("residents_told"), "Ikke ennå");
        assert_eq!(value("risk"), "Høy risiko. Barn");
        let late = authority_report(
            &facts(),
            Some(NoticePhase::Initial),
            Some("Helg"),
            None,
            &ctx(&vocabulary),
            RecordLang::En,
        );
        assert!(
            late.fields
                .iter()
                .any(|f| f.key == "late_reason" && f.value == "Helg")
        );
        assert_eq!(late.fields[0].label, "Controller");
    }

    #[test]
    fn the_resident_letter_is_plain_and_in_the_language_asked() {
        let vocabulary = Vocabulary::new(Vec::new());
        for lang in [RecordLang::Nb, RecordLang::Nn, RecordLang::En] {
            let letter = resident_letter(&facts(), &ctx(&vocabulary), lang);
            assert!(
                letter
                    .subject
                    .ends_with("Elevliste sendt til feil mottaker")
            );
            for part in [
                "Eksempel kommune",
                "personvern@example.org",
                "En e-post med elevliste gikk til feil foresatt.",
                "Mottakeren har slettet e-posten.",
                "Opplæring i utsending.",
                "Datatilsynet",
            ] {
                assert!(
                    letter.body.contains(part),
                    "{lang:?}: {part} missing in {}",
                    letter.body
                );
            }
            assert!(!letter.body.contains("{{"), "{}", letter.body);
        }
        let en = resident_letter(&facts(), &ctx(&vocabulary), RecordLang::En);
        assert!(en.body.contains("Name"));
        assert!(
            en.body.contains("phishing"),
            "advice for a confidentiality breach: {}",
            en.body
        );
    }

    #[test]
    fn the_register_row_says_whether_and_when_it_was_notified() {
        let vocabulary = Vocabulary::new(Vec::new());
        let f = facts();
        let entry = RegisterEntry {
            reference: "2026-1",
            status: IncidentStatus::Open,
            facts: &f,
            first_notice: None,
            late_reason: None,
            resident: None,
        };
        let row = register_row(&entry, &vocabulary, RecordLang::Nb);
        assert_eq!(row.len(), register_headers(RecordLang::Nb).len());
        assert_eq!(row[14], "Nei");
        let mut unlikely = facts();
        unlikely.risk = RiskLevel::Unlikely;
        let entry = RegisterEntry {
            facts: &unlikely,
            ..entry
        };
        assert_eq!(
            register_row(&entry, &vocabulary, RecordLang::Nb)[14],
            "Ikke meldepliktig"
        );
    }

    #[test]
    fn a_late_first_notice_asks_for_its_reason() {
        let aware = facts().aware_at;
        let late = aware + chrono::Duration::hours(73);
        assert!(
            late_reason_prompt(Some(NoticePhase::Initial), aware, late, RecordLang::En).is_some()
        );
        assert!(
            late_reason_prompt(Some(NoticePhase::Supplement), aware, late, RecordLang::En)
                .is_none()
        );
        assert!(
            late_reason_prompt(Some(NoticePhase::Initial), aware, aware, RecordLang::En).is_none()
        );
    }

    #[test]
    fn phases_go_initial_then_supplements_and_stop_after_the_final() {
        use NoticePhase::*;
        assert_eq!(next_phase(RiskLevel::Risk, &[]), Some(Initial));
        assert_eq!(next_phase(RiskLevel::Risk, &[Initial]), Some(Supplement));
        assert_eq!(next_phase(RiskLevel::Risk, &[Initial, Final]), None);
        assert_eq!(next_phase(RiskLevel::Unlikely, &[]), None);
        assert_eq!(phases_allowed(&[]), vec![Initial]);
        assert_eq!(phases_allowed(&[Initial]), vec![Supplement, Final]);
        assert_eq!(phases_allowed(&[Initial, Final]), vec![]);
    }
}
