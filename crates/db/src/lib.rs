//! Vern's persistence layer.
//!
//! What belongs here: sea-orm entities (kept apart from domain types), connecting to SQLite
//! or PostgreSQL with the right settings, running migrations, and repository functions that
//! translate rows to `vern_domain` types and back. Every org-owned query filters on
//! `organization_id`; every multi-row change runs in one transaction.

pub mod activities;
pub mod agreement_templates;
pub mod agreements;
pub mod api_clients;
pub mod assessments;
pub mod audit;
pub mod campaigns;
pub mod connection;
pub mod consents;
pub mod dpia;
pub mod due;
pub mod entities;
pub mod identity;
pub mod incidents;
pub mod invitations;
pub mod keys;
pub mod notifications;
pub mod organizations;
pub mod passkeys;
pub mod register;
pub mod requests;
pub mod residents;
pub mod reviews;
pub mod role_requests;
pub mod scheduler;
pub mod seed;
pub mod seed_register;
pub mod sessions;
pub mod tasks;
pub mod templates;
pub mod throttle;
pub mod vocabulary;
pub mod webhooks;

pub use connection::{Backend, Database, connect};
pub use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};

/// What can go wrong below the API. The API maps these to problem+json and logs the cause.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// A stored value no longer parses as its domain type: a bug or a manual edit.
    #[error("stored row is invalid: {0}")]
    InvalidRow(&'static str),
    #[error("unsupported database url (use sqlite:… or postgres://…)")]
    UnsupportedUrl,
}

impl DbError {
    /// A description safe for the log. A database's own message can quote the values of
    /// the row (PostgreSQL's unique-violation detail names the key: an e-mail address, say),
    /// so for statement errors only the SQLSTATE code is kept.
    pub fn log_safe(&self) -> String {
        use sea_orm::{DbErr, RuntimeErr};
        match self {
            Self::Database(
                DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)),
            ) => match e.as_database_error().and_then(|d| d.code()) {
                Some(code) => format!("database statement failed (SQLSTATE {code})"),
                None => "database statement failed".to_owned(),
            },
            Self::Database(DbErr::Exec(_) | DbErr::Query(_)) => {
                "database statement failed".to_owned()
            }
            Self::Database(DbErr::ConnectionAcquire(_) | DbErr::Conn(_)) => {
                "database connection failed".to_owned()
            }
            Self::Database(_) => "database error".to_owned(),
            Self::InvalidRow(what) => format!("stored row is invalid: {what}"),
            Self::UnsupportedUrl => self.to_string(),
        }
    }
}

/// sea-orm's connection trait, for callers that pass a connection or a transaction on.
pub mod sea_orm_connection {
    pub use sea_orm::ConnectionTrait;
}

/// sea-orm's error type, for callers that classify failures.
pub mod sea_orm_error {
    pub use sea_orm::DbErr;
}
