//! The authorization matrix: every operation in the committed OpenAPI document is called
//! without credentials and with a forged token. Every operation not documented as public
//! (`security: [{}]`) must answer 401 — so each new endpoint is covered the moment it is
//! documented. (Members of another organisation: added with the first org-scoped endpoint.)

use serde_json::Value;

use crate::helpers::spawn_app;

fn committed() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn is_public(op: &Value) -> bool {
    op["security"].as_array().is_some_and(|reqs| {
        reqs.iter()
            .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
    })
}

#[tokio::test]
async fn every_protected_operation_refuses_anonymous_and_forged_callers() {
    let app = spawn_app().await;
    let spec = committed();
    let mut protected = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        let concrete = path.replace("{org_id}", "0192f1a0-7c3e-7d2a-9b1e-3f5a6b7c8d9e");
        assert!(
            !concrete.contains('{'),
            "add a value for the parameters of {path}"
        );
        for (method, op) in item.as_object().unwrap() {
            let method: reqwest::Method = method.to_uppercase().parse().unwrap();
            for token in [None, Some("eyJhbGciOiJFZERTQSJ9.e30.AAAA")] {
                let mut request = app.client.request(method.clone(), app.url(&concrete));
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                let status = request
                    .json(&serde_json::json!({}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16();
                if is_public(op) {
                    // Public operations judge the credentials in their body or cookie
                    // themselves (login, refresh); they only must not fail.
                    assert!(status < 500, "{method} {path}: {status}");
                } else {
                    assert_eq!(status, 401, "{method} {path} with token {token:?}");
                }
            }
            if !is_public(op) {
                protected += 1;
            }
        }
    }
    assert!(protected >= 2, "expected protected operations in the spec");
}
