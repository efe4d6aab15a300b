//! Signing-key storage and rotation.

use uuid::Uuid;
use vern_api::auth::keys::{JwtKeys, KeySource, rotate};
use vern_api::auth::tokens::{issue, verify};

use crate::helpers::spawn_app;

const ISSUER: &str = "http://localhost:8080";
const AUDIENCE: &str = "vern-test";

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap()
}

#[tokio::test]
async fn a_rotated_key_signs_while_the_old_one_still_verifies_until_retired() {
    let app = spawn_app().await;
    let keys = JwtKeys::load_or_create(&app.db).await.unwrap();
    let old_kid = keys.kid();
    let old_token = issue(&keys, ISSUER, AUDIENCE, Uuid::now_v7(), None, now(), 600).unwrap();

    let new_kid = rotate(&app.db).await.unwrap();
    assert_ne!(new_kid, old_kid);
    // Until the instance rereads the keys it signs with the old one.
    assert_eq!(keys.kid(), old_kid);
    keys.reload(&app.db).await.unwrap();
    assert_eq!(keys.kid(), new_kid);
    let new_token = issue(&keys, ISSUER, AUDIENCE, Uuid::now_v7(), None, now(), 600).unwrap();
    let header = jsonwebtoken::decode_header(&new_token).unwrap();
    assert_eq!(header.kid.as_deref(), Some(new_kid.as_str()));
    // Both verify during the grace period.
    verify(&keys, ISSUER, AUDIENCE, &old_token).unwrap();
    verify(&keys, ISSUER, AUDIENCE, &new_token).unwrap();
    // Another instance starting now finds the new key too.
    let other = JwtKeys::load_or_create(&app.db).await.unwrap();
    assert_eq!(other.kid(), new_kid);
    verify(&other, ISSUER, AUDIENCE, &old_token).unwrap();

    // Once the grace period is over, the old key's tokens are refused.
    let past = chrono::Utc::now() - chrono::Duration::seconds(1);
    vern_db::keys::retire_all(&app.db.conn, past, chrono::Utc::now())
        .await
        .unwrap();
    // (That retired the new key as well; a fresh rotation brings one back.)
    let newest = rotate(&app.db).await.unwrap();
    keys.reload(&app.db).await.unwrap();
    assert_eq!(keys.kid(), newest);
    assert!(verify(&keys, ISSUER, AUDIENCE, &old_token).is_err());
    let listed: Vec<String> = vern_db::keys::all(&app.db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.kid)
        .collect();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0], newest);
}

#[tokio::test]
async fn a_key_file_is_created_private_and_reused() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys").join("jwt.der");
    let first = JwtKeys::open(&app.db, KeySource::File(path.clone()))
        .await
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let token = issue(&first, ISSUER, AUDIENCE, Uuid::now_v7(), None, now(), 600).unwrap();
    // A restart reads the same key: tokens stay valid.
    let again = JwtKeys::open(&app.db, KeySource::File(path.clone()))
        .await
        .unwrap();
    assert_eq!(again.kid(), first.kid());
    verify(&again, ISSUER, AUDIENCE, &token).unwrap();
    // The file's key is not stored in the database.
    assert!(
        vern_db::keys::all(&app.db.conn)
            .await
            .unwrap()
            .iter()
            .all(|k| k.kid != first.kid())
    );
    // A replaced file is a rotation: the old tokens are refused after the restart.
    std::fs::remove_file(&path).unwrap();
    let replaced = JwtKeys::open(&app.db, KeySource::File(path.clone()))
        .await
        .unwrap();
    assert_ne!(replaced.kid(), first.kid());
    assert!(verify(&replaced, ISSUER, AUDIENCE, &token).is_err());
    // Something else in the file: a clear error, not a panic.
    std::fs::write(&path, b"not a key").unwrap();
    let err = JwtKeys::open(&app.db, KeySource::File(path.clone()))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("PKCS#8"), "{err}");
}
