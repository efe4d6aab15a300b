//! Role requests: ask, approve (granted at once), deny, withdraw.

use serde_json::{Value, json};
use vern_domain::OrgKind;
use vern_domain::access::Role;

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{assert_problem, spawn_demo_app};

#[tokio::test]
async fn a_member_asks_and_another_administrator_approves_which_grants_at_once() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let admin = create_user(&app, "admin@example.org", &[(org, Role::OrgAdmin)], true).await;
    let admin = log_in(&app, &admin).await;
    let member = create_user(&app, "medlem@example.org", &[(org, Role::Auditor)], true).await;
    let member = log_in(&app, &member).await;
    let requests = format!("/api/v1/organizations/{org}/role-requests");
    let ask = json!({"role": "register_editor", "justification": "Jeg skal føre protokollen for oppvekst."});

    let response = app.post_as(&member.access, &requests, ask.clone()).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["state"], "pending");
    assert_eq!(created["role"], "register_editor");
    let id = created["id"].as_str().unwrap().to_owned();
    // One pending request per role.
    assert_problem(
        app.post_as(&member.access, &requests, ask).await,
        409,
        "conflict",
    )
    .await;

    // The administrator is notified (a link to the queue, no names); the requester is not.
    let notes: Value = app
        .get_as(&admin.access, "/api/v1/me/notifications")
        .await
        .json()
        .await
        .unwrap();
    let note = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "role_requested" && n["subject_id"] == id.as_str())
        .expect("the administrator's notification");
    assert_eq!(note["subject_type"], "role_request");
    assert_eq!(note["params"], json!({}));
    let own: Value = app
        .get_as(&member.access, "/api/v1/me/notifications")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["unread"], 0);

    // The requester sees it among their own; administrators in the queue.
    let mine: Value = app
        .get_as(&member.access, "/api/v1/me/role-requests")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["id"], id.as_str());
    let queue: Value = app
        .get_as(&admin.access, &format!("{requests}?state=pending"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        queue["items"][0]["justification"],
        "Jeg skal føre protokollen for oppvekst."
    );
    assert_eq!(queue["items"][0]["user_email"], "medlem@example.org");
    // The member may not see the queue; the register is closed to them before approval.
    assert_problem(
        app.get_as(&member.access, &requests).await,
        403,
        "forbidden",
    )
    .await;

    let response = app
        .post_as(
            &admin.access,
            &format!("{requests}/{id}/approve"),
            json!({"note": "Velkommen"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let approved: Value = response.json().await.unwrap();
    assert_eq!(approved["state"], "approved");
    assert_eq!(approved["decision_note"], "Velkommen");
    let me: Value = app
        .get_as(&member.access, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["memberships"][0]["roles"],
        json!(["register_editor", "auditor"])
    );
    // Decided once only.
    assert_problem(
        app.post_as(&admin.access, &format!("{requests}/{id}/deny"), json!({}))
            .await,
        409,
        "conflict",
    )
    .await;
    let actions = app.audit_actions(org).await;
    for action in [
        "role_request.created",
        "role_request.approved",
        "role.granted",
    ] {
        assert!(
            actions.contains(&action.to_owned()),
            "{action}: {actions:?}"
        );
    }
}

#[tokio::test]
async fn requests_are_denied_withdrawn_and_never_decided_by_the_requester() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let (_, page) = app
        .get_json("/api/v1/organizations?kind=municipality&limit=2")
        .await;
    let other = page["items"][1]["id"].as_str().unwrap().to_owned();
    let admin = create_user(&app, "admin@example.org", &[(org, Role::OrgAdmin)], true).await;
    let admin = log_in(&app, &admin).await;
    let member = create_user(&app, "medlem@example.org", &[(org, Role::Auditor)], true).await;
    let member = log_in(&app, &member).await;
    let requests = format!("/api/v1/organizations/{org}/role-requests");

    // Refused input.
    for (body, field) in [
        (
            json!({"role": "auditor", "justification": "Jeg trenger den rollen"}),
            "role",
        ),
        (
            json!({"role": "product_editor", "justification": "Jeg trenger den rollen"}),
            "role",
        ),
        (
            json!({"role": "signatory", "justification": "kort"}),
            "justification",
        ),
    ] {
        let problem = assert_problem(
            app.post_as(&member.access, &requests, body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    // Not a member elsewhere: 404.
    assert_problem(
        app.post_as(
            &member.access,
            &format!("/api/v1/organizations/{other}/role-requests"),
            json!({"role": "auditor", "justification": "Jeg trenger den rollen"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    // An administrator's own request needs another administrator.
    let own: Value = app
        .post_as(
            &admin.access,
            &requests,
            json!({"role": "signatory", "justification": "Skal signere avtaler i ferien."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let own_id = own["id"].as_str().unwrap();
    assert_problem(
        app.post_as(
            &admin.access,
            &format!("{requests}/{own_id}/approve"),
            json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    // Deny with a note, then withdraw another.
    let first: Value = app
        .post_as(
            &member.access,
            &requests,
            json!({"role": "signatory", "justification": "Skal signere avtaler i ferien."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let first_id = first["id"].as_str().unwrap();
    assert_problem(
        app.post_as(
            &member.access,
            &format!("{requests}/{first_id}/approve"),
            json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let denied: Value = app
        .post_as(
            &admin.access,
            &format!("{requests}/{first_id}/deny"),
            json!({"note": "Rådmannen signerer"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(denied["state"], "denied");
    let second: Value = app
        .post_as(
            &member.access,
            &requests,
            json!({"role": "register_editor", "justification": "Skal føre protokollen for helse."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let second_id = second["id"].as_str().unwrap();
    // Only the requester withdraws.
    assert_problem(
        app.post_as(
            &admin.access,
            &format!("{requests}/{second_id}/withdraw"),
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let withdrawn: Value = app
        .post_as(
            &member.access,
            &format!("{requests}/{second_id}/withdraw"),
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(withdrawn["state"], "withdrawn");
    assert_problem(
        app.post_as(
            &admin.access,
            &format!("{requests}/{second_id}/approve"),
            json!({}),
        )
        .await,
        409,
        "conflict",
    )
    .await;

    // Still only the auditor role.
    let me: Value = app
        .get_as(&member.access, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["memberships"][0]["roles"], json!(["auditor"]));
    let denied_only: Value = app
        .get_as(&member.access, "/api/v1/me/role-requests?state=denied")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(denied_only["items"].as_array().unwrap().len(), 1);
    assert_problem(
        app.get_as(&member.access, "/api/v1/me/role-requests?state=nonsense")
            .await,
        400,
        "invalid_query",
    )
    .await;
}
