//! Integrations with tokens from an external authorisation server (Maskinporten-style): a
//! local issuer in the test publishes its keys (JWKS) on loopback; the keys are made here.
//! Also the per-client rate limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpResponse, HttpServer, web};
use base64::Engine as _;
use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};
use vern_domain::OrganizationId;
use vern_domain::access::Role;

use crate::auth::{create_user, log_in};
use crate::helpers::{Options, TestApp, assert_problem, spawn_app_with};

const AUDIENCE: &str = "https://vern.example.org/api";

/// A small authorisation server: only its published keys, which the test can change.
struct LocalIssuer {
    issuer: String,
    jwks_url: String,
    published: Arc<Mutex<Vec<Value>>>,
    fetches: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct Published {
    keys: Arc<Mutex<Vec<Value>>>,
    fetches: Arc<AtomicUsize>,
}

async fn jwks(data: web::Data<Published>) -> HttpResponse {
    data.fetches.fetch_add(1, Ordering::SeqCst);
    let keys = data.keys.lock().unwrap().clone();
    HttpResponse::Ok().json(json!({ "keys": keys }))
}

impl LocalIssuer {
    fn start() -> Self {
        let published = Published {
            keys: Arc::new(Mutex::new(Vec::new())),
            fetches: Arc::new(AtomicUsize::new(0)),
        };
        let data = web::Data::new(published.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/jwk", web::get().to(jwks))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        let base = format!("http://127.0.0.1:{port}/");
        Self {
            jwks_url: format!("{base}jwk"),
            issuer: base,
            published: published.keys,
            fetches: published.fetches,
        }
    }

    fn publish(&self, keys: &[&SigningKey]) {
        *self.published.lock().unwrap() = keys.iter().map(|k| k.jwk.clone()).collect();
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

struct SigningKey {
    kid: String,
    alg: Algorithm,
    encoding: EncodingKey,
    jwk: Value,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// An RSA key, as Maskinporten signs with (RS256).
fn rsa_key(kid: &str) -> SigningKey {
    let private = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap();
    let der = private.to_pkcs1_der().unwrap();
    SigningKey {
        kid: kid.to_owned(),
        alg: Algorithm::RS256,
        encoding: EncodingKey::from_rsa_der(der.as_bytes()),
        jwk: json!({
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
            "n": b64(&private.n().to_bytes_be()), "e": b64(&private.e().to_bytes_be()),
        }),
    }
}

/// An Ed25519 key (EdDSA), generated as Vern generates its own.
fn ed_key(kid: &str) -> SigningKey {
    let (_, der, public) = vern_api::auth::keys::generate().unwrap();
    SigningKey {
        kid: kid.to_owned(),
        alg: Algorithm::EdDSA,
        encoding: EncodingKey::from_ed_der(&der),
        jwk: json!({"kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": kid, "x": b64(&public)}),
    }
}

fn sign(key: &SigningKey, claims: &Value) -> String {
    let mut header = Header::new(key.alg);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, claims, &key.encoding).unwrap()
}

/// Claims as Maskinporten writes them, living a minute from now (`lifetime` seconds).
fn claims(issuer: &str, orgnr: &str, client_id: &str, scope: &str, lifetime: i64) -> Value {
    let now = Utc::now().timestamp();
    json!({
        "iss": issuer,
        "aud": AUDIENCE,
        "iat": now - 5,
        "exp": now + lifetime,
        "scope": scope,
        "client_id": client_id,
        "client_amr": "private_key_jwt",
        "token_type": "Bearer",
        "jti": uuid::Uuid::now_v7().to_string(),
        "consumer": {"authority": "iso6523-actorid-upis", "ID": format!("0192:{orgnr}")},
    })
}

async fn spawn(issuer: &LocalIssuer) -> TestApp {
    spawn_app_with(Options {
        demo: true,
        external_issuer: Some((issuer.issuer.clone(), issuer.jwks_url.clone())),
        external_audience: Some(AUDIENCE.to_owned()),
        ..Options::default()
    })
    .await
}

/// An administrator who also edits the register; municipalities come without an
/// organisation number, so the administrator sets one (synthetic, from `serial`).
async fn admin_with_number(app: &TestApp, org: OrganizationId, serial: u32) -> (String, String) {
    let admin = create_user(
        app,
        &format!("admin-{}@example.org", uuid::Uuid::now_v7().simple()),
        &[(org, Role::OrgAdmin), (org, Role::RegisterEditor)],
        true,
    )
    .await;
    let admin = log_in(app, &admin).await;
    let number = vern_db::seed::synthetic_org_number(serial).unwrap();
    let response = app
        .send(
            reqwest::Method::PUT,
            &admin.access,
            &format!("/api/v1/organizations/{org}/settings/org-number"),
            None,
            Some(json!({"org_number": number.as_str()})),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["org_number"], number.as_str());
    (admin.access, number.as_str().to_owned())
}

/// The administrator registers the integration's client id; answers the client and the
/// organisation number.
async fn register_external(
    app: &TestApp,
    org: OrganizationId,
    external_id: &str,
    scopes: Value,
) -> (Value, String) {
    let (admin, orgnr) = admin_with_number(app, org, 101).await;
    let response = app
        .post_as(
            &admin,
            &format!("/api/v1/organizations/{org}/api-clients"),
            json!({"name": "Sak/arkiv via Maskinporten", "scopes": scopes, "external_client_id": external_id}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    // No secret: such a client gets its tokens from the external server.
    assert!(created["client_secret"].is_null(), "{created}");
    assert_eq!(created["client"]["external_client_id"], external_id);

    // The same id twice in one organisation is refused, and nothing more is stored.
    let body = assert_problem(
        app.post_as(
            &admin,
            &format!("/api/v1/organizations/{org}/api-clients"),
            json!({"name": "Igjen", "scopes": ["read_register"], "external_client_id": external_id}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "external_client_id");
    assert_eq!(body["errors"][0]["code"], "already_registered");
    let body = assert_problem(
        app.post_as(
            &admin,
            &format!("/api/v1/organizations/{org}/api-clients"),
            json!({"name": "Feil", "scopes": ["read_register"], "external_client_id": "med mellomrom"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "format");
    (created["client"].clone(), orgnr)
}

#[tokio::test]
async fn a_maskinporten_token_acts_for_its_consumer_as_the_registered_client() {
    let issuer = LocalIssuer::start();
    let key = rsa_key("mp-2026-1");
    issuer.publish(&[&key]);
    let app = spawn(&issuer).await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let (client, orgnr) = register_external(
        &app,
        oslo,
        "5b3c2a1e-sak-arkiv",
        json!(["read_register", "edit_register"]),
    )
    .await;

    let token = sign(
        &key,
        &claims(
            &issuer.issuer,
            &orgnr,
            "5b3c2a1e-sak-arkiv",
            "vern:read_register vern:edit_register vern:read_audit_log skatteetaten:x",
            120,
        ),
    );
    let systems = format!("/api/v1/organizations/{oslo}/systems");
    let response = app.get_as(&token, &systems).await;
    assert_eq!(response.status(), 200);
    let response = app
        .post_as(
            &token,
            &systems,
            json!({"name": "Arkiv via Maskinporten", "owning_unit": "Dokumentsenter", "status": "in_use"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let system: Value = response.json().await.unwrap();
    let (status, read) = app
        .get_json_as(
            &token,
            &format!("{systems}/{}", system["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(read["name"], "Arkiv via Maskinporten");
    // The keys were fetched once and then kept.
    app.get_as(&token, &systems).await;
    assert_eq!(issuer.fetches(), 1);

    // The audit log names the registered client as the actor.
    let events = vern_db::audit::chain(&app.db.conn, Some(oslo))
        .await
        .unwrap();
    let created = events
        .iter()
        .find(|e| e.action == "system.created")
        .expect("the creation is audited");
    assert_eq!(
        created.actor_id,
        Some(client["client_id"].as_str().unwrap().parse().unwrap())
    );
    assert_eq!(
        created.actor_kind,
        vern_domain::access::audit::ActorKind::ApiClient
    );

    // A scope the registration lacks gives nothing: the audit log is 403.
    assert_problem(
        app.get_as(
            &token,
            &format!("/api/v1/organizations/{oslo}/audit-events"),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    // Another organisation's register is not there for it.
    assert_problem(
        app.get_as(&token, &format!("/api/v1/organizations/{bergen}/systems"))
            .await,
        404,
        "not_found",
    )
    .await;
    // A token for an organisation Vern does not know by number is refused; so is one for
    // Bergen, once it has its number, whose administrators registered no such client.
    let unknown = vern_db::seed::synthetic_org_number(102).unwrap();
    let for_unknown = sign(
        &key,
        &claims(
            &issuer.issuer,
            unknown.as_str(),
            "5b3c2a1e-sak-arkiv",
            "vern:read_register",
            120,
        ),
    );
    let body = assert_problem(
        app.get_as(
            &for_unknown,
            &format!("/api/v1/organizations/{bergen}/systems"),
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("no organisation"),
        "{body}"
    );
    let (_, bergen_nr) = admin_with_number(&app, bergen, 102).await;
    let for_bergen = sign(
        &key,
        &claims(
            &issuer.issuer,
            &bergen_nr,
            "5b3c2a1e-sak-arkiv",
            "vern:read_register",
            120,
        ),
    );
    let body = assert_problem(
        app.get_as(
            &for_bergen,
            &format!("/api/v1/organizations/{bergen}/systems"),
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("registered"),
        "{body}"
    );
    // The client credentials grant does not work for a client of the external server.
    let response = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client["client_id"].as_str().unwrap()),
            ("client_secret", "anything"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn bad_external_tokens_are_refused() {
    let issuer = LocalIssuer::start();
    let key = rsa_key("mp-2026-1");
    issuer.publish(&[&key]);
    let app = spawn(&issuer).await;
    let oslo = app.org_named("Oslo").await;
    let (_, orgnr) = register_external(
        &app,
        oslo,
        "arkiv",
        json!(["read_register", "edit_register"]),
    )
    .await;
    let systems = format!("/api/v1/organizations/{oslo}/systems");
    let good = claims(&issuer.issuer, &orgnr, "arkiv", "vern:read_register", 120);
    assert_eq!(app.get_as(&sign(&key, &good), &systems).await.status(), 200);

    let mut cases: Vec<(&str, String, &str)> = Vec::new();
    // Expired a minute ago (beyond the five seconds' leeway).
    let mut expired = good.clone();
    expired["iat"] = json!(Utc::now().timestamp() - 180);
    expired["exp"] = json!(Utc::now().timestamp() - 60);
    cases.push(("expired", sign(&key, &expired), "expired"));
    // Another issuer, even with the same key: not ours, and Vern's own keys do not know it.
    let mut other = good.clone();
    other["iss"] = json!("https://maskinporten.example.org/");
    cases.push(("wrong issuer", sign(&key, &other), ""));
    // A kid the issuer does not publish.
    let stranger = ed_key("ukjent-1");
    cases.push(("unknown kid", sign(&stranger, &good), "key"));
    // Our kid, but signed by another key.
    let forged = SigningKey {
        kid: key.kid.clone(),
        ..ed_key("x")
    };
    cases.push(("forged", sign(&forged, &good), ""));
    // HMAC with the published key's id: refused whatever the secret.
    let mut hs = Header::new(Algorithm::HS256);
    hs.kid = Some(key.kid.clone());
    let hmac = jsonwebtoken::encode(&hs, &good, &EncodingKey::from_secret(b"guess")).unwrap();
    cases.push(("hmac", hmac, "algorithm"));
    // Another audience.
    let mut aud = good.clone();
    aud["aud"] = json!("https://other.example.org/api");
    cases.push(("audience", sign(&key, &aud), "audience"));
    // The consumer is not an organisation number; no consumer at all.
    let mut consumer = good.clone();
    consumer["consumer"]["ID"] = json!(format!("0192:{}", "123456789"));
    cases.push(("bad consumer", sign(&key, &consumer), "organisation number"));
    let mut none = good.clone();
    none.as_object_mut().unwrap().remove("consumer");
    cases.push(("no consumer", sign(&key, &none), "consumer"));
    // A client id the organisation has not registered.
    let mut unregistered = good.clone();
    unregistered["client_id"] = json!("someone-else");
    cases.push(("unregistered", sign(&key, &unregistered), "registered"));

    for (what, token, detail) in cases {
        let body = assert_problem(app.get_as(&token, &systems).await, 401, "unauthenticated").await;
        assert!(
            body["detail"].as_str().unwrap_or_default().contains(detail),
            "{what}: {body}"
        );
    }

    // Scope missing: the token reads the register but may not edit it.
    let read_only = sign(&key, &good);
    let body = assert_problem(
        app.post_as(
            &read_only,
            &systems,
            json!({"name": "Ikke lov", "owning_unit": "X", "status": "in_use"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("edit_register"),
        "{body}"
    );
    // Nothing was written.
    let (_, list) = app.get_json_as(&read_only, &systems).await;
    assert!(!list.to_string().contains("Ikke lov"));
    // A token with no Vern scope at all is allowed in, but may do nothing.
    let none_of_ours = sign(
        &key,
        &claims(&issuer.issuer, &orgnr, "arkiv", "altinn:read", 120),
    );
    assert_problem(app.get_as(&none_of_ours, &systems).await, 403, "forbidden").await;
}

#[tokio::test]
async fn a_rotated_key_is_fetched_and_the_retired_one_refused() {
    let issuer = LocalIssuer::start();
    let old = rsa_key("mp-2026-1");
    issuer.publish(&[&old]);
    let app = spawn(&issuer).await;
    let oslo = app.org_named("Oslo").await;
    let (_, orgnr) = register_external(&app, oslo, "arkiv", json!(["read_register"])).await;
    let systems = format!("/api/v1/organizations/{oslo}/systems");
    let body = claims(&issuer.issuer, &orgnr, "arkiv", "vern:read_register", 120);
    let by_old = sign(&old, &body);
    assert_eq!(app.get_as(&by_old, &systems).await.status(), 200);
    assert_eq!(issuer.fetches(), 1);

    // The issuer rotates: the new key is published beside the old, tokens come with it.
    let new = rsa_key("mp-2026-2");
    issuer.publish(&[&old, &new]);
    let by_new = sign(&new, &body);
    assert_eq!(app.get_as(&by_new, &systems).await.status(), 200);
    assert_eq!(
        issuer.fetches(),
        2,
        "the unknown kid made Vern fetch the keys again"
    );
    assert_eq!(app.get_as(&by_old, &systems).await.status(), 200);

    // The old key is retired: once Vern next fetches the keys, its tokens are refused.
    issuer.publish(&[&new]);
    let newest = ed_key("mp-2026-3");
    issuer.publish(&[&new, &newest]);
    assert_eq!(
        app.get_as(&sign(&newest, &body), &systems).await.status(),
        200
    );
    assert_eq!(issuer.fetches(), 3);
    assert_problem(app.get_as(&by_old, &systems).await, 401, "unauthenticated").await;
    assert_eq!(app.get_as(&by_new, &systems).await.status(), 200);
}

#[tokio::test]
async fn an_api_client_over_its_rate_gets_429_with_retry_after() {
    let app = spawn_app_with(Options {
        demo: true,
        client_rate_limit: Some(3),
        ..Options::default()
    })
    .await;
    let oslo = app.org_named("Oslo").await;
    let admin = create_user(&app, "admin@example.org", &[(oslo, Role::OrgAdmin)], true).await;
    let admin = log_in(&app, &admin).await;
    let mut tokens = Vec::new();
    for name in ["SIEM", "Arkiv"] {
        let created: Value = app
            .post_as(
                &admin.access,
                &format!("/api/v1/organizations/{oslo}/api-clients"),
                json!({"name": name, "scopes": ["read_audit_log"]}),
            )
            .await
            .json()
            .await
            .unwrap();
        let token: Value = app
            .client
            .post(app.url("/api/v1/auth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                (
                    "client_id",
                    created["client"]["client_id"].as_str().unwrap(),
                ),
                ("client_secret", created["client_secret"].as_str().unwrap()),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tokens.push(token["access_token"].as_str().unwrap().to_owned());
    }
    let path = format!("/api/v1/organizations/{oslo}/audit-events");
    for _ in 0..3 {
        assert_eq!(app.get_as(&tokens[0], &path).await.status(), 200);
    }
    let response = app.get_as(&tokens[0], &path).await;
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    assert_problem(response, 429, "rate_limited").await;
    // Another client has its own allowance; staff are not limited by it.
    assert_eq!(app.get_as(&tokens[1], &path).await.status(), 200);
    for _ in 0..5 {
        assert_eq!(app.get_as(&admin.access, &path).await.status(), 200);
    }
}

#[tokio::test]
async fn an_administrator_sets_the_organisation_number_which_one_organisation_holds() {
    let app = spawn_app_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let (oslo_admin, number) = admin_with_number(&app, oslo, 103).await;
    let path = format!("/api/v1/organizations/{oslo}/settings/org-number");
    let put = |token: String, path: String, body: Value| {
        let app = &app;
        async move {
            app.send(reqwest::Method::PUT, &token, &path, None, Some(body))
                .await
        }
    };
    // Bad numbers are refused field by field and nothing changes.
    for (input, code) in [
        ("97476067", "length"),
        ("97476067x", "not_digits"),
        ("974760674", "checksum"),
    ] {
        let body = assert_problem(
            put(
                oslo_admin.clone(),
                path.clone(),
                json!({"org_number": input}),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "org_number");
        assert_eq!(body["errors"][0]["code"], code);
    }
    let (_, org) = app.get_json(&format!("/api/v1/organizations/{oslo}")).await;
    assert_eq!(org["org_number"], number);
    // Bergen's administrator cannot take Oslo's number, nor set Oslo's.
    let (bergen_admin, _) = admin_with_number(&app, bergen, 104).await;
    assert_problem(
        put(
            bergen_admin.clone(),
            format!("/api/v1/organizations/{bergen}/settings/org-number"),
            json!({"org_number": number}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    assert_problem(
        put(
            bergen_admin,
            path.clone(),
            json!({"org_number": "974760673"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // Only administrators: a register editor is refused.
    let editor = create_user(
        &app,
        "editor@example.org",
        &[(oslo, Role::RegisterEditor)],
        true,
    )
    .await;
    let editor = log_in(&app, &editor).await;
    assert_problem(
        put(
            editor.access,
            path.clone(),
            json!({"org_number": "974760673"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    // Spaces are allowed as people write it; the change is audited.
    let response = put(oslo_admin, path, json!({"org_number": "974 760 673"})).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["org_number"], "974760673");
    let actions = app.audit_actions(oslo).await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "settings.org_number_set")
            .count(),
        2
    );
}

/// The test identity provider (`vern-test-idp`, which `just run` and `just bench` start) also
/// issues Maskinporten-shaped tokens, EdDSA-signed under its published key; Vern takes them
/// like any issuer's. It refuses a consumer that is not an organisation number.
#[tokio::test]
async fn the_test_identity_providers_machine_tokens_are_accepted() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let idp = format!("http://{}", listener.local_addr().unwrap());
    let server = vern_test_idp::serve(
        listener,
        vern_test_idp::Config {
            issuer: idp.clone(),
            client_id: "vern-local".to_owned(),
            client_secret: None,
        },
    )
    .unwrap();
    tokio::spawn(server);
    let app = spawn_app_with(Options {
        demo: true,
        external_issuer: Some((idp.clone(), format!("{idp}/jwks"))),
        ..Options::default()
    })
    .await;
    let oslo = app.org_named("Oslo").await;
    let (_, orgnr) =
        register_external(&app, oslo, "demo-maskinporten", json!(["read_register"])).await;
    let machine_token = |consumer: String| {
        let (client, url) = (app.client.clone(), format!("{idp}/maskinporten/token"));
        async move {
            client
                .post(url)
                .form(&[
                    ("client_id", "demo-maskinporten"),
                    ("consumer", consumer.as_str()),
                    ("scope", "vern:read_register"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let response = machine_token(orgnr.clone()).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        (body["token_type"].as_str(), body["expires_in"].as_u64()),
        (Some("Bearer"), Some(120))
    );
    let token = body["access_token"].as_str().unwrap();
    let (status, page) = app
        .get_json_as(
            token,
            &format!("/api/v1/organizations/{oslo}/systems?limit=2"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    // Reading only: the registration grants no more than its scopes.
    let response = app
        .post_as(
            token,
            &format!("/api/v1/organizations/{oslo}/systems"),
            json!({"name": "Nei", "owning_unit": "IT", "status": "planned"}),
        )
        .await;
    assert_problem(response, 403, "forbidden").await;
    let refused = machine_token("974760674".to_owned()).await;
    assert_eq!(refused.status(), 400);
}
