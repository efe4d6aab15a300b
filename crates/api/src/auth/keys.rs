//! Ed25519 keys for signing JWTs. Each key has an id (`kid`, the first 8 bytes of the
//! SHA-256 of its public key, in hex) that tokens carry in their header.
//!
//! Two ways to keep them, chosen by `VERN_SIGNING_KEY_FILE`:
//! - In the database (the default): generated on first start; every instance on the same
//!   database signs with the newest key and verifies with every key not yet retired.
//!   `vern keys rotate` adds a new key and retires the others after a grace period longer
//!   than an access token lives; running instances pick the change up within a minute
//!   (`KeyStore::reload`).
//! - In a file (PKCS#8 DER, created with mode 0600 if missing): for operators who keep key
//!   material in a secret store and mount it. Rotation is replacing the file and
//!   restarting; access tokens signed with the old key are then refused and the SPA renews
//!   them with its refresh cookie.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use anyhow::Context as _;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use jsonwebtoken::{DecodingKey, EncodingKey};
use sha2::{Digest, Sha256};
use vern_db::Database;

/// How long a replaced key still verifies: longer than an access token lives, plus the
/// reload interval.
pub const RETIRE_AFTER_MINUTES: i64 = 30;
/// How often a running instance rereads the database's keys.
pub const RELOAD_SECONDS: u64 = 60;

struct Loaded {
    kid: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
}

/// Where the keys live.
#[derive(Debug, Clone)]
pub enum KeySource {
    Database,
    File(PathBuf),
}

pub struct JwtKeys {
    source: KeySource,
    loaded: RwLock<Loaded>,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("source", &self.source)
            .field("kid", &self.kid())
            .finish_non_exhaustive()
    }
}

/// A fresh key: (kid, PKCS#8 DER, public key).
pub fn generate() -> anyhow::Result<(String, Vec<u8>, Vec<u8>)> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let signing = SigningKey::from_bytes(&seed);
    let der = signing
        .to_pkcs8_der()
        .context("encoding the signing key")?
        .as_bytes()
        .to_vec();
    let public = signing.verifying_key().to_bytes().to_vec();
    Ok((kid_of(&public), der, public))
}

fn kid_of(public: &[u8]) -> String {
    Sha256::digest(public)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl JwtKeys {
    /// The database's keys, creating the first one if there is none.
    pub async fn load_or_create(db: &Database) -> anyhow::Result<Self> {
        Self::open(db, KeySource::Database).await
    }

    pub async fn open(db: &Database, source: KeySource) -> anyhow::Result<Self> {
        let loaded = match &source {
            KeySource::Database => {
                let now = chrono::Utc::now();
                if vern_db::keys::active(&db.conn, now).await?.is_empty() {
                    let (kid, der, public) = generate()?;
                    // Another instance may have stored one meanwhile; either key is fine.
                    let _ = vern_db::keys::insert(&db.conn, kid, der, public, now).await;
                }
                from_database(db).await?
            }
            KeySource::File(path) => from_file(path)?,
        };
        Ok(Self {
            source,
            loaded: RwLock::new(loaded),
        })
    }

    /// Rereads the database's keys (a rotation by another instance or `vern keys rotate`).
    /// A file-based key changes only with a restart.
    pub async fn reload(&self, db: &Database) -> anyhow::Result<()> {
        if let KeySource::Database = self.source {
            let fresh = from_database(db).await?;
            if let Ok(mut loaded) = self.loaded.write() {
                *loaded = fresh;
            }
        }
        Ok(())
    }

    /// The key id new tokens are signed with.
    pub fn kid(&self) -> String {
        self.loaded
            .read()
            .map(|l| l.kid.clone())
            .unwrap_or_default()
    }

    /// The signing key and its id.
    pub fn signing(&self) -> Option<(String, EncodingKey)> {
        self.loaded
            .read()
            .ok()
            .map(|l| (l.kid.clone(), l.encoding.clone()))
    }

    pub fn decoding(&self, kid: &str) -> Option<DecodingKey> {
        self.loaded.read().ok()?.decoding.get(kid).cloned()
    }
}

async fn from_database(db: &Database) -> anyhow::Result<Loaded> {
    let rows = vern_db::keys::active(&db.conn, chrono::Utc::now()).await?;
    let newest = rows.first().context("no signing key in the database")?;
    let decoding = rows
        .iter()
        .map(|r| (r.kid.clone(), DecodingKey::from_ed_der(&r.public_key)))
        .collect();
    Ok(Loaded {
        kid: newest.kid.clone(),
        encoding: EncodingKey::from_ed_der(&newest.private_key_der),
        decoding,
    })
}

fn from_file(path: &Path) -> anyhow::Result<Loaded> {
    if !path.exists() {
        let (_, der, _) = generate()?;
        write_private(path, &der)
            .with_context(|| format!("cannot create the signing key file {}", path.display()))?;
    }
    let der = std::fs::read(path)
        .with_context(|| format!("cannot read the signing key file {}", path.display()))?;
    let signing = SigningKey::from_pkcs8_der(&der).map_err(|_| {
        anyhow::anyhow!(
            "{} is not an Ed25519 private key in PKCS#8 DER",
            path.display()
        )
    })?;
    let public = signing.verifying_key().to_bytes().to_vec();
    let kid = kid_of(&public);
    Ok(Loaded {
        encoding: EncodingKey::from_ed_der(&der),
        decoding: HashMap::from([(kid.clone(), DecodingKey::from_ed_der(&public))]),
        kid,
    })
}

#[cfg(unix)]
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)
}

/// `vern keys rotate`: a new database key signs from now on (on every instance within
/// `RELOAD_SECONDS`); the others verify for `RETIRE_AFTER_MINUTES` more. Answers the new
/// kid.
pub async fn rotate(db: &Database) -> anyhow::Result<String> {
    let (kid, der, public) = generate()?;
    let now = chrono::Utc::now();
    let txn = vern_db::connection::begin_write(db).await?;
    vern_db::keys::retire_all(
        &txn,
        now + chrono::Duration::minutes(RETIRE_AFTER_MINUTES),
        now,
    )
    .await?;
    vern_db::keys::insert(&txn, kid.clone(), der, public, now).await?;
    txn.commit().await.map_err(vern_db::DbError::from)?;
    Ok(kid)
}
