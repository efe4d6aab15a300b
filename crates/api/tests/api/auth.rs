use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use reqwest::Response;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::{Value, json};
use uuid::Uuid;
use vern_api::auth::credentials::{hash_password, new_totp_secret, totp_code};
use vern_api::auth::tokens;
use vern_domain::access::Role;
use vern_domain::access::audit::verify;
use vern_domain::{EmailAddress, OrgKind, OrganizationId};

use crate::helpers::{TestApp, assert_problem, spawn_app, spawn_demo_app};

pub struct TestUser {
    pub id: Uuid,
    pub email: String,
    pub password: String,
    pub totp_secret: Option<String>,
}

pub async fn create_user(
    app: &TestApp,
    email: &str,
    roles: &[(OrganizationId, Role)],
    with_totp: bool,
) -> TestUser {
    let password = format!("lang passordfrase {}", Uuid::now_v7().simple());
    let totp_secret = with_totp.then(|| new_totp_secret().unwrap());
    let now = Utc::now();
    let user = vern_db::identity::insert_user(
        &app.db.conn,
        vern_db::identity::NewUser {
            email: EmailAddress::parse(email).unwrap(),
            display_name: "Testperson".to_owned(),
            password_hash: Some(hash_password(&password).unwrap()),
            totp_secret: totp_secret.as_deref().map(|s| app.secrets.seal(s).unwrap()),
        },
        now,
    )
    .await
    .unwrap();
    for (org, role) in roles {
        vern_db::identity::grant_role(&app.db.conn, *org, user.id, *role, None, now)
            .await
            .unwrap();
    }
    TestUser {
        id: user.id,
        email: email.to_owned(),
        password,
        totp_secret,
    }
}

pub async fn first_org(app: &TestApp, kind: OrgKind) -> OrganizationId {
    let (_, page) = app
        .get_json(&format!("/api/v1/organizations?kind={kind}&limit=1"))
        .await;
    page["items"][0]["id"].as_str().unwrap().parse().unwrap()
}

fn now_secs() -> u64 {
    u64::try_from(Utc::now().timestamp()).unwrap()
}

async fn post(app: &TestApp, path: &str, body: Value) -> Response {
    app.client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn refresh_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("vern_refresh="))
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim_start_matches("vern_refresh=")
                .to_owned()
        })
}

pub struct LoggedIn {
    pub access: String,
    pub refresh: String,
}

pub async fn log_in(app: &TestApp, user: &TestUser) -> LoggedIn {
    let response = post(
        app,
        "/api/v1/auth/login",
        json!({"email": user.email, "password": user.password}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let challenge: Value = response.json().await.unwrap();
    assert_eq!(challenge["methods"], json!(["totp"]));
    let code = totp_code(user.totp_secret.as_deref().unwrap(), now_secs()).unwrap();
    let response = post(
        app,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": challenge["mfa_token"], "code": code}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/api/v1/auth"), "{set_cookie}");
    let refresh = refresh_cookie(&response).unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_u64().unwrap() <= 900);
    LoggedIn {
        access: body["access_token"].as_str().unwrap().to_owned(),
        refresh,
    }
}

async fn me(app: &TestApp, access: &str) -> Response {
    app.client
        .get(app.url("/api/v1/me"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
}

async fn refresh(app: &TestApp, cookie: &str) -> Response {
    app.client
        .post(app.url("/api/v1/auth/refresh"))
        .header("cookie", format!("vern_refresh={cookie}"))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_user_logs_in_with_password_and_totp_and_sees_their_roles() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let user = create_user(
        &app,
        "kari.nordmann@example.org",
        &[(org, Role::PrivacyOfficer), (org, Role::Auditor)],
        true,
    )
    .await;
    let session = log_in(&app, &user).await;
    let response = me(&app, &session.access).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["email"], "kari.nordmann@example.org");
    assert_eq!(body["user_id"], user.id.to_string());
    assert_eq!(body["memberships"][0]["organization_id"], org.to_string());
    assert_eq!(body["memberships"][0]["organization_kind"], "municipality");
    assert_eq!(
        body["memberships"][0]["roles"],
        json!(["privacy_officer", "auditor"])
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    let user = create_user(&app, "ola@example.org", &[], true).await;
    let wrong = post(
        &app,
        "/api/v1/auth/login",
        json!({"email": user.email, "password": "feil passord her"}),
    )
    .await;
    let mut a = assert_problem(wrong, 401, "invalid_credentials").await;
    let unknown = post(
        &app,
        "/api/v1/auth/login",
        json!({"email": "nobody@example.org", "password": "feil passord her"}),
    )
    .await;
    let mut b = assert_problem(unknown, 401, "invalid_credentials").await;
    a["request_id"] = Value::Null;
    b["request_id"] = Value::Null;
    assert_eq!(a, b);
    assert!(!a.to_string().contains("ola@example.org"));
}

#[tokio::test]
async fn a_wrong_or_replayed_totp_code_is_refused() {
    let app = spawn_app().await;
    let user = create_user(&app, "per@example.org", &[], true).await;
    let challenge: Value = post(
        &app,
        "/api/v1/auth/login",
        json!({"email": user.email, "password": user.password}),
    )
    .await
    .json()
    .await
    .unwrap();
    let bad = post(
        &app,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": challenge["mfa_token"], "code": "000000x"}),
    )
    .await;
    assert_problem(bad, 401, "invalid_credentials").await;
    let code = totp_code(user.totp_secret.as_deref().unwrap(), now_secs()).unwrap();
    let ok = post(
        &app,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": challenge["mfa_token"], "code": code}),
    )
    .await;
    assert_eq!(ok.status(), 200);
    let replay = post(
        &app,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": challenge["mfa_token"], "code": code}),
    )
    .await;
    assert_problem(replay, 401, "invalid_credentials").await;
    let forged = post(
        &app,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": "not.a.token", "code": code}),
    )
    .await;
    assert_problem(forged, 401, "invalid_credentials").await;
}

#[tokio::test]
async fn an_account_without_a_second_factor_cannot_log_in() {
    let app = spawn_app().await;
    let user = create_user(&app, "uten@example.org", &[], false).await;
    let response = post(
        &app,
        "/api/v1/auth/login",
        json!({"email": user.email, "password": user.password}),
    )
    .await;
    assert_problem(response, 403, "second_factor_missing").await;
}

#[tokio::test]
async fn malformed_login_bodies_are_4xx_problems() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_problem(response, 400, "invalid_json").await;
    let response = post(&app, "/api/v1/auth/login", json!({"email": 5})).await;
    assert_problem(response, 422, "validation_failed").await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .body("email=x")
        .send()
        .await
        .unwrap();
    assert_problem(response, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn forged_expired_and_misdirected_tokens_are_refused() {
    let app = spawn_app().await;
    let user = create_user(&app, "test@example.org", &[], true).await;
    let session = log_in(&app, &user).await;
    assert_eq!(me(&app, &session.access).await.status(), 200);

    let response = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_problem(response, 401, "unauthenticated").await;

    let parts: Vec<&str> = session.access.split('.').collect();
    let payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    // alg: none
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let none_token = format!("{none_header}.{}.", parts[1]);
    // HS256 signed with the public key id as secret — the classic key-confusion attack.
    let hs = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &payload,
        &jsonwebtoken::EncodingKey::from_secret(b"secret"),
    )
    .unwrap();
    // A changed payload under the original signature.
    let mut forged_payload = payload.clone();
    forged_payload["sub"] = json!(Uuid::now_v7());
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(forged_payload.to_string()),
        parts[2]
    );
    // Expired, and the wrong audience, both properly signed.
    let keys = vern_api::auth::JwtKeys::load_or_create(&app.db)
        .await
        .unwrap();
    let issuer = payload["iss"].as_str().unwrap();
    let sid: Uuid = payload["sid"].as_str().unwrap().parse().unwrap();
    let expired = tokens::issue(
        &keys,
        issuer,
        tokens::ACCESS_AUDIENCE,
        user.id,
        Some(sid),
        now_secs() - 3600,
        600,
    )
    .unwrap();
    let wrong_audience = tokens::issue(
        &keys,
        issuer,
        tokens::MFA_AUDIENCE,
        user.id,
        Some(sid),
        now_secs(),
        600,
    )
    .unwrap();
    let wrong_issuer = tokens::issue(
        &keys,
        "https://elsewhere.example.org",
        tokens::ACCESS_AUDIENCE,
        user.id,
        Some(sid),
        now_secs(),
        600,
    )
    .unwrap();
    for (name, token) in [
        ("none", none_token),
        ("hs256", hs),
        ("tampered", tampered),
        ("expired", expired),
        ("audience", wrong_audience),
        ("issuer", wrong_issuer),
        ("garbage", "abc".to_owned()),
    ] {
        let response = me(&app, &token).await;
        assert_eq!(response.status(), 401, "{name}");
    }
}

#[tokio::test]
async fn refresh_rotates_the_token_and_reuse_ends_the_session() {
    let app = spawn_app().await;
    let user = create_user(&app, "rotasjon@example.org", &[], true).await;
    let session = log_in(&app, &user).await;
    let first = refresh(&app, &session.refresh).await;
    assert_eq!(first.status(), 200);
    let rotated = refresh_cookie(&first).unwrap();
    assert_ne!(rotated, session.refresh);
    let new_access = first.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(me(&app, &new_access).await.status(), 200);

    // Someone replays the old token: the whole session ends, for everyone holding it.
    let reuse = refresh(&app, &session.refresh).await;
    assert_problem(reuse, 401, "unauthenticated").await;
    assert_eq!(me(&app, &new_access).await.status(), 401);
    assert_eq!(refresh(&app, &rotated).await.status(), 401);
    assert_eq!(refresh(&app, "unknown").await.status(), 401);
}

#[tokio::test]
async fn logout_ends_the_session_at_once() {
    let app = spawn_app().await;
    let user = create_user(&app, "ut@example.org", &[], true).await;
    let session = log_in(&app, &user).await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&session.access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(
        response
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(me(&app, &session.access).await.status(), 401);
    assert_eq!(refresh(&app, &session.refresh).await.status(), 401);
}

#[tokio::test]
async fn a_lapsed_grant_stops_working_at_once() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let user = create_user(
        &app,
        "grant@example.org",
        &[(org, Role::RegisterEditor)],
        true,
    )
    .await;
    let session = log_in(&app, &user).await;
    let body: Value = me(&app, &session.access).await.json().await.unwrap();
    assert_eq!(body["memberships"][0]["roles"], json!(["register_editor"]));
    // The end date passes (set in the past); the same access token now carries no role.
    use vern_db::entities::role_grant;
    let grant = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(user.id))
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    let mut active: role_grant::ActiveModel = grant.into();
    active.until = Set(Some(Utc::now() - chrono::Duration::seconds(1)));
    active.update(&app.db.conn).await.unwrap();
    let body: Value = me(&app, &session.access).await.json().await.unwrap();
    assert_eq!(body["memberships"], json!([]));
}

#[tokio::test]
async fn logins_are_audited_in_a_chain_that_detects_tampering() {
    let app = spawn_app().await;
    let user = create_user(&app, "revisjon@example.org", &[], true).await;
    log_in(&app, &user).await;
    post(
        &app,
        "/api/v1/auth/login",
        json!({"email": user.email, "password": "feil passord her"}),
    )
    .await;
    let chain = vern_db::audit::chain(&app.db.conn, None).await.unwrap();
    assert_eq!(chain.len(), 2);
    assert_eq!(verify(&chain), Ok(2));
    assert_eq!(chain[0].action, "auth.login");
    assert!(
        chain.iter().all(|e| !serde_json::to_string(e)
            .unwrap()
            .contains("revisjon@example.org")),
        "no personal data in the log"
    );
    // Someone edits a stored row.
    app.db
        .conn
        .execute_unprepared("UPDATE audit_events SET outcome = 'success' WHERE outcome = 'denied'")
        .await
        .unwrap();
    let chain = vern_db::audit::chain(&app.db.conn, None).await.unwrap();
    assert_eq!(verify(&chain).unwrap_err().sequence, 2);
}

#[tokio::test]
async fn concurrent_audited_requests_keep_one_unbroken_chain() {
    let app = spawn_app().await;
    let attempts = (0..16).map(|i| {
        let body =
            json!({"email": format!("ukjent{i}@example.org"), "password": "feil passord her"});
        let request = app.client.post(app.url("/api/v1/auth/login")).json(&body);
        async move { request.send().await.unwrap().status().as_u16() }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    let chain = vern_db::audit::chain(&app.db.conn, None).await.unwrap();
    assert_eq!(verify(&chain), Ok(16));
}

#[tokio::test]
async fn demo_users_log_in_from_the_credentials_file() {
    let app = spawn_demo_app().await;
    let path = app
        .static_dir
        .parent()
        .unwrap()
        .join("demo-credentials.json");
    let creds: vern_api::demo::DemoCredentials =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(creds.users.len(), 7 + 2 + 3 + 3 + 1);
    assert!(
        creds
            .users
            .iter()
            .all(|u| u.email.ends_with("@example.org"))
    );
    let dpo = creds
        .users
        .iter()
        .find(|u| u.roles == vec![Role::PrivacyOfficer])
        .unwrap();
    let user = TestUser {
        id: Uuid::nil(),
        email: dpo.email.clone(),
        password: dpo.password.clone(),
        totp_secret: Some(dpo.totp_secret.clone()),
    };
    let session = log_in(&app, &user).await;
    let body: Value = me(&app, &session.access).await.json().await.unwrap();
    assert_eq!(body["memberships"][0]["organization_name"], "Oslo kommune");
    assert_eq!(body["memberships"][0]["roles"], json!(["privacy_officer"]));
}

#[tokio::test]
async fn repeated_failures_lock_an_account_whether_or_not_it_exists() {
    let app = spawn_app().await;
    let user = create_user(&app, "laas@example.org", &[], true).await;
    for email in [user.email.as_str(), "finnes.ikke@example.org"] {
        for attempt in 0..6 {
            let response = post(
                &app,
                "/api/v1/auth/login",
                json!({"email": email, "password": "feil passord her"}),
            )
            .await;
            assert_eq!(response.status(), 401, "{email}, attempt {attempt}");
        }
        // Locked now — even the right password waits, and the answer reveals nothing.
        let response = post(
            &app,
            "/api/v1/auth/login",
            json!({"email": email, "password": user.password}),
        )
        .await;
        let wait: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&wait), "{wait}");
        assert_problem(response, 429, "rate_limited").await;
    }
    // Another account from the same address still logs in.
    let other = create_user(&app, "annen.bruker@example.org", &[], true).await;
    log_in(&app, &other).await;
}

#[tokio::test]
async fn guessing_totp_codes_is_throttled_too() {
    let app = spawn_app().await;
    let user = create_user(&app, "kode@example.org", &[], true).await;
    let challenge: Value = post(
        &app,
        "/api/v1/auth/login",
        json!({"email": user.email, "password": user.password}),
    )
    .await
    .json()
    .await
    .unwrap();
    let code = totp_code(user.totp_secret.as_deref().unwrap(), now_secs()).unwrap();
    // A code that is surely wrong: the right one with its last digit changed.
    let last = code.chars().last().and_then(|c| c.to_digit(10)).unwrap();
    let wrong = format!("{}{}", &code[..5], (last + 1) % 10);
    for _ in 0..6 {
        let response = post(
            &app,
            "/api/v1/auth/mfa/totp",
            json!({"mfa_token": challenge["mfa_token"], "code": wrong}),
        )
        .await;
        assert_eq!(response.status(), 401);
    }
    let response = post(
        &app,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": challenge["mfa_token"], "code": code}),
    )
    .await;
    assert_problem(response, 429, "rate_limited").await;
}

#[tokio::test]
async fn database_errors_reach_the_log_without_row_values() {
    let app = spawn_app().await;
    create_user(&app, "dobbel@example.org", &[], false).await;
    let duplicate = vern_db::identity::NewUser {
        email: EmailAddress::parse("dobbel@example.org").unwrap(),
        display_name: "Dobbel".to_owned(),
        password_hash: None,
        totp_secret: None,
    };
    let err = vern_db::identity::insert_user(&app.db.conn, duplicate, Utc::now())
        .await
        .unwrap_err();
    let safe = err.log_safe();
    assert!(safe.starts_with("database statement failed"), "{safe}");
    assert!(!safe.contains("dobbel"), "{safe}");
}

/// Secrets written in the clear (before encryption at rest) are sealed at start-up and
/// keep working; a clear value is never opened as if it were sealed.
#[tokio::test]
async fn clear_totp_secrets_are_sealed_and_keep_working() {
    let app = spawn_app().await;
    let secret = new_totp_secret().unwrap();
    let user = vern_db::identity::insert_user(
        &app.db.conn,
        vern_db::identity::NewUser {
            email: EmailAddress::parse("gammel@example.org").unwrap(),
            display_name: "Gammel konto".to_owned(),
            password_hash: Some(hash_password("et langt gammelt passord").unwrap()),
            totp_secret: Some(secret.clone()),
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let person = TestUser {
        id: user.id,
        email: "gammel@example.org".to_owned(),
        password: "et langt gammelt passord".to_owned(),
        totp_secret: Some(secret.clone()),
    };
    // Until sealed, the server refuses to use a clear value (500, nothing leaks).
    let response = post(
        &app,
        "/api/v1/auth/login",
        json!({"email": person.email, "password": person.password}),
    )
    .await;
    let mfa: Value = response.json().await.unwrap();
    let code = totp_code(&secret, now_secs()).unwrap();
    let response = post(
        &app,
        "/api/v1/auth/mfa/totp",
        json!({"mfa_token": mfa["mfa_token"], "code": code}),
    )
    .await;
    let body = assert_problem(response, 500, "internal_error").await;
    assert!(!body.to_string().contains(&secret));

    let sealed = vern_api::auth::secrets::seal_stored_secrets(&app.db, &app.secrets)
        .await
        .unwrap();
    assert_eq!(sealed, 1);
    let stored = vern_db::identity::find_user(&app.db.conn, user.id)
        .await
        .unwrap()
        .unwrap();
    let kept = stored.totp_secret.unwrap();
    assert!(vern_api::auth::SecretBox::is_sealed(&kept));
    assert_eq!(app.secrets.open(&kept).unwrap(), secret);
    // Sealing again finds nothing left to do.
    assert_eq!(
        vern_api::auth::secrets::seal_stored_secrets(&app.db, &app.secrets)
            .await
            .unwrap(),
        0
    );
    // The failed attempt spent no code: the same step logs in now.
    let session = log_in(&app, &person).await;
    assert_eq!(me(&app, &session.access).await.status(), 200);
}
