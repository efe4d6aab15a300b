//! An organisation's own agreement templates, beside the built-in ones: written in the
//! same template language (minijinja producing Markdown) with the same merge fields, and
//! versioned — every change is a new version; agreements keep the text they were rendered
//! with.
//!
//! A template is accepted only if it compiles, reads no field the facts do not have, and
//! renders a complete sample agreement; the error names what to fix.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::document::{merge_fields, render};
use super::facts::{
    AgreementFacts, CategoryFact, ChangeFact, ContactFact, LocationFact, PartyFact,
    SubProcessorFact, SystemFact,
};
use super::terms::{AgreementLanguage, Authorisation, EndOfContract};
use crate::problem::FieldError;
use crate::register::{Errors, text};

/// Own templates are named `own:<id>` where a template key is asked for.
pub const OWN_PREFIX: &str = "own:";
pub const MAX_NAME: usize = 200;
/// Room for a long agreement (the built-in ones are about 15,000 characters).
pub const MAX_SOURCE: usize = 100_000;

pub fn own_key(id: Uuid) -> String {
    format!("{OWN_PREFIX}{id}")
}

pub fn parse_own_key(key: &str) -> Option<Uuid> {
    key.strip_prefix(OWN_PREFIX)?.parse().ok()
}

/// The merge fields a template may read: the facts' top-level names.
pub const FIELDS: [&str; 27] = [
    "language",
    "title",
    "controller",
    "processor",
    "systems",
    "subject_matter",
    "purposes",
    "nature",
    "data_categories",
    "data_subjects",
    "start_date",
    "end_date",
    "authorisation",
    "notice_period_days",
    "breach_notice_hours",
    "end_of_contract",
    "sub_processors",
    "locations",
    "security_measures",
    "audit_procedure",
    "instructions",
    "other_terms",
    "supervisory_authority",
    "change_log",
    // Filters and tests the template language offers are not fields; these are the
    // loop helpers minijinja declares.
    "loop",
    "range",
    "namespace",
];

/// A template as its author writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnTemplateInput {
    pub name: String,
    pub language: AgreementLanguage,
    /// minijinja producing Markdown; the merge fields are those of the built-in templates.
    pub source: String,
    /// What changed, for the version list.
    #[serde(default)]
    pub change_note: String,
}

/// One version of an own template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnTemplateVersion {
    pub number: i32,
    pub change_note: String,
    pub created_at: DateTime<Utc>,
}

/// An own template with its version in force and the list of versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnTemplate {
    pub id: Uuid,
    /// The owner.
    pub organization_id: crate::OrganizationId,
    /// What to give as `template` when drafting: `own:<id>`.
    pub key: String,
    pub name: String,
    pub language: AgreementLanguage,
    pub current_version: i32,
    /// The source of the version in force.
    pub source: String,
    /// The merge fields it reads.
    pub merge_fields: Vec<String>,
    pub versions: Vec<OwnTemplateVersion>,
    pub revision: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An own template in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnTemplateSummary {
    pub id: Uuid,
    pub key: String,
    pub name: String,
    pub language: AgreementLanguage,
    pub current_version: i32,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnTemplatePage {
    pub items: Vec<OwnTemplateSummary>,
    pub next_cursor: Option<String>,
}

/// A template that cannot be used: field errors, and the template engine's words about
/// the source (line and cause) when it is the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRefusal {
    pub errors: Vec<FieldError>,
    pub detail: Option<String>,
}

/// Checks a template: a name, a source that compiles, reads only known fields and renders
/// the sample agreement. Answers the checked input and the fields it reads.
pub fn check_own_template(
    input: &OwnTemplateInput,
) -> Result<(OwnTemplateInput, Vec<String>), TemplateRefusal> {
    let mut e = Errors::default();
    let name = text(&mut e, "name", &input.name, true, MAX_NAME).unwrap_or_default();
    let note = text(&mut e, "change_note", &input.change_note, false, 300).unwrap_or_default();
    let source = input.source.replace("\r\n", "\n");
    let refuse = |e: Errors, code: &str, detail: Option<String>| {
        let mut errors = e.finish(()).err().unwrap_or_default();
        errors.push(FieldError {
            field: "source".into(),
            code: code.into(),
        });
        TemplateRefusal { errors, detail }
    };
    if source.trim().is_empty() {
        return Err(refuse(e, "required", None));
    }
    if source.chars().count() > MAX_SOURCE {
        return Err(refuse(e, "too_long", None));
    }
    let fields = match merge_fields(&source) {
        Ok(f) => f,
        Err(err) => return Err(refuse(e, "syntax_error", Some(err.0))),
    };
    let unknown: Vec<&String> = fields
        .iter()
        .filter(|f| !FIELDS.contains(&f.as_str()))
        .collect();
    if !unknown.is_empty() {
        let names: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
        return Err(refuse(
            e,
            "unknown_field",
            Some(format!("unknown merge fields: {}", names.join(", "))),
        ));
    }
    if let Err(err) = render(&source, &sample_facts(input.language)) {
        return Err(refuse(e, "render_error", Some(err.0)));
    }
    let checked = OwnTemplateInput {
        name,
        language: input.language,
        source,
        change_note: note,
    };
    e.finish((checked, fields))
        .map_err(|errors| TemplateRefusal {
            errors,
            detail: None,
        })
}

/// A complete, made-up agreement to try templates on.
pub fn sample_facts(language: AgreementLanguage) -> AgreementFacts {
    let party = |name: &str, org: &str, contact: &str| PartyFact {
        name: name.into(),
        org_number: org.into(),
        municipality_number: String::new(),
        identifier: format!("{} {org}", language.pick("org.nr.", "organisation number")),
        address: language
            .pick("Eksempelgata 1, 0001 Oslo", "1 Example Street, Oslo")
            .into(),
        contact: contact.into(),
        privacy_officers: vec![ContactFact {
            name: language
                .pick("Personvernombudet", "The data protection officer")
                .into(),
            email: "personvernombud@example.org".into(),
        }],
    };
    AgreementFacts {
        language,
        title: language
            .pick(
                "Eksempel på databehandleravtale",
                "Sample data processing agreement",
            )
            .into(),
        controller: party("Eksempel kommune", "100000008", "personvern@example.org"),
        processor: party(
            "Eksempel Programvare AS",
            "100000016",
            "avtaler@example.org",
        ),
        systems: vec![SystemFact {
            name: language.pick("Skolesystem", "School system").into(),
            product: "Eksempel Skole".into(),
            version: "1.0".into(),
        }],
        subject_matter: language
            .pick("Drift av skolesystemet", "Running the school system")
            .into(),
        purposes: vec![
            language
                .pick("Skoleadministrasjon", "School administration")
                .into(),
        ],
        nature: language
            .pick(
                "Lagring, drift og brukerstøtte",
                "Storage, operations and support",
            )
            .into(),
        data_categories: vec![
            CategoryFact {
                label: language
                    .pick("Kontaktopplysninger", "Contact details")
                    .into(),
                special: false,
                criminal: false,
            },
            CategoryFact {
                label: language.pick("Helseopplysninger", "Health data").into(),
                special: true,
                criminal: false,
            },
        ],
        data_subjects: vec![language.pick("Elever", "Pupils").into()],
        start_date: NaiveDate::from_ymd_opt(2027, 1, 1),
        end_date: None,
        authorisation: Authorisation::General,
        notice_period_days: Some(30),
        breach_notice_hours: Some(24),
        end_of_contract: Some(EndOfContract::ReturnThenDelete),
        sub_processors: vec![SubProcessorFact {
            name: "Eksempel Drift AS".into(),
            org_number: "100000024".into(),
            country: language.pick("Norge", "Norway").into(),
            service: language.pick("Drift", "Hosting").into(),
            transfer_mechanism: String::new(),
        }],
        locations: vec![LocationFact {
            country: language.pick("Norge", "Norway").into(),
            role: language.pick("lagring", "storage").into(),
        }],
        security_measures: vec![language.pick("Kryptering", "Encryption").into()],
        audit_procedure: language
            .pick("Årlig revisjonsrapport", "Annual audit report")
            .into(),
        instructions: String::new(),
        other_terms: String::new(),
        supervisory_authority: "Datatilsynet".into(),
        change_log: vec![ChangeFact {
            version: 1,
            date: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default(),
            note: String::new(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreements::templates::BUILTIN_TEMPLATES;

    fn input(source: &str) -> OwnTemplateInput {
        OwnTemplateInput {
            name: "Vår mal".into(),
            language: AgreementLanguage::Nb,
            source: source.into(),
            change_note: String::new(),
        }
    }

    fn code(
        r: Result<(OwnTemplateInput, Vec<String>), TemplateRefusal>,
    ) -> (String, Option<String>) {
        let refusal = r.err().unwrap();
        let last = refusal.errors.last().unwrap();
        (format!("{}:{}", last.field, last.code), refusal.detail)
    }

    #[test]
    fn every_built_in_template_passes_as_an_own_template() {
        for t in BUILTIN_TEMPLATES {
            let (_, fields) = check_own_template(&OwnTemplateInput {
                language: t.language,
                ..input(t.source)
            })
            .unwrap_or_else(|r| panic!("{}: {r:?}", t.key));
            assert!(fields.contains(&"sub_processors".to_owned()));
        }
    }

    #[test]
    fn a_simple_template_passes_and_names_its_fields() {
        let (checked, fields) = check_own_template(&input(
            "# {{ title }}\r\n\r\nMellom {{ controller.name }} og {{ processor.name }}.\r\n",
        ))
        .unwrap();
        assert_eq!(fields, ["controller", "processor", "title"]);
        assert!(!checked.source.contains('\r'));
    }

    #[test]
    fn syntax_errors_unknown_fields_and_render_errors_are_named() {
        let (c, detail) = code(check_own_template(&input("{% for x in purposes %}")));
        assert_eq!(c, "source:syntax_error");
        assert!(detail.unwrap().contains("line"));
        let (c, detail) = code(check_own_template(&input("{{ personnummer }}")));
        assert_eq!(c, "source:unknown_field");
        assert!(detail.unwrap().contains("personnummer"));
        let (c, _) = code(check_own_template(&input("{{ controller.telefon }}")));
        assert_eq!(c, "source:render_error");
        let (c, _) = code(check_own_template(&input("  ")));
        assert_eq!(c, "source:required");
        let (c, _) = code(check_own_template(&input(&"x".repeat(MAX_SOURCE + 1))));
        assert_eq!(c, "source:too_long");
    }

    #[test]
    fn a_name_is_required() {
        let r = check_own_template(&OwnTemplateInput {
            name: " ".into(),
            ..input("{{ title }}")
        });
        let errors = r.err().unwrap().errors;
        assert_eq!(errors[0].field, "name");
        assert_eq!(errors[0].code, "required");
    }

    #[test]
    fn own_keys_round_trip_and_built_in_keys_are_not_own() {
        let id = Uuid::from_u128(7);
        assert_eq!(parse_own_key(&own_key(id)), Some(id));
        assert_eq!(parse_own_key("state-nb"), None);
        assert_eq!(parse_own_key("own:nonsense"), None);
    }

    #[test]
    fn the_fields_are_the_facts_top_level_names() {
        let value = serde_json::to_value(sample_facts(AgreementLanguage::Nb)).unwrap();
        let keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in &keys {
            assert!(FIELDS.contains(key), "{key} is not offered");
        }
        assert_eq!(
            keys.len() + 3,
            FIELDS.len(),
            "three loop helpers besides the facts"
        );
    }

    #[test]
    fn the_sample_is_complete() {
        for lang in [AgreementLanguage::Nb, AgreementLanguage::En] {
            assert!(crate::agreements::missing_elements(&sample_facts(lang)).is_empty());
        }
    }
}
