//! Data-subject requests (GDPR Art. 12–22, and party access under forvaltningsloven § 18):
//! what can be asked, the case each request becomes, and the statutory clock.

pub mod answer;
pub mod attachment;
pub mod case;
pub mod deadline;
pub mod kind;
pub mod noark;
pub mod resident;
pub mod task;
pub mod view;

pub use case::{CaseAction, CaseError, CaseFile, CaseStatus, transition};
pub use deadline::{Clock, DeadlineState, DeadlineUrgency, ExtensionError, add_months};
pub use kind::{Channel, RefusalGround, RequestKind};
