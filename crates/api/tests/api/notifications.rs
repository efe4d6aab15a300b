//! In-app notifications: a vendor's notice reaches the customer's privacy officers at once;
//! the reminders job tells of incident clocks and request deadlines, once; each reader sees
//! and marks only their own.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use vern_domain::access::Role;

use crate::auth::{create_user, log_in};
use crate::helpers::{assert_problem, spawn_demo_app};

#[tokio::test]
async fn notifications_reach_the_right_people_once_and_only_their_owner_reads_them() {
    let app = spawn_demo_app().await;
    let vendor = app.org_named("Fjordlys").await;
    let oslo = app.org_named("Oslo").await;
    let mk = |email: &'static str, org, role| {
        let app = &app;
        async move {
            log_in(app, &create_user(app, email, &[(org, role)], true).await)
                .await
                .access
        }
    };
    let vendor_admin = mk("varsel-lev@example.org", vendor, Role::VendorAdmin).await;
    let dpo = mk("varsel-pvo@example.org", oslo, Role::PrivacyOfficer).await;
    let caseworker = mk("varsel-saks@example.org", oslo, Role::RequestCaseworker).await;
    let editor = mk("varsel-reg@example.org", oslo, Role::RegisterEditor).await;
    let mine = "/api/v1/me/notifications";

    // A vendor's notice: Oslo's privacy officer hears at once, the register editor does not.
    let products: Value = app
        .get_as(&vendor_admin, "/api/v1/products?q=Skolesekk")
        .await
        .json()
        .await
        .unwrap();
    let aware = Utc::now() - Duration::hours(3);
    let sent = app
        .post_as(
            &vendor_admin,
            &format!("/api/v1/organizations/{vendor}/vendor-incidents"),
            json!({
                "product_id": products["items"][0]["id"],
                "title": "Eksportfiler lesbare uten innlogging",
                "aware_at": aware.to_rfc3339(),
                "classes": ["confidentiality"],
                "description": "Eksportfiler lå åpent i ett døgn.",
                "risk": "not_assessed"
            }),
        )
        .await;
    assert_eq!(sent.status(), 201);
    let page: Value = app.get_as(&dpo, mine).await.json().await.unwrap();
    assert_eq!(page["unread"], 1);
    let note = &page["items"][0];
    assert_eq!(note["kind"], "incident_received");
    assert_eq!(note["subject_type"], "incident");
    assert_eq!(note["organization_name"], "Oslo kommune");
    assert_eq!(note["params"]["from"], "Fjordlys Programvare AS");
    assert_eq!(
        note["params"]["title"],
        "Eksportfiler lesbare uten innlogging"
    );
    let note_id = note["id"].as_str().unwrap().to_owned();
    let editors: Value = app.get_as(&editor, mine).await.json().await.unwrap();
    assert_eq!(editors["unread"], 0);

    // Reminders: a breach found 50 hours ago has a day or less left; the demo's erasure
    // request, received 40 days ago, is overdue. Run twice: delivered once.
    let list = format!("/api/v1/organizations/{oslo}/incidents");
    let created = app
        .post_as(
            &dpo,
            &list,
            json!({
                "title": "Feil utsending av vedtak",
                "aware_at": (Utc::now() - Duration::hours(50)).to_rfc3339(),
                "classes": ["confidentiality"],
                "description": "Et vedtak gikk til feil mottaker.",
                "risk": "not_assessed"
            }),
        )
        .await;
    assert_eq!(created.status(), 201);
    let first = vern_api::scheduler::reminders(&app.db, Utc::now())
        .await
        .unwrap();
    assert!(first >= 2, "delivered {first}");
    assert_eq!(
        vern_api::scheduler::reminders(&app.db, Utc::now())
            .await
            .unwrap(),
        0
    );
    let page: Value = app
        .get_as(&dpo, &format!("{mine}?unread=true"))
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"incident_clock_urgent"), "{kinds:?}");
    let urgent = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "incident_clock_urgent")
        .unwrap();
    assert_eq!(urgent["params"]["title"], "Feil utsending av vedtak");
    assert!(urgent["params"]["due_at"].is_string());
    let cases: Value = app.get_as(&caseworker, mine).await.json().await.unwrap();
    let overdue = cases["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "request_overdue")
        .expect("the overdue demo request");
    assert_eq!(overdue["subject_type"], "request");
    assert!(overdue["params"]["reference"].is_string());
    assert!(overdue["params"]["due_on"].is_string());
    // No personal data in a notification: the demo requester's name is nowhere.
    assert!(!cases.to_string().contains("Haugen"));

    // Only the owner reads and marks; one read, then all.
    assert_problem(
        app.post_as(&caseworker, &format!("{mine}/{note_id}/read"), json!({}))
            .await,
        404,
        "not_found",
    )
    .await;
    let read = app
        .post_as(&dpo, &format!("{mine}/{note_id}/read"), json!({}))
        .await;
    assert_eq!(read.status(), 204);
    let page: Value = app.get_as(&dpo, mine).await.json().await.unwrap();
    let unread_before = page["unread"].as_u64().unwrap();
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == note_id.as_str() && n["read_at"].is_string())
    );
    assert_eq!(
        app.post_as(&dpo, &format!("{mine}/read"), json!({}))
            .await
            .status(),
        204
    );
    let page: Value = app.get_as(&dpo, mine).await.json().await.unwrap();
    assert!(unread_before > 0);
    assert_eq!(page["unread"], 0);
    assert_problem(
        app.get_as(&dpo, &format!("{mine}?unread=maybe")).await,
        422,
        "validation_failed",
    )
    .await;
}
