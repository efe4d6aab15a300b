use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn an_unknown_api_path_is_a_404_problem() {
    let app = spawn_app().await;
    for path in [
        "/api/nope",
        "/api/v1/nope",
        "/api/v1/organizations/0192f1a0-7c3e-7d2a-9b1e-3f5a6b7c8d9e/nope",
        "/api",
    ] {
        assert_problem(app.get(path).await, 404, "not_found").await;
    }
}

#[tokio::test]
async fn a_wrong_method_on_a_known_path_is_a_405_problem_with_allow() {
    let app = spawn_app().await;
    for (path, allow) in [
        ("/api/v1/organizations", "GET, POST"),
        (
            "/api/v1/organizations/0192f1a0-7c3e-7d2a-9b1e-3f5a6b7c8d9e",
            "GET",
        ),
        ("/api/health", "GET"),
    ] {
        let response = app.client.delete(app.url(path)).send().await.unwrap();
        assert_eq!(response.headers()["allow"], allow, "{path}");
        assert_problem(response, 405, "method_not_allowed").await;
    }
}

#[tokio::test]
async fn a_malformed_path_parameter_is_a_400_problem_that_does_not_echo_the_input() {
    let app = spawn_app().await;
    let body = assert_problem(
        app.get("/api/v1/organizations/01017012345").await,
        400,
        "invalid_path_parameter",
    )
    .await;
    assert!(!body.to_string().contains("01017012345"));
}

#[tokio::test]
async fn a_query_parameter_of_the_wrong_type_is_a_422_naming_the_field() {
    let app = spawn_app().await;
    let body = assert_problem(
        app.get("/api/v1/organizations?limit=many").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "limit");
    assert_eq!(body["errors"][0]["code"], "not_an_integer");
    assert!(!body.to_string().contains("many"));
}
