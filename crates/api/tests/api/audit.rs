//! Filtering and exporting the audit log.

use serde_json::{Value, json};
use vern_domain::OrgKind;
use vern_domain::access::Role;

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{assert_problem, spawn_demo_app};

#[tokio::test]
async fn the_log_filters_by_action_actor_and_time_and_exports_csv() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "admin@example.org", &[(org, Role::OrgAdmin)], true).await;
    let session = log_in(&app, &admin).await;
    let member = create_user(&app, "medlem@example.org", &[(org, Role::Auditor)], true).await;
    let roles = format!("/api/v1/organizations/{org}/members/{}/roles", member.id);
    app.post_as(&session.access, &roles, json!({"role": "signatory"}))
        .await;
    app.delete_as(&session.access, &format!("{roles}/signatory"))
        .await;
    app.post_as(&session.access, &roles, json!({"role": "register_editor"}))
        .await;
    let base = format!("/api/v1/organizations/{org}/audit-events");

    let granted: Value = app
        .get_as(&session.access, &format!("{base}?action=role.granted"))
        .await
        .json()
        .await
        .unwrap();
    let items = granted["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|e| e["action"] == "role.granted"));
    let by_admin: Value = app
        .get_as(
            &session.access,
            &format!("{base}?actor={}&target_type=user", admin.id),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_admin["items"].as_array().unwrap().len(), 3);
    let future: Value = app
        .get_as(
            &session.access,
            &format!("{base}?from=2099-01-01T00:00:00Z"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(future["items"], json!([]));
    for bad in [
        "?action=Role%20Granted",
        "?actor=nope",
        "?from=2026-11-24T10:00:00Z&to=2026-11-23T10:00:00Z",
        "?from=yesterday",
    ] {
        assert_problem(
            app.get_as(&session.access, &format!("{base}{bad}")).await,
            400,
            "invalid_query",
        )
        .await;
    }

    let response = app
        .get_as(
            &session.access,
            &format!("{base}/export.csv?action=role.revoked"),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "sequence,occurred_at,actor_kind,actor_id,action,target_type,target_id,outcome,request_id,prev_hash,hash"
    );
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[1].contains(",role.revoked,user,"));
    assert!(
        !text.contains("medlem@example.org"),
        "no personal data in the log"
    );

    // Another organisation's log is not there; a member without the permission is refused.
    let (_, page) = app
        .get_json("/api/v1/organizations?kind=municipality&limit=2")
        .await;
    let other = page["items"][1]["id"].as_str().unwrap();
    assert_problem(
        app.get_as(
            &session.access,
            &format!("/api/v1/organizations/{other}/audit-events/export.csv"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let signatory = create_user(&app, "sign@example.org", &[(org, Role::Signatory)], true).await;
    let signatory = log_in(&app, &signatory).await;
    assert_problem(
        app.get_as(&signatory.access, &format!("{base}/export.csv"))
            .await,
        403,
        "forbidden",
    )
    .await;
}
