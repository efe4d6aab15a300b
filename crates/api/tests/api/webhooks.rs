//! Webhooks: a receiver on loopback gets signed deliveries with ids only, failed ones are
//! retried with growing waits until answered or given up, every delivery is logged and can
//! be replayed; and the refusals.

use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::Utc;
use serde_json::{Value, json};
use vern_domain::OrganizationId;
use vern_domain::access::Role;

use crate::auth::{create_user, log_in};
use crate::helpers::{Options, TestApp, assert_problem, spawn_app_with};

/// What the receiver got: headers of interest and the raw body.
#[derive(Debug, Clone)]
struct Received {
    signature: String,
    event: String,
    delivery: String,
    body: Vec<u8>,
}

#[derive(Clone)]
struct ReceiverState {
    received: Arc<Mutex<Vec<Received>>>,
    /// The statuses to answer, in turn; the last one repeats.
    answers: Arc<Mutex<Vec<u16>>>,
}

async fn receive(
    state: web::Data<ReceiverState>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    state.received.lock().unwrap().push(Received {
        signature: header("vern-signature"),
        event: header("vern-event"),
        delivery: header("vern-delivery"),
        body: body.to_vec(),
    });
    let status = {
        let mut answers = state.answers.lock().unwrap();
        if answers.len() > 1 {
            answers.remove(0)
        } else {
            answers[0]
        }
    };
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
}

struct Receiver {
    url: String,
    state: ReceiverState,
}

impl Receiver {
    fn start(answers: &[u16]) -> Self {
        let state = ReceiverState {
            received: Arc::new(Mutex::new(Vec::new())),
            answers: Arc::new(Mutex::new(answers.to_vec())),
        };
        let data = web::Data::new(state.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/vern/events", web::post().to(receive))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Self {
            url: format!("http://127.0.0.1:{port}/vern/events"),
            state,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }

    /// The deliveries about one object, in the order they came.
    fn about(&self, object_id: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| {
                serde_json::from_slice::<Value>(&r.body)
                    .is_ok_and(|b| b["object"]["id"] == object_id)
            })
            .collect()
    }

    /// Waits (at most 20 s) until `n` deliveries about the object have arrived.
    async fn wait_for(&self, object_id: &str, n: usize) -> Vec<Received> {
        for _ in 0..400 {
            let got = self.about(object_id);
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(StdDuration::from_millis(50)).await;
        }
        panic!(
            "expected {n} deliveries, got {:?}",
            self.about(object_id).len()
        );
    }
}

async fn spawn(retry_ms: u64) -> TestApp {
    spawn_app_with(Options {
        demo: true,
        scheduler: Some((50, 50)),
        webhook_retry_ms: Some(retry_ms),
        ..Options::default()
    })
    .await
}

async fn admin_of(app: &TestApp, org: OrganizationId, roles: &[Role]) -> String {
    let grants: Vec<_> = roles.iter().map(|r| (org, *r)).collect();
    let user = create_user(
        app,
        &format!("webhook-{}@example.org", uuid::Uuid::now_v7().simple()),
        &grants,
        true,
    )
    .await;
    log_in(app, &user).await.access
}

fn breach() -> Value {
    let aware = Utc::now() - chrono::Duration::hours(1);
    json!({
        "title": "Elevliste sendt til Kari Nordmann ved en feil",
        "occurred_from": (aware - chrono::Duration::hours(2)).to_rfc3339(),
        "aware_at": aware.to_rfc3339(),
        "discovered_how": "Mottakeren sa fra",
        "classes": ["confidentiality"],
        "description": "En e-post med elevliste gikk til en foresatt i en annen klasse.",
        "data_categories": ["pd:Name"],
        "data_subjects": ["dpv:Student"],
        "subjects_approx": 28,
        "consequences": "Andre kan få vite hvem som går i klassen.",
        "measures_taken": "",
        "risk": "not_assessed"
    })
}

/// Waits (at most 20 s) until the webhook's log shows a delivery in `status` with `attempts`.
async fn wait_for_log(
    app: &TestApp,
    token: &str,
    org: OrganizationId,
    hook: &str,
    status: &str,
    attempts: i64,
) -> Value {
    let path = format!("/api/v1/organizations/{org}/webhooks/{hook}/deliveries?status={status}");
    for _ in 0..400 {
        let (code, page) = app.get_json_as(token, &path).await;
        assert_eq!(code, 200, "{page}");
        if let Some(d) = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["attempts"] == attempts)
        {
            return d.clone();
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    panic!("no {status} delivery after {attempts} attempts");
}

#[tokio::test]
async fn an_incident_is_delivered_signed_with_ids_only_retried_and_replayed() {
    // The receiver fails the first attempt, then takes everything.
    let receiver = Receiver::start(&[503, 204]);
    let app = spawn(100).await;
    let oslo = app.org_named("Oslo").await;
    let admin = admin_of(
        &app,
        oslo,
        &[
            Role::OrgAdmin,
            Role::PrivacyOfficer,
            Role::RequestCaseworker,
        ],
    )
    .await;

    let response = app
        .post_as(
            &admin,
            &format!("/api/v1/organizations/{oslo}/webhooks"),
            json!({"url": receiver.url, "event_types": ["incident.registered", "request.received", "request.deadline_approaching"], "description": "Sak/arkiv"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    let hook = created["webhook"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created["webhook"]["event_types"],
        json!([
            "request.received",
            "request.deadline_approaching",
            "incident.registered"
        ])
    );
    // The list never shows the secret again.
    let (_, list) = app
        .get_json_as(&admin, &format!("/api/v1/organizations/{oslo}/webhooks"))
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(!list.to_string().contains(&secret));

    let response = app
        .post_as(
            &admin,
            &format!("/api/v1/organizations/{oslo}/incidents"),
            breach(),
        )
        .await;
    assert_eq!(response.status(), 201);
    let incident: Value = response.json().await.unwrap();
    let incident_id = incident["id"].as_str().unwrap();

    // First attempt 503, the retry (after 100 ms) is answered.
    let got = receiver.wait_for(incident_id, 2).await;
    let first = &got[0];
    let body: Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(first.event, "incident.registered");
    assert_eq!(body["type"], "incident.registered");
    assert_eq!(
        body["object"],
        json!({"type": "incident", "id": incident_id})
    );
    assert_eq!(body["organization_id"], oslo.to_string());
    assert_eq!(body["delivery_id"], first.delivery);
    // Ids and types only: nothing of the incident's text or its people.
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "delivery_id",
            "event_id",
            "object",
            "occurred_at",
            "organization_id",
            "type"
        ]
    );
    let raw = String::from_utf8(first.body.clone()).unwrap();
    assert!(!raw.contains("Kari") && !raw.contains("Elevliste"));
    // Signed with the secret over "<t>.<body>"; the same bytes with another secret fail.
    for delivery in &got {
        vern_domain::connector::verify(
            secret.as_bytes(),
            &delivery.signature,
            &delivery.body,
            Utc::now().timestamp(),
        )
        .expect("the signature verifies with the webhook's secret");
    }
    assert!(
        vern_domain::connector::verify(
            b"another secret",
            &first.signature,
            &first.body,
            Utc::now().timestamp()
        )
        .is_err()
    );
    // The retry is the same delivery.
    assert_eq!(got[1].delivery, first.delivery);

    let logged = wait_for_log(&app, &admin, oslo, &hook, "delivered", 2).await;
    assert_eq!(logged["last_status"], 204);
    assert!(logged["delivered_at"].is_string());
    assert_eq!(logged["id"], first.delivery);

    // Replayed: a new delivery of the same event.
    let response = app
        .post_as(
            &admin,
            &format!(
                "/api/v1/organizations/{oslo}/webhook-deliveries/{}/replay",
                first.delivery
            ),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let replay: Value = response.json().await.unwrap();
    assert_eq!(replay["replay_of"], first.delivery);
    let got = receiver.wait_for(incident_id, 3).await;
    let again: Value = serde_json::from_slice(&got[2].body).unwrap();
    assert_eq!(again["event_id"], body["event_id"]);
    assert_ne!(again["delivery_id"], body["delivery_id"]);
    assert_eq!(again["delivery_id"], replay["id"]);

    // A request registered by a caseworker 25 days after it came: it is received, and its
    // deadline is within a week (the reminders job tells of that once).
    let national_id = (1..)
        .find_map(|i| vern_domain::person::synthetic(15, 1, 80, i))
        .unwrap()
        .expose();
    let received_on = vern_domain::calendar::oslo_date(Utc::now()) - chrono::Duration::days(25);
    let response = app
        .post_as(
            &admin,
            &format!("/api/v1/organizations/{oslo}/requests"),
            json!({
                "kind": "access",
                "channel": "letter",
                "received_on": received_on,
                "requester": {
                    "name": "Testperson Fjellstad",
                    "national_id": national_id,
                    "postal_address": "Prøvegata 1, 0150 Oslo",
                    "email": "fjellstad@example.org"
                },
                "description": "Jeg ber om innsyn."
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let request: Value = response.json().await.unwrap();
    let request_id = request["id"].as_str().unwrap();
    let got = receiver.wait_for(request_id, 2).await;
    let mut events: Vec<String> = got.iter().map(|r| r.event.clone()).collect();
    events.sort();
    assert_eq!(events, ["request.deadline_approaching", "request.received"]);
    for delivery in &got {
        let body: Value = serde_json::from_slice(&delivery.body).unwrap();
        assert_eq!(
            body["object"],
            json!({"type": "request", "id": request["id"]})
        );
        let raw = String::from_utf8(delivery.body.clone()).unwrap();
        assert!(!raw.contains(&national_id) && !raw.contains("Fjellstad"));
    }
    // Once: later runs of the reminders job do not tell of the same deadline again.
    tokio::time::sleep(StdDuration::from_millis(400)).await;
    assert_eq!(receiver.about(request_id).len(), 2);

    let actions = app.audit_actions(oslo).await;
    for action in ["webhook.created", "webhook.delivery_replayed"] {
        assert!(actions.contains(&action.to_owned()), "{actions:?}");
    }
}

#[tokio::test]
async fn a_delivery_is_given_up_after_the_last_attempt_and_a_removed_webhook_gets_nothing() {
    let receiver = Receiver::start(&[500]);
    let app = spawn(1).await;
    let oslo = app.org_named("Oslo").await;
    let admin = admin_of(&app, oslo, &[Role::OrgAdmin, Role::PrivacyOfficer]).await;
    let created: Value = app
        .post_as(
            &admin,
            &format!("/api/v1/organizations/{oslo}/webhooks"),
            json!({"url": receiver.url, "event_types": ["incident.registered"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let hook = created["webhook"]["id"].as_str().unwrap().to_owned();
    let incident: Value = app
        .post_as(
            &admin,
            &format!("/api/v1/organizations/{oslo}/incidents"),
            breach(),
        )
        .await
        .json()
        .await
        .unwrap();
    let incident_id = incident["id"].as_str().unwrap();
    // Waits of 1, 4, 16, … ms: all eight attempts fail, then it is given up.
    let failed = wait_for_log(
        &app,
        &admin,
        oslo,
        &hook,
        "failed",
        i64::from(vern_domain::webhooks::MAX_ATTEMPTS),
    )
    .await;
    assert_eq!(failed["last_status"], 500);
    assert_eq!(failed["last_error"], "status_500");
    assert!(failed["next_attempt_at"].is_null());
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(
        receiver.about(incident_id).len(),
        usize::try_from(vern_domain::webhooks::MAX_ATTEMPTS).unwrap()
    );

    // Removed: nothing more is queued or sent, and its deliveries cannot be replayed.
    let response = app
        .delete_as(
            &admin,
            &format!("/api/v1/organizations/{oslo}/webhooks/{hook}"),
        )
        .await;
    assert_eq!(response.status(), 204);
    let before = receiver.received().len();
    app.post_as(
        &admin,
        &format!("/api/v1/organizations/{oslo}/incidents"),
        breach(),
    )
    .await;
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), before);
    assert_problem(
        app.post_as(
            &admin,
            &format!(
                "/api/v1/organizations/{oslo}/webhook-deliveries/{}/replay",
                failed["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.delete_as(
            &admin,
            &format!("/api/v1/organizations/{oslo}/webhooks/{hook}"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert!(
        app.audit_actions(oslo)
            .await
            .contains(&"webhook.removed".to_owned())
    );
}

#[tokio::test]
async fn webhooks_are_for_administrators_of_their_own_organisation_and_checked() {
    let app = spawn(60_000).await;
    let oslo = app.org_named("Oslo").await;
    let bergen = app.org_named("Bergen").await;
    let admin = admin_of(&app, oslo, &[Role::OrgAdmin]).await;
    let base = format!("/api/v1/organizations/{oslo}/webhooks");
    // Bad input: refused field by field, nothing stored.
    for (body, field, code) in [
        (
            json!({"url": "http://sak.example.org/e", "event_types": ["agreement.signed"]}),
            "url",
            "https_required",
        ),
        (
            json!({"url": "https://u:p@sak.example.org/e", "event_types": ["agreement.signed"]}),
            "url",
            "credentials_in_url",
        ),
        (
            json!({"url": "https://sak.example.org/e", "event_types": []}),
            "event_types",
            "empty",
        ),
        (
            json!({"url": "https://sak.example.org/e", "event_types": ["product.changed"], "description": "x".repeat(201)}),
            "description",
            "length",
        ),
    ] {
        let problem = assert_problem(
            app.post_as(&admin, &base, body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field);
        assert_eq!(problem["errors"][0]["code"], code);
    }
    assert_problem(
        app.post_as(
            &admin,
            &base,
            json!({"url": "https://sak.example.org/e", "event_types": ["no.such_event"]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let (_, list) = app.get_json_as(&admin, &base).await;
    assert!(list["items"].as_array().unwrap().is_empty());

    let created: Value = app
        .post_as(
            &admin,
            &base,
            json!({"url": "https://sak.example.org/e", "event_types": ["product.changed"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let hook = created["webhook"]["id"].as_str().unwrap();
    // A delivery to replay: an incident registered by an administrator who is also the
    // privacy officer, for a webhook on a closed loopback port (its sends fail; the delivery
    // is logged all the same).
    let officer = admin_of(&app, oslo, &[Role::OrgAdmin, Role::PrivacyOfficer]).await;
    let incident_hook: Value = app
        .post_as(
            &officer,
            &base,
            json!({"url": "http://127.0.0.1:9/avvik", "event_types": ["incident.registered"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let incident_hook = incident_hook["webhook"]["id"].as_str().unwrap().to_owned();
    app.post_as(
        &officer,
        &format!("/api/v1/organizations/{oslo}/incidents"),
        breach(),
    )
    .await;
    let (_, log) = app
        .get_json_as(&officer, &format!("{base}/{incident_hook}/deliveries"))
        .await;
    let delivery = log["items"][0]["id"].as_str().unwrap().to_owned();
    let replay = format!("/api/v1/organizations/{oslo}/webhook-deliveries/{delivery}/replay");

    // Other roles are refused; another municipality sees nothing.
    for role in [Role::PrivacyOfficer, Role::RegisterEditor, Role::Auditor] {
        let token = admin_of(&app, oslo, &[role]).await;
        assert_problem(
            app.get_as(&token, &format!("{base}/{hook}/deliveries"))
                .await,
            403,
            "forbidden",
        )
        .await;
        assert_problem(
            app.post_as(&token, &replay, json!({})).await,
            403,
            "forbidden",
        )
        .await;
        assert_problem(
            app.delete_as(&token, &format!("{base}/{hook}")).await,
            403,
            "forbidden",
        )
        .await;
        assert_problem(app.get_as(&token, &base).await, 403, "forbidden").await;
        assert_problem(
            app.post_as(
                &token,
                &base,
                json!({"url": "https://sak.example.org/e", "event_types": ["product.changed"]}),
            )
            .await,
            403,
            "forbidden",
        )
        .await;
    }
    let stranger = admin_of(&app, bergen, &[Role::OrgAdmin]).await;
    assert_problem(app.get_as(&stranger, &base).await, 404, "not_found").await;
    assert_problem(
        app.get_as(&stranger, &format!("{base}/{hook}/deliveries"))
            .await,
        404,
        "not_found",
    )
    .await;
    // By its own organisation's path, Oslo's webhook is not there either.
    assert_problem(
        app.get_as(
            &stranger,
            &format!("/api/v1/organizations/{bergen}/webhooks/{hook}/deliveries"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.delete_as(
            &stranger,
            &format!("/api/v1/organizations/{bergen}/webhooks/{hook}"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // Oslo's delivery cannot be replayed from Bergen, by either path.
    assert_problem(
        app.post_as(&stranger, &replay, json!({})).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.post_as(
            &stranger,
            &format!("/api/v1/organizations/{bergen}/webhook-deliveries/{delivery}/replay"),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // Nothing was replayed by the refused calls: the log still holds one delivery.
    let (_, log) = app
        .get_json_as(&officer, &format!("{base}/{incident_hook}/deliveries"))
        .await;
    assert_eq!(log["items"].as_array().unwrap().len(), 1);
    assert_problem(
        app.get_as(&admin, &format!("{base}/{hook}/deliveries?status=lost"))
            .await,
        422,
        "validation_failed",
    )
    .await;
}

async fn new_incident(app: &TestApp, token: &str, org: OrganizationId) -> String {
    let response = app
        .post_as(
            token,
            &format!("/api/v1/organizations/{org}/incidents"),
            breach(),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A replaced secret signs beside the new one for a day — or stops at once when asked; the
/// new secret is shown once; only administrators of the organisation replace it.
#[tokio::test]
async fn a_new_secret_signs_beside_the_old_one_for_a_day() {
    let receiver = Receiver::start(&[204]);
    let app = spawn(100).await;
    let oslo = app.org_named("Oslo").await;
    let admin = admin_of(&app, oslo, &[Role::OrgAdmin, Role::PrivacyOfficer]).await;
    let response = app
        .post_as(
            &admin,
            &format!("/api/v1/organizations/{oslo}/webhooks"),
            json!({"url": receiver.url, "event_types": ["incident.registered"]}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let old = created["secret"].as_str().unwrap().to_owned();
    let hook = created["webhook"]["id"].as_str().unwrap().to_owned();
    assert!(created["webhook"]["previous_secret_until"].is_null());
    let rotate = format!("/api/v1/organizations/{oslo}/webhooks/{hook}/secret");

    // Refused: roles without the permission, and another municipality (404).
    let officer = admin_of(&app, oslo, &[Role::PrivacyOfficer]).await;
    assert_problem(
        app.post_as(&officer, &rotate, json!({})).await,
        403,
        "forbidden",
    )
    .await;
    let bergen = app.org_named("Bergen").await;
    let bergen_admin = admin_of(&app, bergen, &[Role::OrgAdmin]).await;
    assert_problem(
        app.post_as(&bergen_admin, &rotate, json!({})).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.post_as(
            &bergen_admin,
            &format!("/api/v1/organizations/{bergen}/webhooks/{hook}/secret"),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    let response = app.post_as(&admin, &rotate, json!({})).await;
    assert_eq!(response.status(), 200);
    let rotated: Value = response.json().await.unwrap();
    let new = rotated["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    let until: chrono::DateTime<Utc> = rotated["webhook"]["previous_secret_until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let overlap = until - Utc::now();
    assert!(overlap > chrono::Duration::hours(23) && overlap <= chrono::Duration::hours(24));
    let (_, list) = app
        .get_json_as(&admin, &format!("/api/v1/organizations/{oslo}/webhooks"))
        .await;
    assert!(!list.to_string().contains(&new), "the secret is shown once");

    // During the overlap: two tags, each secret verifies.
    let first = new_incident(&app, &admin, oslo).await;
    let got = receiver.wait_for(&first, 1).await;
    let now = Utc::now().timestamp();
    assert_eq!(
        got[0].signature.matches("v1=").count(),
        2,
        "{}",
        got[0].signature
    );
    for secret in [&new, &old] {
        vern_domain::connector::verify(secret.as_bytes(), &got[0].signature, &got[0].body, now)
            .unwrap();
    }

    // Replaced again at once (as for a leaked secret): the newest alone signs.
    let response = app
        .post_as(&admin, &rotate, json!({"immediately": true}))
        .await;
    assert_eq!(response.status(), 200);
    let newest = response.json::<Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = new_incident(&app, &admin, oslo).await;
    let got = receiver.wait_for(&second, 1).await;
    let now = Utc::now().timestamp();
    assert_eq!(got[0].signature.matches("v1=").count(), 1);
    vern_domain::connector::verify(newest.as_bytes(), &got[0].signature, &got[0].body, now)
        .unwrap();
    for stale in [&new, &old] {
        assert!(
            vern_domain::connector::verify(stale.as_bytes(), &got[0].signature, &got[0].body, now)
                .is_err()
        );
    }
    let log = app.audit_actions(oslo).await;
    assert_eq!(
        log.iter()
            .filter(|a| *a == "webhook.secret_rotated")
            .count(),
        2,
        "{log:?}"
    );
    // Bad input changes nothing.
    assert_problem(
        app.post_as(&admin, &rotate, json!({"immediately": "ja"}))
            .await,
        422,
        "validation_failed",
    )
    .await;

    // A removed webhook's secret cannot be replaced.
    let removed = app
        .delete_as(
            &admin,
            &format!("/api/v1/organizations/{oslo}/webhooks/{hook}"),
        )
        .await;
    assert_eq!(removed.status(), 204);
    assert_problem(
        app.post_as(&admin, &rotate, json!({})).await,
        404,
        "not_found",
    )
    .await;
}
