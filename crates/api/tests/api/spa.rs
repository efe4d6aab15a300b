use crate::helpers::spawn_app;

#[tokio::test]
async fn a_deep_link_gets_index_html_uncached() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/organizations",
        "/nn/organizations/0192f1a0-7c3e-7d2a-9b1e-3f5a6b7c8d9e",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(response.text().await.unwrap().contains("Vern test SPA"));
    }
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year_and_missing_ones_are_404() {
    let app = spawn_app().await;
    let response = app.get("/assets/abc123/app.js").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert!(response.headers().contains_key("etag"));
    let missing = app.get("/assets/abc123/missing.js").await;
    assert_eq!(missing.status().as_u16(), 404);
}

#[tokio::test]
async fn files_outside_the_static_directory_are_not_served() {
    let app = spawn_app().await;
    std::fs::write(app.static_dir.join(".secret"), "x").unwrap();
    let response = app.get("/.secret").await;
    // Not the file: the SPA shell instead.
    assert!(!response.text().await.unwrap().eq("x"));
    let response = app.get("/%2e%2e/vern.db").await;
    assert!(response.text().await.unwrap().contains("Vern test SPA"));
}

#[tokio::test]
async fn non_get_methods_outside_the_api_are_405() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/organizations"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(response.headers()["allow"], "GET, HEAD");
}
