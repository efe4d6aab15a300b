//! Data-subject requests, staff side, on a demo municipality (Drammen, which has no demo
//! requests of its own): a caseworker registers a letter and takes it through its steps with the statutory clock; the DPO sees the overview
//! but not the contents; the org_admin and auditor see nothing; another municipality gets 404;
//! contents, notes and replies are encrypted in the database.

use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use vern_domain::OrganizationId;
use vern_domain::access::Role;
use vern_domain::calendar::oslo_date;
use vern_domain::requests::add_months;

use crate::agreements::{Person, person};
use crate::helpers::{TestApp, assert_problem, etag, spawn_demo_app};

/// A synthetic fødselsnummer (month + 80) made for the test.
fn synthetic_id(n: u16) -> String {
    (n..n + 50)
        .find_map(|i| vern_domain::person::synthetic(15, 1, 80, i))
        .unwrap()
        .expose()
}

fn days_ago(days: i64) -> chrono::NaiveDate {
    oslo_date(chrono::Utc::now()) - chrono::Duration::days(days)
}

fn letter(kind: &str, received: chrono::NaiveDate, national_id: &str) -> Value {
    json!({
        "kind": kind,
        "channel": "letter",
        "received_on": received,
        "requester": {
            "name": "Testperson Fjellstad",
            "national_id": national_id,
            "postal_address": "Prøvegata 1, 0150 Oslo",
            "email": "fjellstad@example.org"
        },
        "description": "Jeg ber om innsyn i alle opplysninger kommunen har om meg."
    })
}

async fn register(app: &TestApp, who: &Person, org: OrganizationId, body: Value) -> Value {
    let response = app
        .post_as(
            &who.token,
            &format!("/api/v1/organizations/{org}/requests"),
            body,
        )
        .await;
    assert_eq!(response.status().as_u16(), 201);
    assert!(response.headers().contains_key("location"));
    response.json().await.unwrap()
}

async fn step(app: &TestApp, who: &Person, id: &str, body: Value) -> reqwest::Response {
    let current = app
        .get_as(&who.token, &format!("/api/v1/requests/{id}"))
        .await;
    let tag = etag(&current);
    app.send(
        Method::POST,
        &who.token,
        &format!("/api/v1/requests/{id}/transitions"),
        Some(&tag),
        Some(body),
    )
    .await
}

struct Staff {
    town: OrganizationId,
    caseworker: Person,
    dpo: Person,
}

async fn staff(app: &TestApp, tag: &str) -> Staff {
    let town = app.org_named("Drammen").await;
    Staff {
        town,
        caseworker: person(
            app,
            &format!("saksbehandler-{tag}@example.org"),
            town,
            Role::RequestCaseworker,
        )
        .await,
        dpo: person(
            app,
            &format!("pvo-{tag}@example.org"),
            town,
            Role::PrivacyOfficer,
        )
        .await,
    }
}

#[tokio::test]
async fn a_caseworker_takes_a_letter_through_its_steps_on_the_statutory_clock() {
    let app = spawn_demo_app().await;
    let Staff {
        town,
        caseworker,
        dpo,
    } = staff(&app, "steps").await;
    let received = days_ago(3);
    let case = register(
        &app,
        &caseworker,
        town,
        letter("access", received, &synthetic_id(100)),
    )
    .await;
    let id = case["id"].as_str().unwrap().to_owned();
    assert_eq!(case["status"], "received");
    assert!(case["reference"].as_str().unwrap().contains('/'));
    assert_eq!(
        case["deadline"]["due"],
        add_months(received, 1).to_string(),
        "one month from receipt, not from registration"
    );
    assert_eq!(
        case["contents"]["requester"]["name"],
        "Testperson Fjellstad"
    );
    assert!(
        case["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("extend"))
    );

    // Start, then ask for identity: the clock stands still.
    let started = step(&app, &caseworker, &id, json!({"action": "start"})).await;
    assert_eq!(started.status().as_u16(), 200);
    let paused: Value = step(
        &app,
        &caseworker,
        &id,
        json!({"action": "clarify_identity"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(paused["status"], "identity_clarification");
    assert_eq!(paused["deadline"]["urgency"], "paused");
    assert_eq!(paused["pauses"].as_array().unwrap().len(), 1);
    let resumed: Value = step(
        &app,
        &caseworker,
        &id,
        json!({"action": "identity_confirmed"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(resumed["status"], "in_progress");
    assert!(resumed["pauses"][0]["until"].is_string());

    // An extension needs reasons; then it moves the deadline by a month from receipt.
    let current = app
        .get_as(&caseworker.token, &format!("/api/v1/requests/{id}"))
        .await;
    let tag = etag(&current);
    let short = app
        .send(
            Method::POST,
            &caseworker.token,
            &format!("/api/v1/requests/{id}/extend"),
            Some(&tag),
            Some(json!({"months": 1, "reasons": "travelt"})),
        )
        .await;
    let problem = assert_problem(short, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "extension_reasons_missing");
    let too_long = app
        .send(
            Method::POST,
            &caseworker.token,
            &format!("/api/v1/requests/{id}/extend"),
            Some(&tag),
            Some(json!({"months": 3, "reasons": "Opplysningene ligger i mange fagsystemer."})),
        )
        .await;
    let problem = assert_problem(too_long, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "extension_too_long");
    let extended: Value = app
        .send(
            Method::POST,
            &caseworker.token,
            &format!("/api/v1/requests/{id}/extend"),
            Some(&tag),
            Some(json!({"months": 1, "reasons": "Opplysningene ligger i mange fagsystemer."})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(extended["extension_months"], 1);
    assert_eq!(
        extended["deadline"]["due"],
        add_months(received, 2).to_string()
    );

    // The answer needs the reply; then the case is closed and takes no further step.
    let bare = step(&app, &caseworker, &id, json!({"action": "answer"})).await;
    assert_problem(bare, 422, "validation_failed").await;
    let answered: Value = step(
        &app,
        &caseworker,
        &id,
        json!({"action": "answer", "explanation": "Vedlagt er opplysningene vi har om deg."}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(answered["status"], "answered");
    assert!(answered["deadline"].is_null());
    assert!(answered["closed_at"].is_string());
    assert!(answered["allowed_actions"].as_array().unwrap().is_empty());
    let again = step(&app, &caseworker, &id, json!({"action": "withdraw"})).await;
    assert_problem(again, 409, "invalid_transition").await;

    // The history, in order; the DPO sees the steps but not the texts.
    let history: Value = app
        .get_as(&caseworker.token, &format!("/api/v1/requests/{id}/events"))
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
    assert_eq!(
        kinds,
        [
            "registered",
            "started",
            "identity_requested",
            "identity_confirmed",
            "extended",
            "answered"
        ]
    );
    assert_eq!(
        history["items"][4]["text"],
        "Opplysningene ligger i mange fagsystemer."
    );
    let seen_by_dpo: Value = app
        .get_as(&dpo.token, &format!("/api/v1/requests/{id}/events"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        seen_by_dpo["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["text"].is_null())
    );
    assert_eq!(seen_by_dpo["items"][4]["detail"], "1");

    // Every step is in the audit log.
    let actions = app.audit_actions(town).await;
    for expected in [
        "request.registered",
        "request.started",
        "request.identity_requested",
        "request.identity_confirmed",
        "request.extended",
        "request.answered",
    ] {
        assert!(actions.iter().any(|a| a == expected), "{expected}");
    }
}

#[tokio::test]
async fn the_dpo_sees_the_overview_others_see_nothing() {
    let app = spawn_demo_app().await;
    let Staff {
        town,
        caseworker,
        dpo,
    } = staff(&app, "access").await;
    let admin = person(&app, "admin-req@example.org", town, Role::OrgAdmin).await;
    let auditor = person(&app, "revisor-req@example.org", town, Role::Auditor).await;
    let bergen = app.org_named("Bergen").await;
    let other = person(
        &app,
        "saksbehandler-bergen@example.org",
        bergen,
        Role::RequestCaseworker,
    )
    .await;
    let case = register(
        &app,
        &caseworker,
        town,
        letter("access", days_ago(0), &synthetic_id(200)),
    )
    .await;
    let id = case["id"].as_str().unwrap();
    let path = format!("/api/v1/requests/{id}");
    let list = format!("/api/v1/organizations/{town}/requests");

    // The DPO: status, deadline and assignee, never the contents; no changes.
    let seen: Value = app.get_as(&dpo.token, &path).await.json().await.unwrap();
    assert!(seen["contents"].is_null());
    assert!(seen["deadline"]["due"].is_string());
    assert!(seen["allowed_actions"].as_array().unwrap().is_empty());
    let page: Value = app.get_as(&dpo.token, &list).await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert!(!page.to_string().contains("Fjellstad"));
    let refused = app
        .send(
            Method::POST,
            &dpo.token,
            &format!("{path}/transitions"),
            Some(&etag(&app.get_as(&dpo.token, &path).await)),
            Some(json!({"action": "start"})),
        )
        .await;
    assert_problem(refused, 403, "forbidden").await;
    let refused = app
        .post_as(&dpo.token, &list, letter("access", days_ago(0), ""))
        .await;
    assert_problem(refused, 403, "forbidden").await;

    // The org_admin and the auditor: nothing at all.
    for who in [&admin, &auditor] {
        assert_problem(app.get_as(&who.token, &path).await, 403, "forbidden").await;
        assert_problem(app.get_as(&who.token, &list).await, 403, "forbidden").await;
        assert_problem(
            app.get_as(&who.token, &format!("{path}/events")).await,
            403,
            "forbidden",
        )
        .await;
    }

    // Another municipality's caseworker: the request does not exist.
    assert_problem(app.get_as(&other.token, &path).await, 404, "not_found").await;
    assert_problem(app.get_as(&other.token, &list).await, 404, "not_found").await;
    let elsewhere = app
        .send(
            Method::POST,
            &other.token,
            &format!("{path}/transitions"),
            Some("*"),
            Some(json!({"action": "start"})),
        )
        .await;
    assert_problem(elsewhere, 404, "not_found").await;

    // Every change and the caseworker list: the DPO is refused (403), another municipality's
    // caseworker finds nothing (404); the overview and policy likewise for outsiders.
    let changes = [
        (
            Method::POST,
            format!("{path}/extend"),
            json!({"months": 1, "reasons": "Mange fagsystemer må gjennomgås her."}),
        ),
        (
            Method::PUT,
            format!("{path}/assignee"),
            json!({"user_id": null}),
        ),
        (
            Method::POST,
            format!("{path}/notes"),
            json!({"text": "Et notat om saken."}),
        ),
    ];
    for (method, url, body) in &changes {
        let by_dpo = app
            .send(
                method.clone(),
                &dpo.token,
                url,
                Some("*"),
                Some(body.clone()),
            )
            .await;
        assert_problem(by_dpo, 403, "forbidden").await;
        let by_other = app
            .send(
                method.clone(),
                &other.token,
                url,
                Some("*"),
                Some(body.clone()),
            )
            .await;
        assert_problem(by_other, 404, "not_found").await;
    }
    let workers = format!("/api/v1/organizations/{town}/caseworkers");
    assert_problem(app.get_as(&dpo.token, &workers).await, 403, "forbidden").await;
    assert_problem(app.get_as(&other.token, &workers).await, 404, "not_found").await;
    for url in [
        format!("/api/v1/organizations/{town}/request-overview"),
        format!("/api/v1/organizations/{town}/request-settings"),
    ] {
        assert_problem(app.get_as(&auditor.token, &url).await, 403, "forbidden").await;
        assert_problem(app.get_as(&other.token, &url).await, 404, "not_found").await;
    }

    // The overview counts without naming anyone.
    let overview: Value = app
        .get_as(
            &dpo.token,
            &format!("/api/v1/organizations/{town}/request-overview"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overview["open"], 1);
    assert_eq!(overview["unassigned"], 1);
    assert_eq!(overview["by_kind"][0]["kind"], "access");
}

#[tokio::test]
async fn contents_notes_and_replies_are_encrypted_in_the_database() {
    let app = spawn_demo_app().await;
    let Staff {
        town, caseworker, ..
    } = staff(&app, "sealed").await;
    let national_id = synthetic_id(300);
    let case = register(
        &app,
        &caseworker,
        town,
        letter("erasure", days_ago(1), &national_id),
    )
    .await;
    let id: uuid::Uuid = case["id"].as_str().unwrap().parse().unwrap();
    let note = app
        .post_as(
            &caseworker.token,
            &format!("/api/v1/requests/{id}/notes"),
            json!({"text": "Ringte Fjellstad og avklarte hvilke tjenester det gjelder."}),
        )
        .await;
    assert_eq!(note.status().as_u16(), 201);
    let row = vern_db::entities::request::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .unwrap()
        .unwrap();
    let raw = format!("{row:?}");
    for plain in [
        national_id.as_str(),
        "Fjellstad",
        "Prøvegata",
        "fjellstad@example.org",
        "innsyn",
    ] {
        assert!(!raw.contains(plain), "{plain} is stored in the clear");
    }
    assert!(row.contents.as_deref().unwrap().starts_with("enc:v1:"));
    let key = row.requester_key.unwrap();
    assert_eq!(key.len(), 64);
    assert!(key.chars().all(|c| c.is_ascii_hexdigit()));
    let events = vern_db::entities::request_event::Entity::find()
        .filter(vern_db::entities::request_event::Column::RequestId.eq(id))
        .all(&app.db.conn)
        .await
        .unwrap();
    let raw = format!("{events:?}");
    assert!(!raw.contains("Fjellstad"));
    assert!(raw.contains("enc:v1:"));
    // The audit log holds the action and the id, nothing the resident wrote.
    let chain = vern_db::audit::chain(&app.db.conn, Some(town))
        .await
        .unwrap();
    let raw = format!("{chain:?}");
    assert!(!raw.contains("Fjellstad") && !raw.contains(&national_id));
}

#[tokio::test]
async fn bad_input_is_refused_and_leaves_nothing_behind() {
    let app = spawn_demo_app().await;
    let Staff {
        town, caseworker, ..
    } = staff(&app, "bad").await;
    let count = || async {
        vern_db::entities::request::Entity::find()
            .count(&app.db.conn)
            .await
            .unwrap()
    };
    let before = count().await;
    let mut wrong = synthetic_id(400);
    let last = wrong.pop().unwrap();
    wrong.push(if last == '9' { '0' } else { '9' });
    let response = app
        .post_as(
            &caseworker.token,
            &format!("/api/v1/organizations/{town}/requests"),
            letter("access", days_ago(0), &wrong),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "requester.national_id");
    assert_eq!(problem["errors"][0]["code"], "national_id_check_digits");
    assert!(!problem.to_string().contains(&wrong[..6]));
    let mut future = letter("access", days_ago(-1), "");
    future["channel"] = json!("portal");
    let problem = assert_problem(
        app.post_as(
            &caseworker.token,
            &format!("/api/v1/organizations/{town}/requests"),
            future,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"channel") && fields.contains(&"received_on"));
    assert_eq!(count().await, before);

    // Refusals cite a ground that fits the kind; a stale or missing If-Match changes nothing.
    let case = register(
        &app,
        &caseworker,
        town,
        letter("erasure", days_ago(0), &synthetic_id(500)),
    )
    .await;
    let id = case["id"].as_str().unwrap();
    let wrong_ground = step(
        &app,
        &caseworker,
        id,
        json!({"action": "refuse", "ground": "portability_not_applicable", "explanation": "Gjelder ikke."}),
    )
    .await;
    let problem = assert_problem(wrong_ground, 422, "validation_failed").await;
    assert_eq!(
        problem["errors"][0]["code"],
        "refusal_ground_not_applicable"
    );
    let missing = app
        .send(
            Method::POST,
            &caseworker.token,
            &format!("/api/v1/requests/{id}/transitions"),
            None,
            Some(json!({"action": "start"})),
        )
        .await;
    assert_problem(missing, 428, "precondition_required").await;
    let stale = app
        .send(
            Method::POST,
            &caseworker.token,
            &format!("/api/v1/requests/{id}/transitions"),
            Some("\"999\""),
            Some(json!({"action": "start"})),
        )
        .await;
    assert_problem(stale, 412, "precondition_failed").await;
    let refused: Value = step(
        &app,
        &caseworker,
        id,
        json!({"action": "refuse", "ground": "erasure_exempt", "explanation": "Opplysningene må lagres etter arkivloven."}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["refusal_ground"], "erasure_exempt");
}

#[tokio::test]
async fn lists_filter_by_status_assignee_and_overdue_and_policy_is_the_admins() {
    let app = spawn_demo_app().await;
    let Staff {
        town,
        caseworker,
        dpo,
    } = staff(&app, "lists").await;
    let admin = person(&app, "admin-lists@example.org", town, Role::OrgAdmin).await;
    let list = format!("/api/v1/organizations/{town}/requests");
    let late = register(
        &app,
        &caseworker,
        town,
        letter("rectification", days_ago(45), &synthetic_id(600)),
    )
    .await;
    let fresh = register(
        &app,
        &caseworker,
        town,
        letter("objection", days_ago(0), &synthetic_id(700)),
    )
    .await;
    assert_eq!(late["deadline"]["urgency"], "overdue");
    assert!(late["deadline"]["days_left"].as_i64().unwrap() < 0);
    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    // Soonest deadline first.
    let page: Value = app.get_as(&dpo.token, &list).await.json().await.unwrap();
    assert_eq!(
        ids(&page),
        [late["id"].as_str().unwrap(), fresh["id"].as_str().unwrap()]
    );
    let overdue: Value = app
        .get_as(&dpo.token, &format!("{list}?overdue=true"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&overdue), [late["id"].as_str().unwrap()]);
    // Paging with a cursor.
    let first: Value = app
        .get_as(&dpo.token, &format!("{list}?limit=1"))
        .await
        .json()
        .await
        .unwrap();
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get_as(&dpo.token, &format!("{list}?limit=1&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&second), [fresh["id"].as_str().unwrap()]);

    // Assignment: only to a caseworker; then `assignee=me` finds it.
    let fresh_id = fresh["id"].as_str().unwrap();
    let tag = etag(
        &app.get_as(&caseworker.token, &format!("/api/v1/requests/{fresh_id}"))
            .await,
    );
    let to_dpo = app
        .send(
            Method::PUT,
            &caseworker.token,
            &format!("/api/v1/requests/{fresh_id}/assignee"),
            Some(&tag),
            Some(json!({"user_id": dpo.user.id})),
        )
        .await;
    let problem = assert_problem(to_dpo, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "not_a_caseworker");
    let workers: Value = app
        .get_as(
            &caseworker.token,
            &format!("/api/v1/organizations/{town}/caseworkers"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        workers
            .to_string()
            .contains(&caseworker.user.id.to_string())
    );
    let assigned = app
        .send(
            Method::PUT,
            &caseworker.token,
            &format!("/api/v1/requests/{fresh_id}/assignee"),
            Some(&tag),
            Some(json!({"user_id": caseworker.user.id})),
        )
        .await;
    assert_eq!(assigned.status().as_u16(), 200);
    let mine: Value = app
        .get_as(&caseworker.token, &format!("{list}?assignee=me"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&mine), [fresh_id]);
    assert!(
        mine["items"][0]["assignee"]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );
    let closed: Value = app
        .get_as(&dpo.token, &format!("{list}?status=closed"))
        .await
        .json()
        .await
        .unwrap();
    assert!(ids(&closed).is_empty());
    assert_problem(
        app.get_as(&dpo.token, &format!("{list}?status=bogus"))
            .await,
        422,
        "validation_failed",
    )
    .await;

    // The policy: the admin turns the pause off; new cases keep the clock running.
    let settings = format!("/api/v1/organizations/{town}/request-settings");
    let current = app.get_as(&admin.token, &settings).await;
    let tag = etag(&current);
    let body: Value = current.json().await.unwrap();
    assert_eq!(body["pause_stops_clock"], true);
    let by_dpo = app
        .send(
            Method::PUT,
            &dpo.token,
            &settings,
            Some(&tag),
            Some(json!({"pause_stops_clock": false, "answer_window_days": 30})),
        )
        .await;
    assert_problem(by_dpo, 403, "forbidden").await;
    let out_of_range = app
        .send(
            Method::PUT,
            &admin.token,
            &settings,
            Some(&tag),
            Some(json!({"pause_stops_clock": false, "answer_window_days": 3})),
        )
        .await;
    assert_problem(out_of_range, 422, "validation_failed").await;
    let changed = app
        .send(
            Method::PUT,
            &admin.token,
            &settings,
            Some(&tag),
            Some(json!({"pause_stops_clock": false, "answer_window_days": 30})),
        )
        .await;
    assert_eq!(changed.status().as_u16(), 200);
    let after = register(
        &app,
        &caseworker,
        town,
        letter("access", days_ago(0), &synthetic_id(800)),
    )
    .await;
    assert_eq!(after["pause_stops_clock"], false);
    assert!(
        app.audit_actions(town)
            .await
            .iter()
            .any(|a| a == "request_settings.changed")
    );
}

#[tokio::test]
async fn the_demo_gives_oslo_three_requests_in_different_states() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let dpo = person(&app, "pvo-demo@example.org", oslo, Role::PrivacyOfficer).await;
    let overview: Value = app
        .get_as(
            &dpo.token,
            &format!("/api/v1/organizations/{oslo}/request-overview"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overview["open"], 2);
    assert_eq!(overview["overdue"], 1);
    assert_eq!(overview["closed_last_year"], 1);
    // The demo residents' numbers are synthetic (month + 80).
    let caseworker = person(
        &app,
        "saksbehandler-demo@example.org",
        oslo,
        Role::RequestCaseworker,
    )
    .await;
    let page: Value = app
        .get_as(
            &caseworker.token,
            &format!("/api/v1/organizations/{oslo}/requests?status=all"),
        )
        .await
        .json()
        .await
        .unwrap();
    for item in page["items"].as_array().unwrap() {
        let case: Value = app
            .get_as(
                &caseworker.token,
                &format!("/api/v1/requests/{}", item["id"].as_str().unwrap()),
            )
            .await
            .json()
            .await
            .unwrap();
        let number = case["contents"]["requester"]["national_id"]
            .as_str()
            .unwrap();
        assert!(
            vern_domain::person::NationalId::parse(number)
                .unwrap()
                .is_synthetic()
        );
    }
}
