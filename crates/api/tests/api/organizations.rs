use std::collections::HashSet;

use serde_json::Value;
use vern_domain::sort_key::sort_key;

use crate::helpers::{assert_problem, spawn_app, spawn_demo_app};

async fn all_pages(app: &crate::helpers::TestApp, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let path = match &cursor {
            Some(c) => format!("/api/v1/organizations?{query}&cursor={c}"),
            None => format!("/api/v1/organizations?{query}"),
        };
        let (status, page) = app.get_json(&path).await;
        assert_eq!(status, 200, "{path}: {page}");
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return items,
        }
    }
    panic!("pagination did not end");
}

#[tokio::test]
async fn paging_walks_every_demo_organisation_once_in_norwegian_order() {
    let app = spawn_demo_app().await;
    let items = all_pages(&app, "limit=100").await;
    assert_eq!(items.len(), 357 + 5);
    let ids: HashSet<_> = items
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), items.len(), "no organisation appears twice");
    let keys: Vec<String> = items
        .iter()
        .map(|o| sort_key(o["name"].as_str().unwrap()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // Æ, Ø and Å come after Z.
    let names: Vec<&str> = items.iter().map(|o| o["name"].as_str().unwrap()).collect();
    let pos = |name: &str| names.iter().position(|n| *n == name).unwrap();
    assert!(pos("Vaksdal kommune") < pos("Ørland kommune"));
    assert!(pos("Ørland kommune") < pos("Åsnes kommune"));
}

#[tokio::test]
async fn the_default_page_holds_50_and_points_to_the_next() {
    let app = spawn_demo_app().await;
    let (status, page) = app.get_json("/api/v1/organizations").await;
    assert_eq!(status, 200);
    assert_eq!(page["items"].as_array().unwrap().len(), 50);
    assert!(page["next_cursor"].is_string());
}

#[tokio::test]
async fn an_empty_database_answers_an_empty_last_page() {
    let app = spawn_app().await;
    let (status, page) = app.get_json("/api/v1/organizations").await;
    assert_eq!(status, 200);
    assert_eq!(page["items"], serde_json::json!([]));
    assert!(page["next_cursor"].is_null());
}

#[tokio::test]
async fn kind_filters_and_q_searches_case_and_accent_insensitively() {
    let app = spawn_demo_app().await;
    let vendors = all_pages(&app, "kind=vendor").await;
    assert_eq!(vendors.len(), 3);
    assert!(
        vendors
            .iter()
            .all(|o| o["kind"] == "vendor" && o["municipality"].is_null())
    );
    assert!(
        vendors
            .iter()
            .all(|o| o["org_number"].as_str().is_some_and(|n| n.len() == 9))
    );

    let municipalities = all_pages(&app, "kind=municipality&limit=500").await;
    assert_eq!(municipalities.len(), 357);

    for q in ["bodø", "BODØ", "Bod"] {
        let found = all_pages(&app, &format!("q={}", urlencode(q))).await;
        assert!(found.iter().any(|o| o["name"] == "Bodø kommune"), "{q}");
    }
    let karasjok = all_pages(&app, "q=karasjohka").await;
    assert_eq!(karasjok.len(), 1, "Kárášjohka found without its accents");
    assert_eq!(karasjok[0]["municipality"]["number"], "5610");

    // LIKE wildcards in the query are taken literally.
    assert!(all_pages(&app, "q=%25").await.is_empty());
    assert!(all_pages(&app, "q=_").await.is_empty());
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn a_cursor_not_issued_by_the_server_is_a_422() {
    let app = spawn_demo_app().await;
    for bad in ["garbage", "eyJ4IjoxfQ", "!!"] {
        let body = assert_problem(
            app.get(&format!("/api/v1/organizations?cursor={bad}"))
                .await,
            422,
            "invalid_cursor",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "cursor");
    }
}

#[tokio::test]
async fn out_of_range_and_unknown_values_are_422_with_every_field_named() {
    let app = spawn_app().await;
    let body = assert_problem(
        app.get("/api/v1/organizations?limit=501&kind=school").await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["limit", "kind"]);
    assert_problem(
        app.get("/api/v1/organizations?limit=0").await,
        422,
        "validation_failed",
    )
    .await;
    let long = "a".repeat(201);
    assert_problem(
        app.get(&format!("/api/v1/organizations?q={long}")).await,
        422,
        "validation_failed",
    )
    .await;
    // NUL is refused the same way on SQLite and PostgreSQL.
    let body = assert_problem(
        app.get("/api/v1/organizations?q=a%00b").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "control_characters");
}

#[tokio::test]
async fn one_organisation_can_be_read_by_id() {
    let app = spawn_demo_app().await;
    let (_, page) = app
        .get_json("/api/v1/organizations?q=oslo&kind=municipality")
        .await;
    let oslo = &page["items"][0];
    assert_eq!(oslo["name"], "Oslo kommune");
    let (status, body) = app
        .get_json(&format!(
            "/api/v1/organizations/{}",
            oslo["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(&body, oslo);
    assert_eq!(body["municipality"]["number"], "0301");
    assert_eq!(body["municipality"]["county_name"], "Oslo");
    assert_eq!(body["kind"], "municipality");
}

#[tokio::test]
async fn an_unknown_id_is_a_404_problem() {
    let app = spawn_demo_app().await;
    assert_problem(
        app.get("/api/v1/organizations/0192f1a0-7c3e-7d2a-9b1e-3f5a6b7c8d9e")
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn seeding_twice_keeps_what_is_there() {
    let app = spawn_demo_app().await;
    let report = vern_db::seed::seed_demo(&app.db, chrono::Utc::now(), |_, _| {})
        .await
        .unwrap();
    assert_eq!(report.created, 0);
    assert_eq!(report.kept, 362);
    assert_eq!(
        vern_db::organizations::count(&app.db.conn).await.unwrap(),
        362
    );
}
