use crate::helpers::{is_postgres, spawn_app};

#[tokio::test]
async fn health_reports_ok_with_version_and_database_kind() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/api/health").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        body["database"],
        if is_postgres() { "postgres" } else { "sqlite" }
    );
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys_enforced() {
    if is_postgres() {
        return;
    }
    let app = spawn_app().await;
    let (journal, foreign_keys) = vern_db::connection::sqlite_pragmas(&app.db)
        .await
        .expect("pragmas")
        .expect("sqlite");
    assert_eq!(journal, "wal");
    assert_eq!(foreign_keys, 1);
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    for path in [
        "/api/health",
        "/api/v1/organizations",
        "/",
        "/organizations/x",
        "/api/nope",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        let id = headers["x-request-id"].to_str().unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{path}: {id}");
    }
}

#[tokio::test]
async fn a_lost_database_is_reported_as_degraded_and_503_not_as_an_internal_error() {
    let app = spawn_app().await;
    // The test shares the server's pool; closing it is what a lost database looks like.
    app.db.conn.clone().close().await.expect("close pool");
    let (status, body) = app.get_json("/api/health").await;
    assert_eq!(status, 503);
    assert_eq!(body["status"], "degraded");
    let response = app.get("/api/v1/organizations").await;
    assert_eq!(response.headers()["retry-after"], "1");
    crate::helpers::assert_problem(response, 503, "service_unavailable").await;
}
