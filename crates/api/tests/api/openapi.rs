use serde_json::Value;

use crate::helpers::spawn_app;

fn committed() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let text =
        std::fs::read_to_string(path).expect("openapi/openapi.json exists (run `just openapi`)");
    serde_json::from_str(&text).expect("committed spec is JSON")
}

#[tokio::test]
async fn the_served_spec_is_the_committed_one() {
    let app = spawn_app().await;
    let (status, served) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(
        served == committed(),
        "openapi/openapi.json is stale: run `just openapi` and commit the result"
    );
}

#[test]
fn every_operation_has_an_id_a_summary_responses_and_a_security_statement() {
    let spec = committed();
    let mut ids = std::collections::HashSet::new();
    let mut count = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            count += 1;
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: operationId"));
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path}: summary"
            );
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}: responses"
            );
            assert!(
                op.get("security").is_some() || spec.get("security").is_some(),
                "{method} {path}: security"
            );
            assert!(
                !op["tags"].as_array().map(Vec::is_empty).unwrap_or(true),
                "{method} {path}: tag"
            );
        }
    }
    assert!(count >= 3);
}

#[tokio::test]
async fn the_docs_ui_is_served_from_this_server() {
    let app = spawn_app().await;
    let response = app.get("/api/docs/").await;
    assert_eq!(response.status().as_u16(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"));
    let html = response.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("https://"),
        "the docs page loads nothing from elsewhere"
    );
    let init = app
        .get("/api/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/openapi.json"));
}
