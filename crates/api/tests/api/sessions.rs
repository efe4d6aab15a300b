//! The caller's own sessions.

use serde_json::Value;
use vern_domain::OrgKind;
use vern_domain::access::Role;

use crate::auth::{create_user, first_org, log_in};
use crate::helpers::{assert_problem, spawn_demo_app};

#[tokio::test]
async fn a_user_sees_their_sessions_and_ends_one_elsewhere() {
    let app = spawn_demo_app().await;
    let org = first_org(&app, OrgKind::Municipality).await;
    let user = create_user(&app, "flere@example.org", &[(org, Role::Auditor)], true).await;
    let laptop = log_in(&app, &user).await;
    // A second login needs the next TOTP step.
    let phone = {
        use vern_api::auth::credentials::totp_code;
        let challenge: Value = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": user.email, "password": user.password}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let next = u64::try_from(chrono::Utc::now().timestamp()).unwrap() + 30;
        let code = totp_code(user.totp_secret.as_deref().unwrap(), next).unwrap();
        let body: Value = app
            .client
            .post(app.url("/api/v1/auth/mfa/totp"))
            .json(&serde_json::json!({"mfa_token": challenge["mfa_token"], "code": code}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    };
    let other = create_user(&app, "annen@example.org", &[(org, Role::Auditor)], true).await;
    let other = log_in(&app, &other).await;

    let list: Value = app
        .get_as(&laptop.access, "/api/v1/me/sessions")
        .await
        .json()
        .await
        .unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1);
    let phone_session = items.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Another user cannot end it, nor see it.
    assert_problem(
        app.delete_as(
            &other.access,
            &format!("/api/v1/me/sessions/{phone_session}"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.get_as(&phone, "/api/v1/me").await.status(), 200);

    assert_eq!(
        app.delete_as(
            &laptop.access,
            &format!("/api/v1/me/sessions/{phone_session}")
        )
        .await
        .status(),
        204
    );
    assert_problem(
        app.get_as(&phone, "/api/v1/me").await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(app.get_as(&laptop.access, "/api/v1/me").await.status(), 200);
    let list: Value = app
        .get_as(&laptop.access, "/api/v1/me/sessions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_problem(
        app.delete_as(
            &laptop.access,
            &format!("/api/v1/me/sessions/{phone_session}"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}
