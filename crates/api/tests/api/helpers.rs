use std::path::PathBuf;

use reqwest::{Client, Response};
use sea_orm::ConnectionTrait;
use serde_json::Value;
use vern_api::settings::{LogFormat, Settings};
use vern_api::startup::Application;

pub struct TestApp {
    pub address: String,
    /// The server's configured public URL: WebAuthn's origin.
    pub public_url: String,
    pub client: Client,
    pub db: vern_db::Database,
    pub static_dir: PathBuf,
    /// The server's key for second-factor secrets (tests store users' TOTP secrets sealed).
    pub secrets: vern_api::auth::SecretBox,
    /// The database's URL, for a second instance on the same database.
    pub database_url: String,
    _dir: tempfile::TempDir,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub demo: bool,
    /// `VERN_TRUSTED_PROXIES`.
    pub trusted_proxies: &'static [&'static str],
    /// Resident login through this OpenID Connect issuer (public URL `http://localhost`).
    pub resident_issuer: Option<String>,
    /// `VERN_RESIDENT_TEST_LOGIN`: synthetic national ids accepted.
    pub resident_test_login: bool,
    /// Another instance's database instead of a fresh one.
    pub database_url: Option<String>,
    /// `VERN_SCHEDULER_TICK_MS` and `VERN_SCHEDULER_INTERVAL_MS`.
    pub scheduler: Option<(u64, u64)>,
    /// `VERN_SMTP_URL`.
    pub smtp_url: Option<String>,
    /// `VERN_EXTERNAL_ISSUER` and `VERN_EXTERNAL_JWKS_URL` (keys fetched again at once on an
    /// unknown kid).
    pub external_issuer: Option<(String, String)>,
    /// `VERN_EXTERNAL_AUDIENCE`.
    pub external_audience: Option<String>,
    /// `VERN_CLIENT_RATE_LIMIT_PER_MINUTE`.
    pub client_rate_limit: Option<u32>,
    /// `VERN_WEBHOOK_RETRY_MS`.
    pub webhook_retry_ms: Option<u64>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_demo_app() -> TestApp {
    spawn_app_with(Options {
        demo: true,
        ..Options::default()
    })
    .await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let static_dir = dir.path().join("dist");
    std::fs::create_dir_all(static_dir.join("assets/abc123")).expect("static dir");
    std::fs::write(
        static_dir.join("index.html"),
        "<!doctype html><title>Vern test SPA</title>",
    )
    .expect("index");
    std::fs::write(static_dir.join("assets/abc123/app.js"), "export {};").expect("asset");
    let database_url = match (
        options.database_url.clone(),
        std::env::var("TEST_DATABASE_URL"),
    ) {
        (Some(url), _) => url,
        (None, Ok(base)) if !base.is_empty() => create_postgres_database(&base).await,
        _ => format!("sqlite:{}", dir.path().join("vern.db").display()),
    };
    let settings = Settings {
        http_addr: "127.0.0.1:0".parse().expect("addr"),
        database_url: Some(
            serde_json::from_value(Value::String(database_url.clone())).expect("secret"),
        ),
        data_dir: dir.path().to_path_buf(),
        static_dir: static_dir.clone(),
        demo: options.demo,
        workers: Some(1),
        db_max_connections: 4,
        log: "warn".to_owned(),
        log_format: LogFormat::Pretty,
        trusted_proxies: options
            .trusted_proxies
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        // Connectors in tests answer on loopback: fail fast, retry soon.
        connector_timeout_ms: 2_000,
        connector_retry_ms: 20,
        lookup_timeout_ms: 1_000,
        public_url: options
            .resident_issuer
            .as_ref()
            .map(|_| "http://localhost".to_owned()),
        resident_oidc_issuer: options.resident_issuer.clone(),
        resident_oidc_client_id: options
            .resident_issuer
            .as_ref()
            .map(|_| "vern-test".to_owned()),
        resident_test_login: options.resident_test_login,
        scheduler_tick_ms: options.scheduler.map_or(30_000, |(tick, _)| tick),
        scheduler_interval_ms: options.scheduler.map(|(_, interval)| interval),
        smtp_url: options
            .smtp_url
            .clone()
            .map(|url| serde_json::from_value(Value::String(url)).expect("secret")),
        external_issuer: options.external_issuer.as_ref().map(|(iss, _)| iss.clone()),
        external_jwks_url: options
            .external_issuer
            .as_ref()
            .map(|(_, jwks)| jwks.clone()),
        external_audience: options.external_audience.clone(),
        external_jwks_refresh_seconds: 0,
        client_rate_limit_per_minute: options.client_rate_limit.unwrap_or(600),
        webhook_retry_ms: options.webhook_retry_ms.unwrap_or(60_000),
        ..Settings::default()
    };
    let _ = vern_api::telemetry::init(&settings.log, settings.log_format);
    let public_url = settings.public_url();
    let app = Application::build(settings)
        .await
        .expect("application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.database().clone();
    let secrets = vern_api::auth::SecretBox::open_or_create(&dir.path().join("secrets.key"))
        .expect("the server created its secrets key");
    tokio::spawn(app.run_until_stopped());
    TestApp {
        database_url,
        address,
        public_url,
        client: Client::new(),
        db,
        static_dir,
        secrets,
        _dir: dir,
    }
}

/// A fresh database per test on the shared PostgreSQL server.
async fn create_postgres_database(base: &str) -> String {
    let name = format!("vern_test_{}", uuid::Uuid::now_v7().simple());
    let admin = sea_orm::Database::connect(base)
        .await
        .expect("connect to TEST_DATABASE_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let (prefix, _) = base
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL has a database name");
    format!("{prefix}/{name}")
}

pub fn is_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_as(&self, token: &str, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// GET with the access token: the status and the JSON body.
    pub async fn get_json_as(&self, token: &str, path: &str) -> (u16, Value) {
        let response = self.get_as(token, path).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn post_as(&self, token: &str, path: &str, body: Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete_as(&self, token: &str, path: &str) -> Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// Any request with the access token, an optional `If-Match` and an optional JSON body.
    pub async fn send(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        etag: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(etag) = etag {
            request = request.header("If-Match", etag);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    /// The first organisation whose name matches `q`.
    pub async fn org_named(&self, q: &str) -> vern_domain::OrganizationId {
        let (_, page) = self
            .get_json(&format!("/api/v1/organizations?q={q}&limit=1"))
            .await;
        page["items"][0]["id"].as_str().unwrap().parse().unwrap()
    }

    /// The organisation's audit actions, oldest first.
    pub async fn audit_actions(&self, org: vern_domain::OrganizationId) -> Vec<String> {
        vern_db::audit::chain(&self.db.conn, Some(org))
            .await
            .expect("chain")
            .into_iter()
            .map(|r| r.action)
            .collect()
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.json().await.expect("json body"))
    }
}

/// Checks a response is a problem document with this status and code, and returns it.
pub async fn assert_problem(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(body["status"], status);
    assert_eq!(body["code"], code);
    assert_eq!(
        body["type"],
        format!("https://vern.example/problems/{code}")
    );
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(
        body["request_id"],
        request_id.as_str(),
        "request_id matches the header"
    );
    body
}

/// A response's ETag.
pub fn etag(response: &Response) -> String {
    response.headers()["etag"].to_str().unwrap().to_owned()
}
