use reqwest::Response;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use vern_domain::OrgKind;
use vern_domain::access::Role;

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{TestApp, assert_problem, spawn_demo_app};

async fn get(app: &TestApp, token: &str, path: &str) -> Response {
    app.client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn second_municipality(app: &TestApp) -> vern_domain::OrganizationId {
    let (_, page) = app
        .get_json("/api/v1/organizations?kind=municipality&limit=2")
        .await;
    page["items"][1]["id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_admin_grants_and_revokes_roles_that_take_effect_at_once() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "admin@example.org", &[(org, Role::OrgAdmin)], true).await;
    let member = create_user(&app, "medlem@example.org", &[(org, Role::Auditor)], true).await;
    let admin_session = log_in(&app, &admin).await;
    let member_session = log_in(&app, &member).await;

    let page: Value = get(
        &app,
        &admin_session.access,
        &format!("/api/v1/organizations/{org}/members"),
    )
    .await
    .json()
    .await
    .unwrap();
    let emails: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, vec!["admin@example.org", "medlem@example.org"]);

    let url = format!("/api/v1/organizations/{org}/members/{}/roles", member.id);
    let response = app
        .client
        .post(app.url(&url))
        .bearer_auth(&admin_session.access)
        .json(&json!({"role": "register_editor"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let me: Value = get(&app, &member_session.access, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["memberships"][0]["roles"],
        json!(["register_editor", "auditor"])
    );

    // Twice is a conflict; a vendor role does not exist in a municipality; the past is past.
    let again = app
        .client
        .post(app.url(&url))
        .bearer_auth(&admin_session.access)
        .json(&json!({"role": "register_editor"}))
        .send()
        .await
        .unwrap();
    assert_problem(again, 409, "conflict").await;
    let wrong_kind = app
        .client
        .post(app.url(&url))
        .bearer_auth(&admin_session.access)
        .json(&json!({"role": "product_editor"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(wrong_kind, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "role");
    let past = app
        .client
        .post(app.url(&url))
        .bearer_auth(&admin_session.access)
        .json(&json!({"role": "signatory", "until": "2020-01-01T00:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_problem(past, 422, "validation_failed").await;

    let revoke = app
        .client
        .delete(app.url(&format!("{url}/register_editor")))
        .bearer_auth(&admin_session.access)
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), 204);
    let me: Value = get(&app, &member_session.access, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["memberships"][0]["roles"], json!(["auditor"]));
    let again = app
        .client
        .delete(app.url(&format!("{url}/register_editor")))
        .bearer_auth(&admin_session.access)
        .send()
        .await
        .unwrap();
    assert_problem(again, 404, "not_found").await;

    // An administrator cannot lock the organisation out by removing their own role.
    let own = format!(
        "/api/v1/organizations/{org}/members/{}/roles/org_admin",
        admin.id
    );
    let response = app
        .client
        .delete(app.url(&own))
        .bearer_auth(&admin_session.access)
        .send()
        .await
        .unwrap();
    assert_problem(response, 409, "conflict").await;

    // Every change is in the organisation's chain, which verifies.
    let events: Value = get(
        &app,
        &admin_session.access,
        &format!("/api/v1/organizations/{org}/audit-events"),
    )
    .await
    .json()
    .await
    .unwrap();
    let actions: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["role.revoked", "role.granted"]);
    assert_eq!(events["items"][0]["actor_id"], admin.id.to_string());
    let verdict: Value = get(
        &app,
        &admin_session.access,
        &format!("/api/v1/organizations/{org}/audit-events/verify"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(verdict, json!({"checked": 2, "broken": null}));
}

#[tokio::test]
async fn roles_without_the_permission_are_refused_and_other_organisations_are_invisible() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let other = second_municipality(&app).await;
    let dpo = create_user(
        &app,
        "pvo@example.org",
        &[(org, Role::PrivacyOfficer)],
        true,
    )
    .await;
    let editor = create_user(
        &app,
        "red@example.org",
        &[(org, Role::RegisterEditor)],
        true,
    )
    .await;
    let foreign_admin =
        create_user(&app, "annen@example.org", &[(other, Role::OrgAdmin)], true).await;
    let dpo = log_in(&app, &dpo).await;
    let editor = log_in(&app, &editor).await;
    let foreign_admin = log_in(&app, &foreign_admin).await;

    // The DPO reads the audit log but does not manage members.
    assert_problem(
        get(
            &app,
            &dpo.access,
            &format!("/api/v1/organizations/{org}/members"),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        get(
            &app,
            &dpo.access,
            &format!("/api/v1/organizations/{org}/audit-events")
        )
        .await
        .status(),
        200
    );
    // A register editor does neither.
    assert_problem(
        get(
            &app,
            &editor.access,
            &format!("/api/v1/organizations/{org}/audit-events"),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    // Another organisation's administrator learns nothing, not even that it exists.
    for path in [
        format!("/api/v1/organizations/{org}/members"),
        format!("/api/v1/organizations/{org}/audit-events"),
        format!("/api/v1/organizations/{org}/audit-events/verify"),
    ] {
        assert_problem(
            get(&app, &foreign_admin.access, &path).await,
            404,
            "not_found",
        )
        .await;
    }
    let url = format!(
        "/api/v1/organizations/{org}/members/{}/roles",
        uuid::Uuid::now_v7()
    );
    let response = app
        .client
        .post(app.url(&url))
        .bearer_auth(&foreign_admin.access)
        .json(&json!({"role": "auditor"}))
        .send()
        .await
        .unwrap();
    assert_problem(response, 404, "not_found").await;
}

#[tokio::test]
async fn verify_reports_a_tampered_organisation_chain() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "a@example.org", &[(org, Role::OrgAdmin)], true).await;
    let member = create_user(&app, "m@example.org", &[(org, Role::Auditor)], true).await;
    let session = log_in(&app, &admin).await;
    let url = format!("/api/v1/organizations/{org}/members/{}/roles", member.id);
    for role in ["signatory", "register_editor", "system_owner"] {
        let response = app
            .client
            .post(app.url(&url))
            .bearer_auth(&session.access)
            .json(&json!({"role": role}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    app.db
        .conn
        .execute_unprepared("UPDATE audit_events SET action = 'role.revoked' WHERE sequence = 2")
        .await
        .unwrap();
    let verdict: Value = get(
        &app,
        &session.access,
        &format!("/api/v1/organizations/{org}/audit-events/verify"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(verdict["checked"], 1);
    assert_eq!(
        verdict["broken"],
        json!({"sequence": 2, "reason": "altered"})
    );
}

#[tokio::test]
async fn disabling_suspends_every_role_at_once_and_removal_ends_the_membership() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "admin@example.org", &[(org, Role::OrgAdmin)], true).await;
    let admin_session = log_in(&app, &admin).await;
    let member = create_user(
        &app,
        "medlem@example.org",
        &[(org, Role::Auditor), (org, Role::Signatory)],
        true,
    )
    .await;
    let member_session = log_in(&app, &member).await;
    let base = format!("/api/v1/organizations/{org}/members");
    let audit = format!("/api/v1/organizations/{org}/audit-events");
    assert_eq!(
        app.get_as(&member_session.access, &audit).await.status(),
        200
    );

    let response = app
        .post_as(
            &admin_session.access,
            &format!("{base}/{}/disable", member.id),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(response.status(), 204);
    // The open session loses the roles on its next request.
    assert_problem(
        app.get_as(&member_session.access, &audit).await,
        404,
        "not_found",
    )
    .await;
    let list: serde_json::Value = app
        .get_as(&admin_session.access, &base)
        .await
        .json()
        .await
        .unwrap();
    let entry = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "medlem@example.org")
        .unwrap()
        .clone();
    assert_eq!(entry["status"], "disabled");
    assert_problem(
        app.post_as(
            &admin_session.access,
            &format!("{base}/{}/disable", member.id),
            serde_json::json!({}),
        )
        .await,
        409,
        "conflict",
    )
    .await;

    assert_eq!(
        app.post_as(
            &admin_session.access,
            &format!("{base}/{}/enable", member.id),
            serde_json::json!({})
        )
        .await
        .status(),
        204
    );
    assert_eq!(
        app.get_as(&member_session.access, &audit).await.status(),
        200
    );

    // Nobody disables or removes themselves.
    assert_problem(
        app.post_as(
            &admin_session.access,
            &format!("{base}/{}/disable", admin.id),
            serde_json::json!({}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    assert_problem(
        app.delete_as(&admin_session.access, &format!("{base}/{}", admin.id))
            .await,
        409,
        "conflict",
    )
    .await;
    // A member without the permission cannot.
    assert_problem(
        app.delete_as(&member_session.access, &format!("{base}/{}", admin.id))
            .await,
        403,
        "forbidden",
    )
    .await;

    assert_eq!(
        app.delete_as(&admin_session.access, &format!("{base}/{}", member.id))
            .await
            .status(),
        204
    );
    assert_problem(
        app.get_as(&member_session.access, &audit).await,
        404,
        "not_found",
    )
    .await;
    let list: serde_json::Value = app
        .get_as(&admin_session.access, &base)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !list.to_string().contains("medlem@example.org"),
        "removed members are not listed"
    );
    assert_problem(
        app.delete_as(&admin_session.access, &format!("{base}/{}", member.id))
            .await,
        404,
        "not_found",
    )
    .await;
    let actions = app.audit_actions(org).await;
    for action in ["member.disabled", "member.enabled", "member.removed"] {
        assert!(actions.contains(&action.to_owned()), "{action}");
    }
}

#[tokio::test]
async fn an_access_review_lapses_unconfirmed_roles_at_the_due_time() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "admin@example.org", &[(org, Role::OrgAdmin)], true).await;
    let admin_session = log_in(&app, &admin).await;
    let kept = create_user(&app, "beholdt@example.org", &[(org, Role::Auditor)], true).await;
    let kept_session = log_in(&app, &kept).await;
    let lapsed = create_user(&app, "bortfalt@example.org", &[(org, Role::Auditor)], true).await;
    let lapsed_session = log_in(&app, &lapsed).await;
    let audit = format!("/api/v1/organizations/{org}/audit-events");

    // Too short a window is refused; the member cannot start one.
    let soon = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let problem = crate::helpers::assert_problem(
        app.post_as(
            &admin_session.access,
            &format!("/api/v1/organizations/{org}/access-reviews"),
            json!({"due": soon}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "due");
    let due = (chrono::Utc::now() + chrono::Duration::days(14)).to_rfc3339();
    crate::helpers::assert_problem(
        app.post_as(
            &kept_session.access,
            &format!("/api/v1/organizations/{org}/access-reviews"),
            json!({"due": due}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let response = app
        .post_as(
            &admin_session.access,
            &format!("/api/v1/organizations/{org}/access-reviews"),
            json!({"due": due}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let started: Value = response.json().await.unwrap();
    assert_eq!(started["grants"], 3);

    // The admin confirms one member's role (and their own); the list shows what awaits.
    let members: Value = app
        .get_as(
            &admin_session.access,
            &format!("/api/v1/organizations/{org}/members"),
        )
        .await
        .json()
        .await
        .unwrap();
    let grant_of = |email: &str| {
        members["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == email)
            .unwrap()["grants"][0]
            .clone()
    };
    assert!(grant_of("bortfalt@example.org")["review_due"].is_string());
    for email in ["beholdt@example.org", "admin@example.org"] {
        let id = grant_of(email)["id"].as_str().unwrap().to_owned();
        let response = app
            .post_as(
                &admin_session.access,
                &format!("/api/v1/organizations/{org}/grants/{id}/confirm"),
                json!({}),
            )
            .await;
        assert_eq!(response.status(), 200);
        let confirmed: Value = response.json().await.unwrap();
        assert!(confirmed["review_due"].is_null());
        // Confirming twice: nothing awaits confirmation.
        crate::helpers::assert_problem(
            app.post_as(
                &admin_session.access,
                &format!("/api/v1/organizations/{org}/grants/{id}/confirm"),
                json!({}),
            )
            .await,
            409,
            "conflict",
        )
        .await;
    }

    // The due time comes (moved into the past here): the unconfirmed role stops at once.
    app.db
        .conn
        .execute_unprepared(&format!(
            "UPDATE role_grants SET review_due = {} WHERE review_due IS NOT NULL",
            if crate::helpers::is_postgres() {
                "now() - interval '1 minute'"
            } else {
                "'2020-01-01 00:00:00+00:00'"
            }
        ))
        .await
        .unwrap();
    assert_eq!(get(&app, &kept_session.access, &audit).await.status(), 200);
    crate::helpers::assert_problem(
        get(&app, &lapsed_session.access, &audit).await,
        404,
        "not_found",
    )
    .await;
    let actions = app.audit_actions(org).await;
    assert!(actions.contains(&"access_review.started".to_owned()));
    assert!(actions.contains(&"role.confirmed".to_owned()));
}
