//! Connecting: SQLite (embedded default, WAL, foreign keys on) or PostgreSQL, through the
//! same code. Migrations run here so a fresh database is usable at once.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseConnection, DbBackend};
use vern_domain::service::DatabaseKind;
use vern_migrations::Migrator;
use vern_migrations::MigratorTrait;

use crate::DbError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(DbError::UnsupportedUrl)
        }
    }

    pub const fn kind(self) -> DatabaseKind {
        match self {
            Self::Sqlite => DatabaseKind::Sqlite,
            Self::Postgres => DatabaseKind::Postgres,
        }
    }
}

/// A connection pool and which backend it talks to.
#[derive(Debug, Clone)]
pub struct Database {
    pub conn: DatabaseConnection,
    pub backend: Backend,
}

/// Opens a pool. For SQLite the file is created when missing; WAL lets readers run beside
/// the one writer, and foreign keys are enforced as on PostgreSQL.
pub async fn connect(url: &str, max_connections: u32) -> Result<Database, DbError> {
    let backend = Backend::from_url(url)?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // Statements can carry personal data in later capabilities: never log them.
        .sqlx_logging(false);
    if backend == Backend::Sqlite {
        options.map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    }
    let conn = sea_orm::Database::connect(options).await?;
    Ok(Database { conn, backend })
}

/// Starts a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so it waits its turn instead of failing when another writer
/// committed after it had read.
pub async fn begin_write(db: &Database) -> Result<sea_orm::DatabaseTransaction, DbError> {
    let options = sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    Ok(sea_orm::TransactionTrait::begin_with_options(&db.conn, options).await?)
}

/// Applies pending migrations; returns how many ran.
pub async fn migrate(db: &Database) -> Result<usize, DbError> {
    let pending = Migrator::get_pending_migrations(&db.conn).await?.len();
    Migrator::up(&db.conn, None).await?;
    Ok(pending)
}

/// A trivial round trip, for health checks.
pub async fn ping(db: &Database) -> bool {
    db.conn.ping().await.is_ok()
}

/// The SQLite pragmas actually in force (journal mode, foreign keys), for tests and
/// diagnostics. `None` on PostgreSQL.
pub async fn sqlite_pragmas(db: &Database) -> Result<Option<(String, i64)>, DbError> {
    if db.backend != Backend::Sqlite {
        return Ok(None);
    }
    let journal: String = pragma(db, "journal_mode").await?;
    let foreign_keys: i64 = pragma(db, "foreign_keys").await?;
    Ok(Some((journal, foreign_keys)))
}

async fn pragma<T: sea_orm::TryGetable + Default>(db: &Database, name: &str) -> Result<T, DbError> {
    let statement = sea_orm::Statement::from_string(DbBackend::Sqlite, format!("PRAGMA {name}"));
    Ok(db
        .conn
        .query_one_raw(statement)
        .await?
        .map(|row| row.try_get_by_index::<T>(0))
        .transpose()?
        .unwrap_or_default())
}
