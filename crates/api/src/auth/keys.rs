//! Ed25519 keys for signing JWTs, generated on first start and kept in the database so every
//! instance signs and verifies alike. Each key has an id (`kid`) for rotation.

use std::collections::HashMap;

use anyhow::Context as _;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::{DecodingKey, EncodingKey};
use sha2::{Digest, Sha256};
use vern_db::Database;

pub struct JwtKeys {
    pub kid: String,
    pub encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl JwtKeys {
    /// Loads the active keys, creating the first one if there is none.
    pub async fn load_or_create(db: &Database) -> anyhow::Result<Self> {
        if vern_db::keys::active(&db.conn).await?.is_empty() {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
            let signing = SigningKey::from_bytes(&seed);
            let der = signing
                .to_pkcs8_der()
                .context("encoding the signing key")?
                .as_bytes()
                .to_vec();
            let public = signing.verifying_key().to_bytes().to_vec();
            let kid: String = Sha256::digest(&public)
                .iter()
                .take(8)
                .map(|b| format!("{b:02x}"))
                .collect();
            // Another instance may have stored one meanwhile; either key is fine.
            let _ = vern_db::keys::insert(&db.conn, kid, der, public, chrono::Utc::now()).await;
        }
        let rows = vern_db::keys::active(&db.conn).await?;
        let newest = rows.first().context("no signing key after creating one")?;
        let decoding = rows
            .iter()
            .map(|r| (r.kid.clone(), DecodingKey::from_ed_der(&r.public_key)))
            .collect();
        Ok(Self {
            kid: newest.kid.clone(),
            encoding: EncodingKey::from_ed_der(&newest.private_key_der),
            decoding,
        })
    }

    pub fn decoding(&self, kid: &str) -> Option<&DecodingKey> {
        self.decoding.get(kid)
    }
}
