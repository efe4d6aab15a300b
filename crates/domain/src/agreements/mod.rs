//! Data processing agreements (Art. 28): the drafter's terms, the facts merged into a
//! template, the Art. 28(3) elements still missing, the document with its hash, and the
//! lifecycle from draft to active and beyond.

pub mod assemble;
pub mod campaign;
pub mod deadlines;
pub mod document;
pub mod facts;
pub mod lifecycle;
pub mod notices;
pub mod own_templates;
pub mod templates;
pub mod terms;
pub mod view;

pub use facts::{AgreementFacts, Element, missing_elements};
pub use lifecycle::{AgreementEvent, AgreementStatus, transition};
pub use terms::{AgreementLanguage, AgreementTerms, Authorisation, EndOfContract, check_terms};
