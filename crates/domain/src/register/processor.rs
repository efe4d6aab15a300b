//! The processor's record (Art. 30(2)): a vendor's record of the processing it carries out
//! on behalf of each controller — who the controller and its data protection officers are,
//! which products (categories of processing) it runs for them, the transfers outside the
//! EU/EEA and the security measures. Built from the catalogue and the fact of use only.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::product::{SubProcessor, TransferMechanism};
use super::record::{RecordContact, RecordController, RecordLang, category_words, mechanism_words};
use crate::OrganizationId;

/// One product as processing for one controller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessorProcessing {
    pub product_id: Uuid,
    pub product_name: String,
    /// The category of processing, as the product describes itself.
    pub description: String,
    /// How many of the controller's systems (not retired) run on it.
    pub systems: u32,
    /// Taxonomy keys.
    pub data_categories: Vec<String>,
    pub sub_processors: Vec<SubProcessor>,
    /// Countries outside the EU/EEA with the mechanism, where one is named (Art. 30(2)(c)).
    pub transfers: Vec<ProcessorTransfer>,
    pub security_measures: Vec<String>,
    pub certifications: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessorTransfer {
    pub country: String,
    pub mechanism: Option<TransferMechanism>,
}

/// One controller the vendor processes for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessorCustomer {
    pub controller_id: OrganizationId,
    pub controller: RecordController,
    /// The controller's data protection officers (Art. 30(2)(a)).
    pub privacy_officers: Vec<RecordContact>,
    pub processing: Vec<ProcessorProcessing>,
}

/// `GET …/processor-record`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessorRecord {
    pub processor: RecordController,
    pub generated_at: DateTime<Utc>,
    pub customers: Vec<ProcessorCustomer>,
}

/// The columns of the CSV export, one row per controller and product.
pub fn headers(lang: RecordLang) -> Vec<&'static str> {
    let pick = |nb, nn, en| lang.pick(nb, nn, en);
    vec![
        pick("Behandlingsansvarlig", "Behandlingsansvarleg", "Controller"),
        pick(
            "Organisasjonsnummer",
            "Organisasjonsnummer",
            "Organisation number",
        ),
        pick(
            "Personvernombud",
            "Personvernombod",
            "Data protection officer",
        ),
        pick("Produkt", "Produkt", "Product"),
        pick(
            "Kategorier av behandling",
            "Kategoriar av behandling",
            "Categories of processing",
        ),
        pick("Antall systemer", "Tal på system", "Systems"),
        pick(
            "Kategorier av personopplysninger",
            "Kategoriar av personopplysningar",
            "Categories of personal data",
        ),
        pick("Underleverandører", "Underleverandørar", "Sub-processors"),
        pick(
            "Overføringer ut av EU/EØS",
            "Overføringar ut av EU/EØS",
            "Transfers outside the EU/EEA",
        ),
        pick("Sikkerhetstiltak", "Tryggingstiltak", "Security measures"),
    ]
}

/// The CSV rows of one customer: one per product.
pub fn rows(customer: &ProcessorCustomer, lang: RecordLang) -> Vec<Vec<String>> {
    let officers = customer
        .privacy_officers
        .iter()
        .map(|o| format!("{} <{}>", o.name, o.email))
        .collect::<Vec<_>>()
        .join("; ");
    customer
        .processing
        .iter()
        .map(|p| {
            let categories = p
                .data_categories
                .iter()
                .map(|k| category_words(k, lang))
                .collect::<Vec<_>>()
                .join("; ");
            let subs = p
                .sub_processors
                .iter()
                .map(|s| format!("{} ({}, {})", s.name, s.country, s.service))
                .collect::<Vec<_>>()
                .join("; ");
            let transfers = p
                .transfers
                .iter()
                .map(|t| match t.mechanism {
                    Some(m) => format!("{}: {}", t.country, mechanism_words(m, lang)),
                    None => t.country.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                customer.controller.name.clone(),
                customer.controller.org_number.clone().unwrap_or_default(),
                officers.clone(),
                p.product_name.clone(),
                p.description.clone(),
                p.systems.to_string(),
                categories,
                subs,
                transfers,
                p.security_measures.join("; "),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_product_is_a_row_naming_the_controller_its_officer_and_its_transfers() {
        let customer = ProcessorCustomer {
            controller_id: OrganizationId::from_uuid(Uuid::from_u128(1)),
            controller: RecordController {
                name: "Oslo kommune".into(),
                org_number: Some("974760673".into()),
            },
            privacy_officers: vec![RecordContact {
                name: "Demo Ombud".into(),
                email: "ombud@example.org".into(),
            }],
            processing: vec![ProcessorProcessing {
                product_id: Uuid::from_u128(2),
                product_name: "Lønnsflyt".into(),
                description: "Lønn og fravær".into(),
                systems: 1,
                data_categories: vec!["pd:Name".into(), "pd:Salary".into()],
                sub_processors: Vec::new(),
                transfers: vec![ProcessorTransfer {
                    country: "IN".into(),
                    mechanism: Some(TransferMechanism::StandardContractualClauses),
                }],
                security_measures: vec!["Kryptering".into(), "Tofaktor".into()],
                certifications: Vec::new(),
            }],
        };
        let rows = rows(&customer, RecordLang::Nb);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].len(), headers(RecordLang::Nb).len());
        assert_eq!(rows[0][2], "Demo Ombud <ombud@example.org>");
        assert_eq!(rows[0][8], "IN: standard personvernbestemmelser (art. 46)");
        assert_eq!(rows[0][9], "Kryptering; Tofaktor");
        assert!(rows[0][6].starts_with("Navn"));
        let en = super::rows(&customer, RecordLang::En);
        assert_eq!(en[0][8], "IN: standard contractual clauses (Art. 46)");
    }
}
