//! Routing requests to systems, on Drammen: a register with a school system and a payroll
//! system; a made-up connector (a real HTTP server on loopback, started by the test) that
//! answers at once, later by signed callback, or not at all. Shows: routing by data subject
//! category, automatic answers, signed callbacks refused when tampered, stale or replayed,
//! retries ending in a manual task its owner answers, the lookup fan-out, who may see what,
//! and that the systems' answers are stored encrypted.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use vern_domain::OrganizationId;
use vern_domain::access::Role;
use vern_domain::connector::{SIGNATURE_HEADER, sign, verify};

use crate::agreements::{Person, person};
use crate::helpers::{TestApp, assert_problem, spawn_demo_app};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Behaviour {
    /// `200` with data for everyone.
    Immediate,
    /// `202`; the test sends the callback itself.
    Later,
    /// `503` to everything.
    Broken,
}

/// What a made-up system received: each body with its signature header.
type Received = Arc<Mutex<Vec<(Vec<u8>, String)>>>;

/// A made-up system: records what it received.
#[derive(Clone)]
struct FakeSystem {
    url: String,
    received: Received,
}

async fn fake_system(behaviour: Behaviour, holds: bool) -> FakeSystem {
    let received: Received = Arc::default();
    let log = received.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        let log = log.clone();
        App::new().default_service(web::post().to(move |req: HttpRequest, body: web::Bytes| {
            let log = log.clone();
            async move {
                let header = req
                    .headers()
                    .get(SIGNATURE_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                let message: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                log.lock().unwrap().push((body.to_vec(), header));
                if behaviour == Behaviour::Broken {
                    return HttpResponse::ServiceUnavailable().finish();
                }
                if message["type"] == "lookup" {
                    return HttpResponse::Ok().json(json!({"holds": holds}));
                }
                match behaviour {
                    Behaviour::Immediate => HttpResponse::Ok().json(json!({
                        "outcome": "data",
                        "package": {"elev": {"klasse": "5B", "fravaer_dager": 3}}
                    })),
                    _ => HttpResponse::Accepted().finish(),
                }
            }
        }))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    FakeSystem {
        url: format!("http://127.0.0.1:{port}/vern"),
        received,
    }
}

fn synthetic_id(n: u16) -> String {
    (n..n + 50)
        .find_map(|i| vern_domain::person::synthetic(14, 2, 81, i))
        .unwrap()
        .expose()
}

struct Town {
    org: OrganizationId,
    caseworker: Person,
    dpo: Person,
    editor: Person,
    owner: Person,
    school: String,
    payroll: String,
}

async fn town(app: &TestApp, tag: &str) -> Town {
    let org = app.org_named("Drammen").await;
    let mut people = Vec::new();
    for (prefix, role) in [
        ("sb", Role::RequestCaseworker),
        ("pvo", Role::PrivacyOfficer),
        ("reg", Role::RegisterEditor),
        ("eier", Role::SystemOwner),
    ] {
        people.push(person(app, &format!("{prefix}-{tag}@example.org"), org, role).await);
    }
    let [caseworker, dpo, editor, owner] = <[Person; 4]>::try_from(people).ok().unwrap();
    let systems = format!("/api/v1/organizations/{org}/systems");
    let mut ids = Vec::new();
    for (name, unit) in [("Elevmappe", "Oppvekst"), ("Lønnsmodul", "Personal")] {
        let response = app
            .post_as(
                &editor.token,
                &systems,
                json!({"name": name, "owning_unit": unit, "status": "in_use", "owners": [owner.user.id]}),
            )
            .await;
        assert_eq!(response.status().as_u16(), 201, "{name}");
        let system: Value = response.json().await.unwrap();
        ids.push(system["id"].as_str().unwrap().to_owned());
    }
    let mut school = crate::activities::activity("Elevadministrasjon (test)", &ids[0]);
    school["data_subjects"] = json!(["dpv:Student", "dpv:ParentOfDataSubject"]);
    let mut payroll = crate::activities::activity("Lønn (test)", &ids[1]);
    payroll["data_subjects"] = json!(["dpv:Employee"]);
    for body in [school, payroll] {
        let response = app
            .post_as(
                &editor.token,
                &format!("/api/v1/organizations/{org}/processing-activities"),
                body,
            )
            .await;
        assert_eq!(response.status().as_u16(), 201);
    }
    Town {
        org,
        caseworker,
        dpo,
        editor,
        owner,
        school: ids[0].clone(),
        payroll: ids[1].clone(),
    }
}

async fn connect(app: &TestApp, town: &Town, system: &str, url: &str) -> String {
    let response = app
        .send(
            reqwest::Method::PUT,
            &town.editor.token,
            &format!(
                "/api/v1/organizations/{}/systems/{system}/connector",
                town.org
            ),
            None,
            Some(json!({"endpoint": url})),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let setup: Value = response.json().await.unwrap();
    setup["secret"].as_str().unwrap().to_owned()
}

async fn request(app: &TestApp, town: &Town, national_id: Option<&str>) -> String {
    let response = app
        .post_as(
            &town.caseworker.token,
            &format!("/api/v1/organizations/{}/requests", town.org),
            json!({
                "kind": "access",
                "channel": "letter",
                "requester": {
                    "name": "Testforelder Lia",
                    "national_id": national_id,
                    "postal_address": "Prøvegata 2, 3015 Drammen"
                },
                "description": "Jeg ber om innsyn i hva skolen har registrert om meg som forelder.",
                "subject_categories": ["dpv:ParentOfDataSubject"]
            }),
        )
        .await;
    assert_eq!(response.status().as_u16(), 201);
    let case: Value = response.json().await.unwrap();
    case["id"].as_str().unwrap().to_owned()
}

/// The request's tasks once `done` holds for them (bounded: the sender runs in the
/// background).
async fn tasks_when(
    app: &TestApp,
    token: &str,
    request: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    for _ in 0..100 {
        let list: Value = app
            .get_as(token, &format!("/api/v1/requests/{request}/tasks"))
            .await
            .json()
            .await
            .unwrap();
        if done(&list) {
            return list;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the tasks never reached the expected state");
}

fn task_of<'a>(list: &'a Value, system: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["system_id"] == system)
        .unwrap()
}

#[tokio::test]
async fn routing_follows_the_register_and_a_connected_system_answers_by_itself() {
    let app = spawn_demo_app().await;
    let town = town(&app, "route").await;
    let system = fake_system(Behaviour::Immediate, true).await;
    let secret = connect(&app, &town, &town.school, &system.url).await;
    // The secret is shown once: reading the connector never shows it.
    let (status, view) = app
        .get_json(&format!(
            "/api/v1/organizations/{}/systems/{}/connector",
            town.org, town.school
        ))
        .await;
    assert_eq!(status, 401, "{view}");
    let view: Value = app
        .get_as(
            &town.editor.token,
            &format!(
                "/api/v1/organizations/{}/systems/{}/connector",
                town.org, town.school
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["connector"]["endpoint"], system.url.as_str());
    assert!(view["connector"].get("secret").is_none());

    let national_id = synthetic_id(100);
    let id = request(&app, &town, Some(&national_id)).await;
    let routing: Value = app
        .get_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/routing"),
        )
        .await
        .json()
        .await
        .unwrap();
    let candidates = routing["candidates"].as_array().unwrap();
    assert_eq!(
        candidates.len(),
        1,
        "only the school system covers parents: {routing}"
    );
    assert_eq!(candidates[0]["system_id"], town.school.as_str());
    assert_eq!(candidates[0]["connector"], true);
    assert_eq!(
        candidates[0]["matched_subjects"],
        json!(["dpv:ParentOfDataSubject"])
    );
    let all: Value = app
        .get_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/routing?all=true"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(all["candidates"].as_array().unwrap().len() >= 2);

    let response = app
        .post_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/tasks"),
            json!({"system_ids": [town.school, town.payroll]}),
        )
        .await;
    assert_eq!(response.status().as_u16(), 201);
    let list = tasks_when(&app, &town.caseworker.token, &id, |l| {
        l["items"]
            .as_array()
            .is_some_and(|items| items.iter().any(|t| t["status"] == "done"))
    })
    .await;
    let school = task_of(&list, &town.school);
    assert_eq!(school["mode"], "automatic");
    assert_eq!(school["outcome"], "data");
    assert_eq!(school["result"]["package"]["elev"]["klasse"], "5B");
    let payroll = task_of(&list, &town.payroll);
    assert_eq!(payroll["status"], "manual");
    assert_eq!(payroll["manual_reason"], "no_connector");

    // What the system received: signed with the shared secret, with the subject.
    let received = system.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let (body, header) = &received[0];
    assert!(
        verify(
            secret.as_bytes(),
            header,
            body,
            chrono::Utc::now().timestamp()
        )
        .is_ok()
    );
    let message: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(message["type"], "task");
    assert_eq!(message["subject"]["national_id"], national_id.as_str());
    assert_eq!(message["request_kind"], "access");
    assert!(
        message["callback_url"]
            .as_str()
            .unwrap()
            .ends_with("/callback")
    );

    // Routing again leaves existing tasks alone.
    let again: Value = app
        .post_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/tasks"),
            json!({"system_ids": [town.school]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["items"].as_array().unwrap().len(), 2);

    // The DPO's overview counts the open tasks per system.
    let overview: Value = app
        .get_as(
            &town.dpo.token,
            &format!("/api/v1/organizations/{}/request-overview", town.org),
        )
        .await
        .json()
        .await
        .unwrap();
    let loads = overview["by_system"].as_array().unwrap();
    assert_eq!(loads.len(), 1, "only the payroll task is open: {overview}");
    assert_eq!(loads[0]["system_id"], town.payroll.as_str());
    assert_eq!(
        (loads[0]["open"].as_u64(), loads[0]["manual"].as_u64()),
        (Some(1), Some(1))
    );

    // The DPO follows the tasks without what the systems found.
    let seen: Value = app
        .get_as(&town.dpo.token, &format!("/api/v1/requests/{id}/tasks"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(task_of(&seen, &town.school)["status"], "done");
    assert!(task_of(&seen, &town.school)["result"].is_null());

    // The answer draft: the school system's data with the register's facts about it.
    let draft: Value = app
        .get_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/answer-draft"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(draft["systems"][0]["system_id"], town.school.as_str());
    assert_eq!(
        draft["systems"][0]["found"]["package"]["elev"]["klasse"],
        "5B"
    );
    assert_eq!(
        draft["systems"][0]["activities"][0]["name"],
        "Elevadministrasjon (test)"
    );
    assert!(
        draft["rights"]
            .as_array()
            .unwrap()
            .contains(&json!("objection"))
    );
    assert_eq!(draft["erasure_limited"], true);
    assert_eq!(
        draft["warnings"],
        json!(["tasks_open"]),
        "the payroll task is open"
    );
    let response = app
        .get_as(
            &town.dpo.token,
            &format!("/api/v1/requests/{id}/answer-draft"),
        )
        .await;
    assert_problem(response, 403, "forbidden").await;

    // The history and the audit log tell what happened, in codes.
    let events: Value = app
        .get_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/events"),
        )
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"routed"), "{kinds:?}");
    assert!(kinds.contains(&"task_answered"), "{kinds:?}");
    assert!(kinds.contains(&"task_manual") || kinds.len() >= 3);
    let actions = app.audit_actions(town.org).await;
    for action in [
        "connector.created",
        "request.routed",
        "request.task_answered",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }

    // The answer is stored encrypted: neither the number nor the package in the raw table.
    let raw = app
        .db
        .conn
        .query_all_raw(Statement::from_string(
            app.db.conn.get_database_backend(),
            "SELECT COALESCE(result, '') FROM request_tasks".to_owned(),
        ))
        .await
        .unwrap();
    assert!(!raw.is_empty());
    for row in raw {
        let text: String = row.try_get_by_index(0).unwrap();
        // Sealed values are base64 and can hold "5B" by chance; the package's JSON (quotes
        // and all) and the 11-digit number cannot.
        assert!(
            !text.contains("\"klasse\":\"5B\"") && !text.contains(&national_id),
            "plaintext stored"
        );
        assert!(text.is_empty() || !text.contains('"'), "plaintext stored");
    }
}

#[tokio::test]
async fn callbacks_must_be_signed_fresh_and_new() {
    let app = spawn_demo_app().await;
    let town = town(&app, "callback").await;
    let system = fake_system(Behaviour::Later, true).await;
    let secret = connect(&app, &town, &town.school, &system.url).await;
    let id = request(&app, &town, Some(&synthetic_id(200))).await;
    app.post_as(
        &town.caseworker.token,
        &format!("/api/v1/requests/{id}/tasks"),
        json!({"system_ids": [town.school]}),
    )
    .await;
    let list = tasks_when(&app, &town.caseworker.token, &id, |l| {
        l["items"][0]["status"] == "awaiting_answer"
    })
    .await;
    let task = list["items"][0]["id"].as_str().unwrap().to_owned();
    let url = app.url(&format!("/api/v1/connector/tasks/{task}/callback"));
    let delivery = uuid::Uuid::now_v7();
    let body = serde_json::to_vec(&json!({
        "delivery_id": delivery,
        "task_id": task,
        "outcome": "data",
        "package": {"elev": {"klasse": "7C"}}
    }))
    .unwrap();
    let post = |header: String, body: Vec<u8>| {
        app.client
            .post(&url)
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, header)
            .body(body)
            .send()
    };
    let now = chrono::Utc::now().timestamp();
    // No signature, the wrong secret, a changed body, an old timestamp: all 401 alike.
    let unsigned = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_problem(unsigned, 401, "invalid_signature").await;
    let wrong = post(sign(b"not the secret", now, &body), body.clone())
        .await
        .unwrap();
    assert_problem(wrong, 401, "invalid_signature").await;
    let mut tampered = body.clone();
    let at = tampered.iter().position(|b| *b == b'7').unwrap();
    tampered[at] = b'9';
    let changed = post(sign(secret.as_bytes(), now, &body), tampered)
        .await
        .unwrap();
    assert_problem(changed, 401, "invalid_signature").await;
    let stale = post(sign(secret.as_bytes(), now - 3600, &body), body.clone())
        .await
        .unwrap();
    assert_problem(stale, 401, "invalid_signature").await;
    // An unknown task looks the same as a bad signature.
    let unknown = app
        .client
        .post(app.url(&format!(
            "/api/v1/connector/tasks/{}/callback",
            uuid::Uuid::now_v7()
        )))
        .header(SIGNATURE_HEADER, sign(secret.as_bytes(), now, &body))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_problem(unknown, 401, "invalid_signature").await;
    // Still waiting.
    let list: Value = app
        .get_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/tasks"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["status"], "awaiting_answer");

    // The genuine callback is taken once.
    let good = post(sign(secret.as_bytes(), now, &body), body.clone())
        .await
        .unwrap();
    assert_eq!(good.status().as_u16(), 204);
    let replay = post(sign(secret.as_bytes(), now + 1, &body), body.clone())
        .await
        .unwrap();
    assert_problem(replay, 409, "replayed").await;
    // A new delivery for a task that is done is refused as a step that no longer applies.
    let second = serde_json::to_vec(&json!({
        "delivery_id": uuid::Uuid::now_v7(), "task_id": task, "outcome": "no_data"
    }))
    .unwrap();
    let late = post(sign(secret.as_bytes(), now, &second), second)
        .await
        .unwrap();
    assert_problem(late, 409, "invalid_transition").await;
    // A callback of the wrong shape is refused before anything is stored.
    let shapeless = serde_json::to_vec(&json!({
        "delivery_id": uuid::Uuid::now_v7(), "task_id": task, "outcome": "data"
    }))
    .unwrap();
    let refused = post(sign(secret.as_bytes(), now, &shapeless), shapeless)
        .await
        .unwrap();
    assert_problem(refused, 422, "validation_failed").await;

    let list: Value = app
        .get_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/tasks"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["status"], "done");
    assert_eq!(
        list["items"][0]["result"]["package"]["elev"]["klasse"],
        "7C"
    );
}

#[tokio::test]
async fn a_connector_that_keeps_failing_hands_the_task_to_the_system_owner() {
    let app = spawn_demo_app().await;
    let town = town(&app, "manual").await;
    let system = fake_system(Behaviour::Broken, true).await;
    connect(&app, &town, &town.school, &system.url).await;
    let id = request(&app, &town, Some(&synthetic_id(300))).await;
    app.post_as(
        &town.caseworker.token,
        &format!("/api/v1/requests/{id}/tasks"),
        json!({"system_ids": [town.school]}),
    )
    .await;
    let list = tasks_when(&app, &town.caseworker.token, &id, |l| {
        l["items"][0]["status"] == "manual"
    })
    .await;
    let task = &list["items"][0];
    assert_eq!(task["manual_reason"], "unreachable");
    assert_eq!(task["attempts"], 5);
    assert_eq!(task["last_error"], "status_503");
    assert_eq!(system.received.lock().unwrap().len(), 5);
    let task_id = task["id"].as_str().unwrap().to_owned();

    // The owner finds it among their tasks, with the person to look for.
    let mine: Value = app
        .get_as(
            &town.owner.token,
            &format!("/api/v1/organizations/{}/system-tasks", town.org),
        )
        .await
        .json()
        .await
        .unwrap();
    let item = &mine["items"][0];
    assert_eq!(item["id"], task_id.as_str());
    assert_eq!(item["request_kind"], "access");
    assert_eq!(item["subject"]["name"], "Testforelder Lia");
    assert!(item.get("description").is_none());
    let (status, one) = app
        .get_json_as(
            &town.owner.token,
            &format!("/api/v1/system-tasks/{task_id}"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(&one, item);

    // Others may not: an owner of other systems, the org_admin, another municipality.
    let other_owner = person(&app, "eier-annen@example.org", town.org, Role::SystemOwner).await;
    let response = app
        .get_as(
            &other_owner.token,
            &format!("/api/v1/system-tasks/{task_id}"),
        )
        .await;
    assert_problem(response, 404, "not_found").await;
    let admin = person(&app, "admin-manual@example.org", town.org, Role::OrgAdmin).await;
    let response = app
        .get_as(
            &admin.token,
            &format!("/api/v1/organizations/{}/system-tasks", town.org),
        )
        .await;
    assert_problem(response, 403, "forbidden").await;
    let neighbour = app.org_named("Bodø").await;
    let stranger = person(
        &app,
        "sb-bodo-manual@example.org",
        neighbour,
        Role::RequestCaseworker,
    )
    .await;
    let response = app
        .get_as(&stranger.token, &format!("/api/v1/requests/{id}/tasks"))
        .await;
    assert_problem(response, 404, "not_found").await;
    let response = app
        .post_as(
            &stranger.token,
            &format!("/api/v1/tasks/{task_id}/resend"),
            json!({}),
        )
        .await;
    assert_problem(response, 404, "not_found").await;
    // The DPO oversees but does not route or send.
    let response = app
        .post_as(
            &town.dpo.token,
            &format!("/api/v1/requests/{id}/tasks"),
            json!({"system_ids": [town.payroll]}),
        )
        .await;
    assert_problem(response, 403, "forbidden").await;

    // The caseworker may send it again; the system fails again and it comes back manual.
    let response = app
        .post_as(
            &town.caseworker.token,
            &format!("/api/v1/tasks/{task_id}/resend"),
            json!({}),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let queued: Value = response.json().await.unwrap();
    let resent = queued["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == task_id.as_str())
        .unwrap();
    assert_ne!(resent["status"], "manual", "{resent}");
    tasks_when(&app, &town.caseworker.token, &id, |l| {
        l["items"][0]["status"] == "manual"
    })
    .await;
    assert_eq!(system.received.lock().unwrap().len(), 10);

    // Bad answers are refused and change nothing.
    let response = app
        .post_as(
            &town.owner.token,
            &format!("/api/v1/system-tasks/{task_id}/answer"),
            json!({"outcome": "data", "text": "  "}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
    let response = app
        .post_as(
            &town.owner.token,
            &format!("/api/v1/system-tasks/{task_id}/answer"),
            json!({"outcome": "data", "text": "Elevmappe: klasse 6A, to meldinger til foresatte i 2026."}),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let answered: Value = response.json().await.unwrap();
    assert_eq!(answered["status"], "done");
    assert!(
        answered["subject"].is_null(),
        "the person is not shown once answered"
    );
    let response = app
        .post_as(
            &town.owner.token,
            &format!("/api/v1/system-tasks/{task_id}/answer"),
            json!({"outcome": "no_data"}),
        )
        .await;
    assert_problem(response, 409, "invalid_transition").await;

    let list: Value = app
        .get_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/tasks"),
        )
        .await
        .json()
        .await
        .unwrap();
    let task = &list["items"][0];
    assert_eq!(task["completed_by"]["id"], town.owner.user.id.to_string());
    assert!(task["result"]["comment"].as_str().unwrap().contains("6A"));
    let actions = app.audit_actions(town.org).await;
    assert!(actions.iter().any(|a| a == "request.task_manual"));
    assert!(actions.iter().any(|a| a == "request.task_completed"));
}

#[tokio::test]
async fn the_lookup_asks_every_connector_at_once_and_keeps_only_a_count() {
    let app = spawn_demo_app().await;
    let town = town(&app, "lookup").await;
    let holds = fake_system(Behaviour::Later, true).await;
    let silent = fake_system(Behaviour::Broken, false).await;
    connect(&app, &town, &town.school, &holds.url).await;
    connect(&app, &town, &town.payroll, &silent.url).await;
    let id = request(&app, &town, Some(&synthetic_id(400))).await;
    let response = app
        .post_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/lookups"),
            json!({}),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let result: Value = response.json().await.unwrap();
    let systems = result["systems"].as_array().unwrap();
    assert_eq!(systems.len(), 2);
    let holding =
        |system: &str| systems.iter().find(|s| s["system_id"] == system).unwrap()["holds"].clone();
    assert_eq!(holding(&town.school), "yes");
    assert_eq!(holding(&town.payroll), "unknown");
    let events: Value = app
        .get_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/events"),
        )
        .await
        .json()
        .await
        .unwrap();
    let lookup = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "lookup")
        .unwrap();
    assert_eq!(lookup["detail"], "1/2");

    // Only caseworkers look; a request without a national id has nothing to look for.
    let response = app
        .post_as(
            &town.dpo.token,
            &format!("/api/v1/requests/{id}/lookups"),
            json!({}),
        )
        .await;
    assert_problem(response, 403, "forbidden").await;
    let anonymous = request(&app, &town, None).await;
    let response = app
        .post_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{anonymous}/lookups"),
            json!({}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
    // Without a number, tasks go to the owners even where there is a connector.
    let list: Value = app
        .post_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{anonymous}/tasks"),
            json!({"system_ids": [town.school]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["manual_reason"], "no_identifier");
}

#[tokio::test]
async fn connectors_are_set_up_by_the_register_and_checked() {
    let app = spawn_demo_app().await;
    let town = town(&app, "setup").await;
    let path = format!(
        "/api/v1/organizations/{}/systems/{}/connector",
        town.org, town.school
    );
    let put = |token: String, body: Value| {
        let app = &app;
        let path = path.clone();
        async move {
            app.send(reqwest::Method::PUT, &token, &path, None, Some(body))
                .await
        }
    };
    let response = put(
        town.editor.token.clone(),
        json!({"endpoint": "http://skole.example.org/vern"}),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "https_required");
    let response = put(town.editor.token.clone(), json!({})).await;
    assert_problem(response, 422, "validation_failed").await;
    // The caseworker and the DPO do not set up connectors; another municipality sees none.
    let response = put(
        town.caseworker.token.clone(),
        json!({"endpoint": "https://skole.example.org/vern"}),
    )
    .await;
    assert_problem(response, 403, "forbidden").await;
    let neighbour = app.org_named("Bodø").await;
    let stranger = person(
        &app,
        "reg-bodo-setup@example.org",
        neighbour,
        Role::RegisterEditor,
    )
    .await;
    let response = put(
        stranger.token.clone(),
        json!({"endpoint": "https://skole.example.org/vern"}),
    )
    .await;
    assert_problem(response, 404, "not_found").await;

    // The system's owner may set up their own; a new secret only when asked for.
    let response = put(
        town.owner.token.clone(),
        json!({"endpoint": "https://skole.example.org/vern"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let first: Value = response.json().await.unwrap();
    let secret = first["secret"].as_str().unwrap().to_owned();
    assert!(secret.len() >= 40);
    let moved: Value = put(
        town.owner.token.clone(),
        json!({"endpoint": "https://ny.example.org/vern"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(moved["secret"].is_null());
    assert_eq!(
        moved["connector"]["endpoint"],
        "https://ny.example.org/vern"
    );
    let rotated: Value = put(
        town.owner.token.clone(),
        json!({"endpoint": "https://ny.example.org/vern", "rotate_secret": true}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_ne!(rotated["secret"].as_str().unwrap(), secret);
    // The secret is sealed in the database.
    let raw = app
        .db
        .conn
        .query_all_raw(Statement::from_string(
            app.db.conn.get_database_backend(),
            "SELECT secret FROM system_connectors".to_owned(),
        ))
        .await
        .unwrap();
    let stored: String = raw[0].try_get_by_index(0).unwrap();
    assert!(!stored.contains(rotated["secret"].as_str().unwrap()));

    let response = app.delete_as(&town.editor.token, &path).await;
    assert_eq!(response.status().as_u16(), 204);
    let (status, none): (u16, Value) = {
        let response = app.get_as(&town.editor.token, &path).await;
        (response.status().as_u16(), response.json().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(none["connector"].is_null());
    let response = app.delete_as(&town.editor.token, &path).await;
    assert_problem(response, 404, "not_found").await;
    let actions = app.audit_actions(town.org).await;
    for action in [
        "connector.created",
        "connector.updated",
        "connector.secret_rotated",
        "connector.removed",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}");
    }
}

#[tokio::test]
async fn closing_a_case_cancels_what_the_systems_still_owe() {
    let app = spawn_demo_app().await;
    let town = town(&app, "close").await;
    let id = request(&app, &town, Some(&synthetic_id(500))).await;
    app.post_as(
        &town.caseworker.token,
        &format!("/api/v1/requests/{id}/tasks"),
        json!({"system_ids": [town.school, town.payroll]}),
    )
    .await;
    let current = app
        .get_as(&town.caseworker.token, &format!("/api/v1/requests/{id}"))
        .await;
    let tag = crate::helpers::etag(&current);
    let response = app
        .send(
            reqwest::Method::POST,
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/transitions"),
            Some(&tag),
            Some(json!({"action": "withdraw"})),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let list: Value = app
        .get_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/tasks"),
        )
        .await
        .json()
        .await
        .unwrap();
    for task in list["items"].as_array().unwrap() {
        assert_eq!(task["status"], "cancelled");
    }
    let response = app
        .post_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/tasks"),
            json!({"system_ids": [town.school]}),
        )
        .await;
    assert_problem(response, 409, "invalid_transition").await;
}

#[tokio::test]
async fn a_connector_gets_only_the_kinds_of_request_its_product_handles() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let editor = person(&app, "reg-kinds@example.org", oslo, Role::RegisterEditor).await;
    let caseworker = person(&app, "sb-kinds@example.org", oslo, Role::RequestCaseworker).await;
    let systems: Value = app
        .get_as(
            &editor.token,
            &format!("/api/v1/organizations/{oslo}/systems?q=Skolesekk"),
        )
        .await
        .json()
        .await
        .unwrap();
    let school = systems["items"][0]["id"].as_str().unwrap().to_owned();
    let system = fake_system(Behaviour::Immediate, true).await;
    let response = app
        .send(
            reqwest::Method::PUT,
            &editor.token,
            &format!("/api/v1/organizations/{oslo}/systems/{school}/connector"),
            None,
            Some(json!({"endpoint": system.url})),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    // The demo product's connector handles access, rectification and erasure — not objection.
    let case: Value = app
        .post_as(
            &caseworker.token,
            &format!("/api/v1/organizations/{oslo}/requests"),
            json!({
                "kind": "objection",
                "channel": "letter",
                "requester": {"name": "Testforelder Dahl", "national_id": synthetic_id(600),
                              "postal_address": "Prøvegata 6, 0150 Oslo"},
                "description": "Jeg protesterer mot at skolen bruker bilder av barnet mitt.",
                "subject_categories": ["dpv:ParentOfDataSubject"]
            }),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = case["id"].as_str().unwrap();
    let routing: Value = app
        .get_as(&caseworker.token, &format!("/api/v1/requests/{id}/routing"))
        .await
        .json()
        .await
        .unwrap();
    let candidate = routing["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["system_id"] == school.as_str())
        .unwrap();
    assert_eq!(candidate["connector"], false);
    let list: Value = app
        .post_as(
            &caseworker.token,
            &format!("/api/v1/requests/{id}/tasks"),
            json!({"system_ids": [school]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["status"], "manual");
    assert_eq!(list["items"][0]["manual_reason"], "kind_not_supported");
    assert!(
        system.received.lock().unwrap().is_empty(),
        "nothing was sent"
    );
}

#[tokio::test]
async fn routing_tasks_and_connectors_refuse_the_wrong_roles_and_hide_from_other_municipalities() {
    let app = spawn_demo_app().await;
    let town = town(&app, "refuse").await;
    let id = request(&app, &town, Some(&synthetic_id(700))).await;
    let list: Value = app
        .post_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/tasks"),
            json!({"system_ids": [town.payroll]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let task = list["items"][0]["id"].as_str().unwrap().to_owned();
    let neighbour = app.org_named("Bodø").await;
    let stranger = person(
        &app,
        "sb-bodo-refuse@example.org",
        neighbour,
        Role::RequestCaseworker,
    )
    .await;
    let far_owner = person(
        &app,
        "eier-bodo-refuse@example.org",
        neighbour,
        Role::SystemOwner,
    )
    .await;
    let far_editor = person(
        &app,
        "reg-bodo-refuse@example.org",
        neighbour,
        Role::RegisterEditor,
    )
    .await;
    let auditor = person(&app, "rev-refuse@example.org", town.org, Role::Auditor).await;
    let connector = format!(
        "/api/v1/organizations/{}/systems/{}/connector",
        town.org, town.payroll
    );

    // The DPO and the auditor do not route, draft or read the routing.
    for (token, path) in [
        (&town.dpo.token, format!("/api/v1/requests/{id}/routing")),
        (&auditor.token, format!("/api/v1/requests/{id}/routing")),
        (&auditor.token, format!("/api/v1/requests/{id}/tasks")),
        (
            &auditor.token,
            format!("/api/v1/requests/{id}/answer-draft"),
        ),
    ] {
        assert_problem(app.get_as(token, &path).await, 403, "forbidden").await;
    }
    // Another municipality's people see none of it.
    for (token, path) in [
        (&stranger.token, format!("/api/v1/requests/{id}/routing")),
        (
            &stranger.token,
            format!("/api/v1/requests/{id}/answer-draft"),
        ),
        (&stranger.token, format!("/api/v1/requests/{id}/noark5")),
        (&far_owner.token, format!("/api/v1/system-tasks/{task}")),
        (&far_editor.token, connector.clone()),
    ] {
        assert_problem(app.get_as(token, &path).await, 404, "not_found").await;
    }
    let response = app
        .post_as(
            &stranger.token,
            &format!("/api/v1/requests/{id}/lookups"),
            json!({}),
        )
        .await;
    assert_problem(response, 404, "not_found").await;
    let response = app
        .post_as(
            &far_owner.token,
            &format!("/api/v1/system-tasks/{task}/answer"),
            json!({"outcome": "no_data"}),
        )
        .await;
    assert_problem(response, 404, "not_found").await;
    let response = app
        .get_as(
            &far_owner.token,
            &format!("/api/v1/organizations/{}/system-tasks", town.org),
        )
        .await;
    assert_problem(response, 404, "not_found").await;
    // In the town: an owner of other systems cannot answer it; the caseworker cannot answer it
    // as if they owned the system, nor remove a connector.
    let other_owner = person(
        &app,
        "eier-annen-refuse@example.org",
        town.org,
        Role::SystemOwner,
    )
    .await;
    let response = app
        .post_as(
            &other_owner.token,
            &format!("/api/v1/system-tasks/{task}/answer"),
            json!({"outcome": "no_data"}),
        )
        .await;
    assert_problem(response, 404, "not_found").await;
    let response = app
        .post_as(
            &town.caseworker.token,
            &format!("/api/v1/system-tasks/{task}/answer"),
            json!({"outcome": "no_data"}),
        )
        .await;
    assert_problem(response, 403, "forbidden").await;
    let response = app.delete_as(&town.caseworker.token, &connector).await;
    assert_problem(response, 403, "forbidden").await;
    // Nothing changed: the task still waits for its owner.
    let list: Value = app
        .get_as(
            &town.caseworker.token,
            &format!("/api/v1/requests/{id}/tasks"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["status"], "manual");
}
