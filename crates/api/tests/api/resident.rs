//! The resident portal end to end against a real OpenID Connect provider running in the test
//! (`vern-test-idp`, on loopback): login with PKCE, submitting and following requests, the
//! secure answer window (fresh login, logged, closed after the window) and the purge, which
//! leaves no plaintext in the raw tables. Another resident's request is 404.

use reqwest::redirect::Policy;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use vern_domain::access::Role;

use crate::agreements::{Person, person};
use crate::helpers::{Options, TestApp, assert_problem, etag, spawn_app_with};

const CLIENT_ID: &str = "vern-test";

/// Starts the test identity provider on a free loopback port.
fn start_idp() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let server = vern_test_idp::serve(
        listener,
        vern_test_idp::Config {
            issuer: issuer.clone(),
            client_id: CLIENT_ID.to_owned(),
            client_secret: None,
        },
    )
    .unwrap();
    tokio::spawn(server);
    issuer
}

async fn portal_app(test_login: bool) -> TestApp {
    let issuer = start_idp();
    spawn_app_with(Options {
        demo: true,
        resident_issuer: Some(issuer),
        resident_test_login: test_login,
        ..Options::default()
    })
    .await
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// The value of a cookie the response sets.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let first = v.split(';').next()?;
            let (n, value) = first.split_once('=')?;
            (n.trim() == name).then(|| value.to_owned())
        })
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned()
}

/// A synthetic national id (month + 80).
fn synthetic(day: u8, n: u16) -> String {
    (n..n + 100)
        .find_map(|i| vern_domain::person::synthetic(day, 3, 85, i))
        .unwrap()
        .expose()
}

/// What the browser goes through: Vern → the provider's login page → the provider's form
/// post → Vern's callback. Answers the callback's response.
async fn log_in_at_provider(app: &TestApp, pid: &str, fresh: bool) -> reqwest::Response {
    let browser = browser();
    let start = browser
        .get(app.url(&format!(
            "/api/v1/resident/login?return_to=/innsyn&fresh={fresh}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status().as_u16(), 302);
    let login_cookie = set_cookie(&start, "vern_resident_login").expect("login cookie");
    let authorize = location(&start);
    let url = url::Url::parse(&authorize).unwrap();
    let params: std::collections::HashMap<String, String> =
        url.query_pairs().into_owned().collect();
    assert_eq!(params["code_challenge_method"], "S256");
    assert_eq!(params["response_type"], "code");
    assert_eq!(params["scope"], "openid");
    assert!(params.contains_key("nonce") && params.contains_key("state"));
    if fresh {
        assert_eq!(params["prompt"], "login");
    }
    let page = browser.get(&authorize).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Testinnlogging"),
        "the page says it is a test"
    );
    let mut form: Vec<(String, String)> = params.into_iter().collect();
    form.push(("pid".to_owned(), pid.to_owned()));
    let idp_authorize = format!(
        "{}://{}/authorize",
        url.scheme(),
        url.host_str().unwrap().to_owned() + &format!(":{}", url.port().unwrap())
    );
    let posted = browser
        .post(&idp_authorize)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        posted.status().as_u16(),
        302,
        "the provider sends the browser back"
    );
    let back = url::Url::parse(&location(&posted)).unwrap();
    assert_eq!(back.path(), "/api/v1/resident/callback");
    browser
        .get(app.url(&format!(
            "/api/v1/resident/callback?{}",
            back.query().unwrap()
        )))
        .header("cookie", format!("vern_resident_login={login_cookie}"))
        .send()
        .await
        .unwrap()
}

/// Logs a resident in and answers their session cookie.
async fn resident(app: &TestApp, pid: &str) -> String {
    let callback = log_in_at_provider(app, pid, false).await;
    assert_eq!(callback.status().as_u16(), 302);
    assert_eq!(location(&callback), "/innsyn");
    set_cookie(&callback, "vern_resident").expect("a session cookie")
}

async fn as_resident(
    app: &TestApp,
    cookie: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(method, app.url(path))
        .header("cookie", format!("vern_resident={cookie}"));
    if let Some(b) = body {
        request = request.json(&b);
    }
    request.send().await.unwrap()
}

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    let got = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}

async fn get_json(app: &TestApp, cookie: &str, path: &str, status: u16) -> Value {
    json_of(
        as_resident(app, cookie, reqwest::Method::GET, path, None).await,
        status,
    )
    .await
}

async fn refused_to(app: &TestApp, cookie: &str, path: &str, status: u16, code: &str) {
    assert_problem(
        as_resident(app, cookie, reqwest::Method::GET, path, None).await,
        status,
        code,
    )
    .await;
}

async fn submit(app: &TestApp, cookie: &str, org: &str, text: &str) -> Value {
    json_of(
        as_resident(
            app,
            cookie,
            reqwest::Method::POST,
            "/api/v1/resident/requests",
            Some(json!({
                "organization_id": org,
                "kind": "access",
                "name": "Portal Testesen",
                "email": "portal.testesen@example.org",
                "description": text,
                "subject_categories": ["dpv:ParentOfDataSubject"]
            })),
        )
        .await,
        201,
    )
    .await
}

async fn oslo(app: &TestApp) -> String {
    app.org_named("Oslo").await.to_string()
}

async fn caseworker(app: &TestApp, tag: &str) -> Person {
    let oslo = app.org_named("Oslo").await;
    person(
        app,
        &format!("portal-saksbehandler-{tag}@example.org"),
        oslo,
        Role::RequestCaseworker,
    )
    .await
}

async fn step(app: &TestApp, who: &Person, id: &str, body: Value) {
    let current = app
        .get_as(&who.token, &format!("/api/v1/requests/{id}"))
        .await;
    let tag = etag(&current);
    let response = app
        .send(
            reqwest::Method::POST,
            &who.token,
            &format!("/api/v1/requests/{id}/transitions"),
            Some(&tag),
            Some(body),
        )
        .await;
    assert_eq!(
        response.status().as_u16(),
        200,
        "{}",
        response.text().await.unwrap()
    );
}

async fn execute(app: &TestApp, sql: &str) {
    let backend = app.db.conn.get_database_backend();
    app.db
        .conn
        .execute_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_resident_logs_in_through_the_provider_and_sees_who_they_are() {
    let app = portal_app(true).await;
    let pid = synthetic(4, 10);
    let cookie = resident(&app, &pid).await;
    let me = get_json(&app, &cookie, "/api/v1/resident/me", 200).await;
    assert_eq!(me["national_id_masked"], format!("{}*****", &pid[..6]));
    assert!(
        !me.to_string().contains(&pid),
        "the full number is never shown"
    );
    // The session cookie is HttpOnly, Strict and scoped to the resident API.
    let callback = log_in_at_provider(&app, &pid, false).await;
    let raw = callback
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("vern_resident="))
        .unwrap();
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Strict"),
        "{raw}"
    );
    assert!(raw.contains("Path=/api/v1/resident"), "{raw}");
    // Without the cookie, nothing.
    assert_problem(app.get("/api/v1/resident/me").await, 401, "unauthenticated").await;
    // Logging out ends the session server-side, not just in the browser.
    let out = as_resident(
        &app,
        &cookie,
        reqwest::Method::POST,
        "/api/v1/resident/logout",
        None,
    )
    .await;
    assert_eq!(out.status().as_u16(), 204);
    refused_to(&app, &cookie, "/api/v1/resident/me", 401, "unauthenticated").await;
    let actions: Vec<String> = {
        let backend = app.db.conn.get_database_backend();
        app.db
            .conn
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT action FROM audit_events WHERE actor_kind = 'resident' ORDER BY sequence",
            ))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<String>("", "action").unwrap())
            .collect()
    };
    assert_eq!(
        actions,
        ["resident.login", "resident.login", "resident.logout"]
    );
}

#[tokio::test]
async fn logins_that_do_not_hold_up_are_refused() {
    let app = portal_app(true).await;
    // The provider refuses a real (non-synthetic) number on its page.
    let browser = browser();
    let start = browser
        .get(app.url("/api/v1/resident/login"))
        .send()
        .await
        .unwrap();
    let authorize = location(&start);
    let url = url::Url::parse(&authorize).unwrap();
    let mut form: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    // Skatteetaten's worked example: a valid, ordinary fødselsnummer's shape.
    let real = (0..999u16)
        .find_map(|i| {
            let d = format!("010190{i:03}");
            let digits: Vec<u8> = d.bytes().map(|b| b - b'0').collect();
            let mut ten = [0u8; 10];
            ten[..9].copy_from_slice(&digits);
            (0..10).find_map(|k| {
                ten[9] = k;
                vern_domain::person::complete_check_digit(ten)
            })
        })
        .unwrap()
        .expose();
    assert!(
        !vern_domain::person::NationalId::parse(&real)
            .unwrap()
            .is_synthetic()
    );
    form.push(("pid".to_owned(), real));
    let posted = browser
        .post(format!(
            "http://{}:{}/authorize",
            url.host_str().unwrap(),
            url.port().unwrap()
        ))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status().as_u16(), 422, "no code for a real person");

    // A callback whose state does not match the login cookie's.
    let callback = log_in_at_provider(&app, &synthetic(5, 10), false).await;
    assert!(set_cookie(&callback, "vern_resident").is_some());
    let forged = browser
        .get(app.url("/api/v1/resident/callback?code=abc&state=forged"))
        .header("cookie", "vern_resident_login=not-sealed")
        .send()
        .await
        .unwrap();
    assert_eq!(location(&forged), "/innsyn?login_error=expired");
    assert!(set_cookie(&forged, "vern_resident").is_none());
    // The provider says no.
    let denied = browser
        .get(app.url("/api/v1/resident/callback?error=access_denied&state=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&denied), "/innsyn?login_error=refused");
}

#[tokio::test]
async fn synthetic_numbers_are_refused_without_the_test_login() {
    // The same provider, but Vern is not in test-login mode: a production configuration
    // would refuse everything the test provider issues.
    let app = portal_app(false).await;
    let callback = log_in_at_provider(&app, &synthetic(6, 10), false).await;
    assert_eq!(
        location(&callback),
        "/innsyn?login_error=synthetic_id_refused"
    );
    assert!(set_cookie(&callback, "vern_resident").is_none());
}

#[tokio::test]
async fn a_resident_submits_follows_and_reads_the_answer_in_the_window() {
    let app = portal_app(true).await;
    let org = oslo(&app).await;
    let kari = resident(&app, &synthetic(7, 10)).await;
    let ola = resident(&app, &synthetic(8, 10)).await;

    // Bad input: nothing is stored.
    let bad = as_resident(
        &app,
        &kari,
        reqwest::Method::POST,
        "/api/v1/resident/requests",
        Some(json!({"organization_id": uuid::Uuid::now_v7(), "kind": "access", "name": "", "description": ""})),
    )
    .await;
    let problem = assert_problem(bad, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["organization_id", "name", "description"]);

    let municipalities = get_json(&app, &kari, "/api/v1/resident/municipalities", 200).await;
    assert!(
        municipalities["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == org.as_str())
    );

    let text = "Hvilke opplysninger har Oslo kommune om meg og barna mine?";
    let created = submit(&app, &kari, &org, text).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["status"], "received");
    assert_eq!(created["answer"], "pending");
    assert_eq!(created["description"], text);
    assert!(created["due_on"].is_string());
    assert_eq!(created["notices"][0]["kind"], "received");

    // Only Kari sees it.
    let mine = get_json(&app, &kari, "/api/v1/resident/requests", 200).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let theirs = get_json(&app, &ola, "/api/v1/resident/requests", 200).await;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0);
    for path in [
        format!("/api/v1/resident/requests/{id}"),
        format!("/api/v1/resident/requests/{id}/answer"),
    ] {
        refused_to(&app, &ola, &path, 404, "not_found").await;
    }

    // The caseworker has it, from the portal, with its deadline and the resident's words.
    let worker = caseworker(&app, "answer").await;
    let case: Value = app
        .get_as(&worker.token, &format!("/api/v1/requests/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(case["channel"], "portal");
    assert_eq!(case["deadline"]["due"], created["due_on"]);
    assert_eq!(case["contents"]["description"], text);
    assert_eq!(case["contents"]["requester"]["name"], "Portal Testesen");

    // Not yet answered.
    refused_to(
        &app,
        &kari,
        &format!("/api/v1/resident/requests/{id}/answer"),
        409,
        "invalid_transition",
    )
    .await;

    // Extension: the resident is told, with the reasons.
    let ext = app
        .send(
            reqwest::Method::POST,
            &worker.token,
            &format!("/api/v1/requests/{id}/extend"),
            Some(&etag(
                &app.get_as(&worker.token, &format!("/api/v1/requests/{id}"))
                    .await,
            )),
            Some(json!({"months": 1, "reasons": "Mange systemer må gjennomgås."})),
        )
        .await;
    assert_eq!(ext.status().as_u16(), 200, "{}", ext.text().await.unwrap());
    let followed = get_json(&app, &kari, &format!("/api/v1/resident/requests/{id}"), 200).await;
    let extended = followed["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "extended")
        .unwrap();
    assert_eq!(extended["text"], "Mange systemer må gjennomgås.");
    assert_eq!(followed["extension_months"], 1);

    step(&app, &worker, &id, json!({"action": "start"})).await;
    let reply = "Vi har opplysninger om deg i Skolesekk: klasse og foresatte.";
    step(
        &app,
        &worker,
        &id,
        json!({"action": "answer", "explanation": reply}),
    )
    .await;

    let followed = get_json(&app, &kari, &format!("/api/v1/resident/requests/{id}"), 200).await;
    assert_eq!(followed["answer"], "ready");
    assert!(
        followed["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "answer_ready")
    );
    assert!(
        !followed.to_string().contains(reply),
        "the answer is read in the window only"
    );

    // A login older than the fresh-login limit is not enough.
    execute(
        &app,
        &format!(
            "UPDATE resident_sessions SET auth_time = '{}'",
            (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339()
        ),
    )
    .await;
    refused_to(
        &app,
        &kari,
        &format!("/api/v1/resident/requests/{id}/answer"),
        401,
        "fresh_login_required",
    )
    .await;
    // A fresh login (the provider is asked to make them log in again) opens it.
    let callback = log_in_at_provider(&app, &synthetic(7, 10), true).await;
    let kari = set_cookie(&callback, "vern_resident").unwrap();
    let answer = get_json(
        &app,
        &kari,
        &format!("/api/v1/resident/requests/{id}/answer"),
        200,
    )
    .await;
    assert_eq!(answer["text"], reply);
    assert_eq!(answer["status"], "answered");
    let download = as_resident(
        &app,
        &kari,
        reqwest::Method::GET,
        &format!("/api/v1/resident/requests/{id}/answer/download"),
        None,
    )
    .await;
    assert_eq!(download.status().as_u16(), 200);
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(download.text().await.unwrap(), reply);

    // Every view and download is in the case's history and the audit log.
    let history: Value = app
        .get_as(
            &worker.token,
            &format!("/api/v1/requests/{id}/events?limit=100"),
        )
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.ends_with(&["answered", "answer_viewed", "answer_downloaded"]),
        "{kinds:?}"
    );
    let actions = app.audit_actions(app.org_named("Oslo").await).await;
    for action in [
        "request.registered",
        "request.answer_viewed",
        "request.answer_downloaded",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }

    // The window closes: the answer is gone for the resident.
    {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use vern_db::entities::request as r;
        r::Entity::update_many()
            .col_expr(
                r::Column::AnswerUntil,
                Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
            )
            .filter(r::Column::Id.eq(uuid::Uuid::parse_str(&id).unwrap()))
            .exec(&app.db.conn)
            .await
            .unwrap();
    }
    refused_to(
        &app,
        &kari,
        &format!("/api/v1/resident/requests/{id}/answer"),
        410,
        "answer_window_closed",
    )
    .await;

    // The purge takes the contents, texts and results; the metadata stays.
    let request_id = uuid::Uuid::parse_str(&id).unwrap();
    let sealed = |app: &TestApp| {
        let db = app.db.conn.clone();
        async move {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let row = vern_db::entities::request::Entity::find_by_id(request_id)
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            let texts = vern_db::entities::request_event::Entity::find()
                .filter(vern_db::entities::request_event::Column::RequestId.eq(request_id))
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .filter(|e| e.text.is_some())
                .count();
            (row.contents.is_some(), texts, row.purged_at.is_some())
        }
    };
    assert_eq!(
        sealed(&app).await,
        (true, 2, false),
        "sealed contents, reasons and reply before"
    );
    let purged = vern_api::residents::purge_closed_windows(&app.db, chrono::Utc::now())
        .await
        .unwrap();
    assert!(purged >= 1);
    assert_eq!(
        sealed(&app).await,
        (false, 0, true),
        "nothing sealed is left after"
    );
    for table in ["requests", "request_events", "request_tasks"] {
        let dump = dump_table(&app, table).await;
        assert!(table == "request_tasks" || !dump.is_empty(), "{table}");
        for secret in [
            text,
            reply,
            "Portal Testesen",
            "portal.testesen@example.org",
            "Mange systemer",
        ] {
            assert!(!dump.contains(secret), "{table} still holds {secret}");
        }
    }
    let case: Value = app
        .get_as(&worker.token, &format!("/api/v1/requests/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(case["contents"].is_null());
    assert_eq!(case["status"], "answered", "the metadata remains");
    assert_eq!(case["reference"], created["reference"]);
    let followed = get_json(&app, &kari, &format!("/api/v1/resident/requests/{id}"), 200).await;
    assert_eq!(followed["answer"], "closed");
    assert!(followed["description"].is_null());
}

/// Every column of every row, as text.
async fn dump_table(app: &TestApp, table: &str) -> String {
    let backend = app.db.conn.get_database_backend();
    let sql = if crate::helpers::is_postgres() {
        format!("SELECT CAST(row_to_json(t) AS TEXT) AS j FROM {table} t")
    } else {
        let columns: Vec<String> = app
            .db
            .conn
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT name FROM pragma_table_info('{table}')"),
            ))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<String>("", "name").unwrap())
            .collect();
        let parts: Vec<String> = columns
            .iter()
            .map(|c| format!("COALESCE(CAST({c} AS TEXT), '')"))
            .collect();
        format!(
            "SELECT CAST({} AS BLOB) AS j FROM {table}",
            parts.join(" || '|' || ")
        )
    };
    app.db
        .conn
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .iter()
        .map(|r| {
            if crate::helpers::is_postgres() {
                r.try_get::<String>("", "j").unwrap()
            } else {
                String::from_utf8_lossy(&r.try_get::<Vec<u8>>("", "j").unwrap()).into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn attach(
    app: &TestApp,
    cookie: &str,
    id: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!(
            "/api/v1/resident/requests/{id}/attachments?file_name={name}"
        )))
        .header("cookie", format!("vern_resident={cookie}"))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn attached_files_reach_the_caseworker_only_and_go_with_the_purge() {
    let app = portal_app(true).await;
    let org = oslo(&app).await;
    let kari = resident(&app, &synthetic(9, 10)).await;
    let ola = resident(&app, &synthetic(10, 10)).await;
    let created = submit(&app, &kari, &org, "Se vedlagte brev fra skolen.").await;
    let id = created["id"].as_str().unwrap().to_owned();

    let pdf = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let added = json_of(
        attach(&app, &kari, &id, "brev%20fra%20skolen.pdf", pdf.clone()).await,
        201,
    )
    .await;
    assert_eq!(added["kind"], "pdf");
    assert_eq!(added["file_name"], "brev fra skolen.pdf");
    assert_eq!(added["size"], pdf.len());

    // What is not accepted: another kind, a path for a name, too large, someone else's case.
    let exe = attach(&app, &kari, &id, "x.exe", b"MZ\x90\x00\x03\x00".to_vec()).await;
    let problem = assert_problem(exe, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "unsupported_file_type");
    let path = attach(&app, &kari, &id, "..%2Fx.pdf", pdf.clone()).await;
    assert_eq!(
        assert_problem(path, 422, "validation_failed").await["errors"][0]["code"],
        "invalid_file_name"
    );
    let big = attach(&app, &kari, &id, "big.txt", vec![b'a'; 5 * 1024 * 1024 + 1]).await;
    assert_problem(big, 413, "payload_too_large").await;
    assert_problem(
        attach(&app, &ola, &id, "x.pdf", pdf.clone()).await,
        404,
        "not_found",
    )
    .await;
    refused_to(
        &app,
        &ola,
        &format!("/api/v1/resident/requests/{id}/attachments"),
        404,
        "not_found",
    )
    .await;
    let listed = get_json(
        &app,
        &kari,
        &format!("/api/v1/resident/requests/{id}/attachments"),
        200,
    )
    .await;
    assert_eq!(
        listed["items"].as_array().unwrap().len(),
        1,
        "nothing refused was stored"
    );

    // The caseworker lists and downloads it; the DPO and the auditor may not, another
    // municipality does not know the case.
    let worker = caseworker(&app, "files").await;
    let oslo_id = app.org_named("Oslo").await;
    let dpo = person(
        &app,
        "portal-pvo-files@example.org",
        oslo_id,
        Role::PrivacyOfficer,
    )
    .await;
    let auditor = person(
        &app,
        "portal-revisor-files@example.org",
        oslo_id,
        Role::Auditor,
    )
    .await;
    let bergen = person(
        &app,
        "portal-bergen-files@example.org",
        app.org_named("Bergen").await,
        Role::RequestCaseworker,
    )
    .await;
    let list_path = format!("/api/v1/requests/{id}/attachments");
    let list: Value = app
        .get_as(&worker.token, &list_path)
        .await
        .json()
        .await
        .unwrap();
    let file_id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let file_path = format!("/api/v1/requests/{id}/attachments/{file_id}");
    let download = app.get_as(&worker.token, &file_path).await;
    assert_eq!(download.status().as_u16(), 200);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(download.bytes().await.unwrap().to_vec(), pdf);
    for who in [&dpo, &auditor] {
        assert_problem(app.get_as(&who.token, &list_path).await, 403, "forbidden").await;
        assert_problem(app.get_as(&who.token, &file_path).await, 403, "forbidden").await;
    }
    assert_problem(
        app.get_as(&bergen.token, &file_path).await,
        404,
        "not_found",
    )
    .await;
    let actions = app.audit_actions(oslo_id).await;
    for action in ["request.attachment_added", "request.attachment_downloaded"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }

    // Closed: no more files. After the window: names and bytes are gone.
    step(&app, &worker, &id, json!({"action": "start"})).await;
    step(
        &app,
        &worker,
        &id,
        json!({"action": "answer", "explanation": "Svar."}),
    )
    .await;
    assert_problem(
        attach(&app, &kari, &id, "sent.pdf", pdf.clone()).await,
        409,
        "invalid_transition",
    )
    .await;
    {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use vern_db::entities::request as r;
        r::Entity::update_many()
            .col_expr(
                r::Column::AnswerUntil,
                Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
            )
            .filter(r::Column::Id.eq(uuid::Uuid::parse_str(&id).unwrap()))
            .exec(&app.db.conn)
            .await
            .unwrap();
    }
    vern_api::residents::purge_closed_windows(&app.db, chrono::Utc::now())
        .await
        .unwrap();
    assert_problem(app.get_as(&worker.token, &file_path).await, 410, "gone").await;
    let after: Value = app
        .get_as(&worker.token, &list_path)
        .await
        .json()
        .await
        .unwrap();
    assert!(after["items"][0]["file_name"].is_null());
    assert_eq!(
        after["items"][0]["sha256"], added["sha256"],
        "the metadata remains"
    );
    let dump = dump_table(&app, "request_attachments").await;
    assert!(!dump.contains("brev fra skolen") && !dump.contains("%PDF"));
    {
        use sea_orm::EntityTrait;
        let rows = vern_db::entities::request_attachment::Entity::find()
            .all(&app.db.conn)
            .await
            .unwrap();
        assert!(
            rows.iter()
                .all(|r| r.content.is_none() && r.file_name.is_none())
        );
    }
}

#[tokio::test]
async fn a_resident_withdraws_their_own_open_request_only() {
    let app = portal_app(true).await;
    let org = oslo(&app).await;
    let kari = resident(&app, &synthetic(11, 10)).await;
    let ola = resident(&app, &synthetic(12, 10)).await;
    let created = submit(&app, &kari, &org, "Jeg ombestemte meg.").await;
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/resident/requests/{id}/withdraw");
    let post = |cookie: String, path: String| {
        let app = &app;
        async move { as_resident(app, &cookie, reqwest::Method::POST, &path, None).await }
    };
    assert_problem(post(ola.clone(), path.clone()).await, 404, "not_found").await;
    let withdrawn = json_of(post(kari.clone(), path.clone()).await, 200).await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["answer"], "none");
    assert!(withdrawn["due_on"].is_null());
    assert!(
        withdrawn["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "withdrawn")
    );
    assert_problem(
        post(kari.clone(), path.clone()).await,
        409,
        "invalid_transition",
    )
    .await;
    let worker = caseworker(&app, "withdraw").await;
    let case: Value = app
        .get_as(&worker.token, &format!("/api/v1/requests/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(case["status"], "withdrawn");
    assert!(case["allowed_actions"].as_array().unwrap().is_empty());
    let actions = app.audit_actions(app.org_named("Oslo").await).await;
    assert!(
        actions.iter().any(|a| a == "request.withdrawn"),
        "{actions:?}"
    );
}

/// A demo number: the same synthetic series the demo seeds its guardians from.
fn demo_number(day: u8, month: u8, year: u8, individual: u16) -> String {
    (individual..individual + 40)
        .find_map(|i| vern_domain::person::synthetic(day, month, year, i))
        .unwrap()
        .expose()
}

#[tokio::test]
async fn a_guardian_sees_and_withdraws_a_consent_in_the_portal_and_others_cannot() {
    let app = portal_app(true).await;
    // Demo Forelder Nilsen gave Oslo consent to photos of their child.
    let parent = resident(&app, &demo_number(7, 7, 88, 120)).await;
    let mine = get_json(&app, &parent, "/api/v1/resident/consents", 200).await;
    let items = mine["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{mine}");
    let consent = &items[0];
    assert_eq!(consent["resident_is"], "guardian");
    assert_eq!(consent["status"], "active");
    assert_eq!(consent["can_withdraw"], true);
    assert_eq!(consent["organization_name"], "Oslo kommune");
    assert_eq!(consent["subject"]["name"], "Demo Barn Nilsen");
    assert_eq!(consent["recorded_by"], Value::Null);
    let id = consent["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/resident/consents/{id}/withdraw");

    // Someone else: sees none of it and cannot withdraw it.
    let stranger = resident(&app, &synthetic(9, 400)).await;
    let theirs = get_json(&app, &stranger, "/api/v1/resident/consents", 200).await;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0);
    assert_problem(
        as_resident(&app, &stranger, reqwest::Method::POST, &path, None).await,
        404,
        "not_found",
    )
    .await;
    // Without a session: 401.
    assert_problem(
        app.client.post(app.url(&path)).send().await.unwrap(),
        401,
        "unauthenticated",
    )
    .await;

    // The guardian withdraws: through the portal, now; once.
    let withdrawn = json_of(
        as_resident(&app, &parent, reqwest::Method::POST, &path, None).await,
        200,
    )
    .await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["can_withdraw"], false);
    assert_eq!(withdrawn["withdrawal"]["channel"], "portal");
    assert_eq!(withdrawn["withdrawal"]["withdrawn_by"], "guardian");
    assert_problem(
        as_resident(&app, &parent, reqwest::Method::POST, &path, None).await,
        409,
        "invalid_transition",
    )
    .await;

    // Oslo's caseworker sees the withdrawal from the portal; the audit names no person.
    let oslo = app.org_named("Oslo").await;
    let worker = caseworker(&app, "samtykke").await;
    let seen: Value = app
        .get_as(
            &worker.token,
            &format!("/api/v1/organizations/{oslo}/consents/{id}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["status"], "withdrawn");
    assert_eq!(seen["withdrawal"]["channel"], "portal");
    assert!(
        app.audit_actions(oslo)
            .await
            .iter()
            .any(|a| a == "consent.withdrawn")
    );
}
