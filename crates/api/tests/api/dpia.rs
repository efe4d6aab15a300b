//! DPIA screening of processing activities: the questions, a screening that sets the
//! activity's DPIA status (and shows in the record), refusals, and the history.

use serde_json::{Value, json};
use vern_domain::OrgKind;
use vern_domain::access::Role;

use crate::activities::activity;
use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{assert_problem, spawn_demo_app};

#[tokio::test]
async fn a_register_editor_screens_an_activity_and_the_record_shows_the_outcome() {
    let app = spawn_demo_app().await;
    let municipality = first_org(&app, OrgKind::Municipality).await;
    let neighbour = app.org_named("Bodø").await;
    let mk = |email: &'static str, org, role| {
        let app = &app;
        async move {
            log_in(app, &create_user(app, email, &[(org, role)], true).await)
                .await
                .access
        }
    };
    let editor = mk("dpia-reg@example.org", municipality, Role::RegisterEditor).await;
    let auditor = mk("dpia-rev@example.org", municipality, Role::Auditor).await;
    let admin = mk("dpia-adm@example.org", municipality, Role::OrgAdmin).await;
    let stranger = mk("dpia-nabo@example.org", neighbour, Role::RegisterEditor).await;

    let questions: Value = app
        .get_as(&editor, "/api/v1/dpia-questions")
        .await
        .json()
        .await
        .unwrap();
    let items = questions["items"].as_array().unwrap();
    assert_eq!(items.iter().filter(|q| q["kind"] == "criterion").count(), 9);
    assert!(
        items
            .iter()
            .any(|q| q["key"] == "school_wellbeing" && q["needs_criteria"] == 0)
    );
    assert!(
        items
            .iter()
            .all(|q| q["nb"].is_string() && q["nn"].is_string() && q["en"].is_string())
    );

    let system: Value = app
        .post_as(
            &editor,
            &format!("/api/v1/organizations/{municipality}/systems"),
            json!({"name": "Trivselsverktøy", "owning_unit": "Oppvekst", "status": "in_use"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut facts = activity("Trivselsundersøkelse", system["id"].as_str().unwrap());
    facts["dpia"] = json!("not_assessed");
    let created: Value = app
        .post_as(
            &editor,
            &format!("/api/v1/organizations/{municipality}/processing-activities"),
            facts,
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let screenings =
        format!("/api/v1/organizations/{municipality}/processing-activities/{id}/dpia-screenings");

    // Unknown answers: refused by field, nothing stored.
    let bad = app
        .post_as(
            &editor,
            &screenings,
            json!({"criteria": ["nonsense"], "list_entries": ["large_scale"]}),
        )
        .await;
    let problem = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "criteria[0]");
    assert_eq!(problem["errors"][1]["field"], "list_entries[0]");

    // One criterion: no DPIA.
    let one: Value = app
        .post_as(
            &editor,
            &screenings,
            json!({"criteria": ["vulnerable_subjects"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["screening"]["result"]["dpia_required"], false);
    assert_eq!(one["dpia"], "not_required");
    // Assessing well-being in schools: always a DPIA, with the reason.
    let response = app
        .post_as(
            &editor,
            &screenings,
            json!({"criteria": ["vulnerable_subjects"], "list_entries": ["school_wellbeing"]}),
        )
        .await;
    assert_eq!(response.status().as_u16(), 201);
    let outcome: Value = response.json().await.unwrap();
    assert_eq!(outcome["dpia"], "required");
    assert_eq!(
        outcome["screening"]["result"]["reasons"][0]["reason"],
        "list_entry"
    );
    assert_eq!(
        outcome["screening"]["result"]["reasons"][0]["key"],
        "school_wellbeing"
    );
    assert!(outcome["screening"]["screened_by"].is_string());

    let stored: Value = app
        .get_as(
            &editor,
            &format!("/api/v1/organizations/{municipality}/processing-activities/{id}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["dpia"], "required");
    let record = app
        .get_as(
            &auditor,
            &format!("/api/v1/organizations/{municipality}/record-of-processing"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(record.contains("Trivselsundersøkelse"));

    // The history, newest first; the auditor reads it, may not screen; others see nothing.
    let history: Value = app
        .get_as(&auditor, &screenings)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["items"].as_array().unwrap().len(), 2);
    assert_eq!(history["items"][0]["result"]["dpia_required"], true);
    assert_problem(
        app.post_as(&auditor, &screenings, json!({})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_as(&admin, &screenings, json!({})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get_as(&stranger, &screenings).await, 404, "not_found").await;
    assert_problem(
        app.post_as(&stranger, &screenings, json!({})).await,
        404,
        "not_found",
    )
    .await;
    let actions = app.audit_actions(municipality).await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "processing_activity.dpia_screened")
            .count(),
        2
    );
}
