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

fn kinds_of(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn reviews_renewals_access_reviews_and_vendor_changes_reach_who_acts_on_them() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let vendor = app.org_named("Fjordlys").await;
    let mk = |email: &'static str, org, role| {
        let app = &app;
        async move {
            log_in(app, &create_user(app, email, &[(org, role)], true).await)
                .await
                .access
        }
    };
    let editor = mk("frist-reg@example.org", oslo, Role::RegisterEditor).await;
    let caseworker = mk("frist-saks@example.org", oslo, Role::RequestCaseworker).await;
    let admin = mk("frist-adm@example.org", oslo, Role::OrgAdmin).await;
    let dpo = mk("frist-pvo@example.org", oslo, Role::PrivacyOfficer).await;
    let vendor_admin = mk("frist-lev@example.org", vendor, Role::VendorAdmin).await;
    let mine = "/api/v1/me/notifications?limit=500";

    // An access review due in two days.
    let started = app
        .post_as(
            &admin,
            &format!("/api/v1/organizations/{oslo}/access-reviews"),
            json!({"due": (Utc::now() + Duration::days(2)).to_rfc3339()}),
        )
        .await;
    assert_eq!(started.status(), 201);

    let first = vern_api::scheduler::reminders(&app.db, Utc::now())
        .await
        .unwrap();
    assert!(first > 0);
    assert_eq!(
        vern_api::scheduler::reminders(&app.db, Utc::now())
            .await
            .unwrap(),
        0,
        "each reminder once"
    );

    // The demo's overdue review dates reach the register editor, with name and date.
    let page: Value = app.get_as(&editor, mine).await.json().await.unwrap();
    let review = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "review_due")
        .expect("a review reminder");
    assert!(review["params"]["title"].is_string());
    assert!(review["params"]["due_on"].is_string());
    assert_eq!(review["subject_type"], "register_entry");

    // The demo guardian's consent due for renewal reaches the caseworker — by activity,
    // never by the child's or the guardian's name.
    let page: Value = app.get_as(&caseworker, mine).await.json().await.unwrap();
    let renewal = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "consent_renewal_due")
        .expect("a renewal reminder");
    assert_eq!(
        renewal["params"]["title"],
        "Bilder fra barnehagen til foreldrene"
    );
    assert!(!page.to_string().contains("Lie"), "no names");

    // The access review reaches the administrator; the privacy officer gets none of these.
    let page: Value = app.get_as(&admin, mine).await.json().await.unwrap();
    assert!(kinds_of(&page).contains(&"access_review_due".to_owned()));
    let page: Value = app.get_as(&dpo, mine).await.json().await.unwrap();
    for kind in kinds_of(&page) {
        assert!(
            !["review_due", "consent_renewal_due", "access_review_due"].contains(&kind.as_str()),
            "{kind}"
        );
    }

    // A vendor changes a product Oslo uses: Oslo's register editors hear of it at once.
    let products: Value = app
        .get_as(&vendor_admin, "/api/v1/products?q=Skolesekk")
        .await
        .json()
        .await
        .unwrap();
    let id = products["items"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/organizations/{vendor}/products/{id}");
    let mut facts: Value = app
        .get_as(&vendor_admin, &format!("/api/v1/products/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let tag = format!("\"{}\"", facts["revision"]);
    facts["hosting"] = json!([{"country": "SE", "role": "storage"}]);
    let changed = app
        .send(
            reqwest::Method::PUT,
            &vendor_admin,
            &path,
            Some(&tag),
            Some(facts),
        )
        .await;
    assert_eq!(changed.status(), 200, "{}", changed.text().await.unwrap());
    let page: Value = app.get_as(&editor, mine).await.json().await.unwrap();
    let change = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "vendor_change")
        .expect("a vendor change notification");
    assert_eq!(change["params"]["from"], "Fjordlys Programvare AS");
    assert_eq!(change["subject_type"], "review_item");

    // Three days on, the grants nobody re-confirmed have lapsed: the lapse job records each
    // once, as the system, in Oslo's audit log.
    let later = Utc::now() + Duration::days(3);
    let ended = vern_api::scheduler::lapse_grants(&app.db, later)
        .await
        .unwrap();
    assert!(ended >= 4, "ended {ended}");
    assert_eq!(
        vern_api::scheduler::lapse_grants(&app.db, later)
            .await
            .unwrap(),
        0
    );
    let actions = app.audit_actions(oslo).await;
    assert!(actions.iter().any(|a| a == "role.lapsed"), "{actions:?}");
}
