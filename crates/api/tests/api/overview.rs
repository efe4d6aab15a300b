//! The application overview as a spreadsheet: export, and import with a per-row report,
//! checked in full before anything is written.

use reqwest::Response;
use serde_json::Value;
use vern_domain::access::Role;

use crate::auth::{create_user, log_in};
use crate::helpers::{TestApp, assert_problem, spawn_demo_app};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn import(
    app: &TestApp,
    token: &str,
    org: impl std::fmt::Display,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Response {
    app.client
        .post(app.url(&format!(
            "/api/v1/organizations/{org}/system-imports?{query}"
        )))
        .bearer_auth(token)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn export_csv(app: &TestApp, token: &str, org: impl std::fmt::Display, lang: &str) -> String {
    let response = app
        .get_as(
            token,
            &format!("/api/v1/organizations/{org}/systems.csv?lang={lang}"),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("systemoversikt-")
    );
    response.text().await.unwrap()
}

fn records(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn to_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

#[tokio::test]
async fn the_overview_exports_and_reads_back_and_an_import_reports_each_row() {
    let app = spawn_demo_app().await;
    let oslo = app.org_named("Oslo").await;
    let bodo = app.org_named("Bodø").await;
    let mut tokens = Vec::new();
    for (email, org, role) in [
        ("reg@example.org", oslo, Role::RegisterEditor),
        ("rev@example.org", oslo, Role::Auditor),
        ("nabo@example.org", bodo, Role::RegisterEditor),
        ("adm@example.org", oslo, Role::OrgAdmin),
    ] {
        let user = create_user(&app, email, &[(org, role)], true).await;
        tokens.push(log_in(&app, &user).await.access);
    }
    let [editor, auditor, stranger, admin] = <[String; 4]>::try_from(tokens).unwrap();

    // Round trip: the export reads back as it is — every row unchanged.
    let exported = export_csv(&app, &editor, oslo, "nb").await;
    let rows = records(&exported);
    assert_eq!(rows[0][..3], ["Vern-ID", "Navn", "Produkt"]);
    assert!(rows.len() >= 26, "{}", rows.len());
    let skolesekk = rows.iter().position(|r| r[1] == "Skolesekk").unwrap();
    assert_eq!(rows[skolesekk][3], "Fjordlys Programvare AS");
    assert_eq!(rows[skolesekk][5], "2026.2");
    assert_eq!(rows[skolesekk][7], "I bruk");
    let r = import(
        &app,
        &editor,
        oslo,
        "",
        "text/csv",
        exported.clone().into_bytes(),
    )
    .await;
    assert_eq!(r.status(), 200);
    let report: Value = r.json().await.unwrap();
    assert_eq!(
        report["unchanged"].as_u64().unwrap() as usize,
        rows.len() - 1
    );
    assert_eq!(
        (
            report["created"].as_u64(),
            report["updated"].as_u64(),
            report["invalid"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
    assert_eq!(report["written"], false);
    // The English export reads back too.
    let english = export_csv(&app, &editor, oslo, "en").await;
    assert!(english.starts_with("Vern ID,Name,Product"));
    let report: Value = import(
        &app,
        &editor,
        oslo,
        "dry_run=true",
        "text/csv",
        english.into_bytes(),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(report["invalid"], 0);
    assert_eq!(report["updated"], 0);

    // A changed row, a new own system, a new catalogue system by product name, and a row
    // with mistakes.
    let mut changed = rows.clone();
    changed[skolesekk][6] = "Oppvekst og utdanning".into();
    let width = rows[0].len();
    let mut own = vec![String::new(); width];
    own[1] = "Nabovarsel".into();
    own[6] = "Plan- og bygningsetaten".into();
    own[7] = "Planlagt".into();
    own[8] = "Matrikkelen; Sak/arkiv".into();
    own[9] = "30.06.2027".into();
    let mut by_name = vec![String::new(); width];
    by_name[2] = "møtebok".into();
    by_name[6] = "Politisk sekretariat".into();
    by_name[7] = "in_use".into();
    let mut broken = vec![String::new(); width];
    broken[1] = "Feilrad".into();
    broken[7] = "Kanskje".into();
    broken[9] = "i morgen".into();
    changed.extend([own, by_name, broken]);
    let file = to_csv(&changed);
    let count = || async {
        let page: Value = app
            .get_as(
                &editor,
                &format!("/api/v1/organizations/{oslo}/systems?limit=500"),
            )
            .await
            .json()
            .await
            .unwrap();
        page["items"].as_array().unwrap().len()
    };
    let before = count().await;

    let report: Value = import(
        &app,
        &editor,
        oslo,
        "dry_run=true",
        "text/csv",
        file.clone(),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(report["dry_run"], true);
    assert_eq!(
        (
            report["created"].as_u64(),
            report["updated"].as_u64(),
            report["invalid"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    let bad = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["outcome"] == "invalid")
        .unwrap();
    assert_eq!(bad["line"].as_u64().unwrap() as usize, changed.len());
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in ["status", "review_date", "owning_unit"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    assert_eq!(count().await, before, "a dry run writes nothing");

    // All or nothing: the bad row stops the file.
    let body = assert_problem(
        import(&app, &editor, oslo, "", "text/csv", file.clone()).await,
        422,
        "validation_failed",
    )
    .await;
    let line = changed.len();
    assert!(
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == format!("rows[{line}].status"))
    );
    assert_eq!(count().await, before);

    // The valid rows only.
    let r = import(&app, &editor, oslo, "mode=valid_rows", "text/csv", file).await;
    assert_eq!(r.status(), 200);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["written"], true);
    assert_eq!(
        (
            report["created"].as_u64(),
            report["updated"].as_u64(),
            report["invalid"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(count().await, before + 2);
    let again = records(&export_csv(&app, &editor, oslo, "nb").await);
    let row = again.iter().find(|r| r[1] == "Skolesekk").unwrap();
    assert_eq!(row[6], "Oppvekst og utdanning");
    let nabo = again.iter().find(|r| r[1] == "Nabovarsel").unwrap();
    assert_eq!(
        (nabo[7].as_str(), nabo[8].as_str(), nabo[9].as_str()),
        ("Planlagt", "Matrikkelen; Sak/arkiv", "2027-06-30")
    );
    let motebok = again
        .iter()
        .find(|r| r[2] == "Møtebok" && r[6] == "Politisk sekretariat")
        .unwrap();
    assert!(!motebok[4].is_empty(), "linked to the catalogue product");
    let actions = app.audit_actions(oslo).await;
    assert!(actions.iter().filter(|a| *a == "system.created").count() >= 2);
    assert!(actions.contains(&"system.updated".to_owned()));

    // A status may only move along the life cycle, also by import.
    let mut backwards = vec![again[0].clone(), row.clone()];
    backwards[1][7] = "Planlagt".into();
    let report: Value = import(
        &app,
        &editor,
        oslo,
        "dry_run=true",
        "text/csv",
        to_csv(&backwards),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(report["rows"][0]["outcome"], "invalid");
    assert_eq!(report["rows"][0]["errors"][0]["field"], "status");

    // XLSX both ways: the export opens in a reader, and a workbook imports.
    let response = app
        .get_as(
            &editor,
            &format!("/api/v1/organizations/{oslo}/systems.xlsx"),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], XLSX);
    let bytes = response.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let range = workbook.worksheet_range("Systemoversikt").unwrap();
    assert_eq!(range.get_value((0, 5)).unwrap().to_string(), "Versjon");
    assert_eq!(range.get_value((0, 6)).unwrap().to_string(), "Eierenhet");
    assert!(range.rows().any(|r| r[1] == "Nabovarsel"));
    let report: Value = import(&app, &editor, oslo, "dry_run=true", XLSX, bytes.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["invalid"], 0);
    assert_eq!(report["updated"], 0);
    let rows = report["rows"].as_array().unwrap().len();

    // As generated clients send a file: application/octet-stream, the form told by content.
    let octets = "application/octet-stream";
    let report: Value = import(&app, &editor, oslo, "dry_run=true", octets, bytes)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            report["invalid"].as_u64(),
            report["rows"].as_array().unwrap().len()
        ),
        (Some(0), rows)
    );
    let csv_file = "Navn,Eierenhet,Status\nKartinnsyn,Plan- og bygningsetaten,I bruk\n";
    let report: Value = import(&app, &editor, oslo, "dry_run=true", octets, csv_file.into())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (report["created"].as_u64(), report["invalid"].as_u64()),
        (Some(1), Some(0))
    );

    // A semicolon-separated file, as Norwegian Excel saves CSV.
    let semicolons = "Navn;Eierenhet;Status\nKartinnsyn;Plan- og bygningsetaten;I bruk\n";
    let report: Value = import(
        &app,
        &editor,
        oslo,
        "dry_run=true",
        "text/csv",
        semicolons.into(),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(report["created"], 1);

    // Refusals.
    let missing = "Navn,Budsjett\nKartinnsyn,10\n";
    let body = assert_problem(
        import(&app, &editor, oslo, "", "text/csv", missing.into()).await,
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
    assert!(
        fields.contains(&"columns[1]") && fields.contains(&"columns.status"),
        "{fields:?}"
    );
    assert_problem(
        import(&app, &editor, oslo, "", "application/pdf", b"%PDF".to_vec()).await,
        415,
        "unsupported_media_type",
    )
    .await;
    assert_problem(
        import(&app, &editor, oslo, "", XLSX, b"not a workbook".to_vec()).await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        import(
            &app,
            &editor,
            oslo,
            "mode=some",
            "text/csv",
            semicolons.into(),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        import(&app, &auditor, oslo, "", "text/csv", semicolons.into()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        import(&app, &stranger, oslo, "", "text/csv", semicolons.into()).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(
            &stranger,
            &format!("/api/v1/organizations/{oslo}/systems.csv"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(
            &editor,
            &format!("/api/v1/organizations/{oslo}/systems.csv?lang=de"),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    // An administrator (users and settings only) reads no register; neither does another
    // municipality.
    for ext in ["csv", "xlsx"] {
        let path = format!("/api/v1/organizations/{oslo}/systems.{ext}");
        assert_problem(app.get_as(&admin, &path).await, 403, "forbidden").await;
        assert_problem(app.get_as(&stranger, &path).await, 404, "not_found").await;
    }
    assert_problem(
        import(&app, &admin, oslo, "", "text/csv", semicolons.into()).await,
        403,
        "forbidden",
    )
    .await;
    // The auditor reads the export.
    assert_eq!(
        app.get_as(
            &auditor,
            &format!("/api/v1/organizations/{oslo}/systems.csv")
        )
        .await
        .status(),
        200
    );
}
