//! The Noark 5 export of a closed request: the package's XML is valid against the National
//! Archives' schema (checked by xmllint, a real XML Schema validator), every document's
//! checksum and size match its file, the case is screened with the resident as its part;
//! open cases, the DPO and other municipalities get nothing.

use std::io::Read as _;

use reqwest::Method;
use serde_json::{Value, json};
use vern_domain::access::Role;

use crate::agreements::person;
use crate::helpers::{assert_problem, etag, spawn_demo_app};

fn xsd() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/noark5/arkivstruktur.xsd")
}

fn synthetic_id() -> String {
    (300..350)
        .find_map(|i| vern_domain::person::synthetic(9, 4, 79, i))
        .unwrap()
        .expose()
}

#[tokio::test]
async fn a_closed_case_exports_as_a_valid_noark5_package() {
    let app = spawn_demo_app().await;
    let town = app.org_named("Drammen").await;
    let caseworker = person(&app, "sb-arkiv@example.org", town, Role::RequestCaseworker).await;
    let dpo = person(&app, "pvo-arkiv@example.org", town, Role::PrivacyOfficer).await;
    let national_id = synthetic_id();
    let case: Value = app
        .post_as(
            &caseworker.token,
            &format!("/api/v1/organizations/{town}/requests"),
            json!({
                "kind": "access",
                "channel": "letter",
                "requester": {"name": "Testperson Arkivar & Sønn", "national_id": national_id,
                              "postal_address": "Prøvegata 4, 3015 Drammen"},
                "description": "Jeg ber om innsyn i opplysningene om meg <alle systemer>."
            }),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = case["id"].as_str().unwrap().to_owned();
    let export = format!("/api/v1/requests/{id}/noark5");
    // Open: nothing to archive yet.
    let response = app.get_as(&caseworker.token, &export).await;
    assert_problem(response, 409, "invalid_transition").await;

    for body in [
        json!({"action": "start"}),
        json!({"action": "answer", "explanation": "Vedlagt er opplysningene kommunen har om deg."}),
    ] {
        let current = app
            .get_as(&caseworker.token, &format!("/api/v1/requests/{id}"))
            .await;
        let response = app
            .send(
                Method::POST,
                &caseworker.token,
                &format!("/api/v1/requests/{id}/transitions"),
                Some(&etag(&current)),
                Some(body),
            )
            .await;
        assert_eq!(response.status().as_u16(), 200);
    }

    let response = app.get_as(&caseworker.token, &export).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert!(names.contains(&"arkivstruktur.xml".to_owned()), "{names:?}");
    let mut xml = String::new();
    zip.by_name("arkivstruktur.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();

    // Valid against the schema, by xmllint.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("arkivstruktur.xml");
    std::fs::write(&path, &xml).unwrap();
    let output = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(xsd())
        .arg(&path)
        .output()
        .expect("xmllint runs (Debian: apt-get install libxml2-utils; `just test` installs it)");
    assert!(
        output.status.success(),
        "xmllint refused the package: {}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A broken package is refused by the same check: the validator is really judging.
    let broken =
        xml.replacen("<saksaar>", "<saksaarX>", 1)
            .replacen("</saksaar>", "</saksaarX>", 1);
    std::fs::write(&path, &broken).unwrap();
    let refused = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(xsd())
        .arg(&path)
        .output()
        .unwrap();
    assert!(!refused.status.success());

    // Every document's checksum and size match its file.
    let checksums: Vec<&str> = xml
        .split("<sjekksum>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    let files: Vec<&str> = xml
        .split("<referanseDokumentfil>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    assert_eq!(checksums.len(), files.len());
    assert!(files.len() >= 3, "request, answer and history: {files:?}");
    for (file, checksum) in files.iter().zip(&checksums) {
        let mut content = Vec::new();
        zip.by_name(file)
            .unwrap()
            .read_to_end(&mut content)
            .unwrap();
        use sha2::Digest as _;
        let digest: String = sha2::Sha256::digest(&content)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(&digest, checksum, "{file}");
        assert!(xml.contains(&format!("<filstoerrelse>{}</filstoerrelse>", content.len())));
    }
    let mut answer = String::new();
    zip.by_name(files[1])
        .unwrap()
        .read_to_string(&mut answer)
        .unwrap();
    assert!(answer.contains("Vedlagt er opplysningene"));
    // The resident is the case's part, escaped; the case is screened.
    assert!(xml.contains("<partNavn>Testperson Arkivar &amp; Sønn</partNavn>"));
    assert!(xml.contains("<tilgangsrestriksjon>13</tilgangsrestriksjon>"));
    assert!(xml.contains("<saksstatus>Avsluttet</saksstatus>"));
    assert!(
        app.audit_actions(town)
            .await
            .iter()
            .any(|a| a == "request.exported")
    );

    // Only caseworkers; another municipality sees nothing.
    let response = app.get_as(&dpo.token, &export).await;
    assert_problem(response, 403, "forbidden").await;
    let neighbour = app.org_named("Bodø").await;
    let stranger = person(
        &app,
        "sb-bodo-arkiv@example.org",
        neighbour,
        Role::RequestCaseworker,
    )
    .await;
    let response = app.get_as(&stranger.token, &export).await;
    assert_problem(response, 404, "not_found").await;
}
