//! Notification e-mail through a real SMTP server (mailin-embedded) on loopback: sent once,
//! in the reader's language, with a link to the subject; not sent for a kind switched off.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde_json::{Value, json};
use vern_domain::access::Role;

use crate::auth::{create_user, log_in};
use crate::helpers::{Options, spawn_app_with};

/// What the SMTP server received: (envelope recipients, raw message).
type Inbox = Arc<Mutex<Vec<(Vec<String>, Vec<u8>)>>>;

#[derive(Clone)]
struct Collector {
    inbox: Inbox,
    to: Vec<String>,
    data: Vec<u8>,
}

impl mailin_embedded::Handler for Collector {
    fn rcpt(&mut self, to: &str) -> mailin_embedded::Response {
        self.to.push(to.to_owned());
        mailin_embedded::response::OK
    }

    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> mailin_embedded::Response {
        self.data.clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let to = std::mem::take(&mut self.to);
        let data = std::mem::take(&mut self.data);
        self.inbox.lock().expect("inbox").push((to, data));
        mailin_embedded::response::OK
    }
}

/// Starts an SMTP server on 127.0.0.1; it lives as long as the test process.
fn smtp_server() -> (String, Inbox) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let inbox: Inbox = Arc::default();
    let handler = Collector {
        inbox: inbox.clone(),
        to: Vec::new(),
        data: Vec::new(),
    };
    let mut server = mailin_embedded::Server::new(handler);
    server.with_name("smtp.test").with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (format!("smtp://127.0.0.1:{port}"), inbox)
}

#[tokio::test]
async fn notifications_are_emailed_once_in_the_readers_language_unless_switched_off() {
    let (smtp_url, inbox) = smtp_server();
    let app = spawn_app_with(Options {
        demo: true,
        smtp_url: Some(smtp_url),
        scheduler: Some((50, 300)),
        ..Options::default()
    })
    .await;
    let vendor = app.org_named("Fjordlys").await;
    let oslo = app.org_named("Oslo").await;
    let mk = |email: &'static str, org, role| {
        let app = &app;
        async move {
            log_in(app, &create_user(app, email, &[(org, role)], true).await)
                .await
                .access
        }
    };
    let vendor_admin = mk("post-lev@example.org", vendor, Role::VendorAdmin).await;
    let english = mk("post-en@example.org", oslo, Role::PrivacyOfficer).await;
    let quiet = mk("post-av@example.org", oslo, Role::PrivacyOfficer).await;
    let prefs = "/api/v1/me/notification-preferences";
    let set = |token: &str, body: Value| {
        let app = &app;
        let token = token.to_owned();
        async move {
            app.send(reqwest::Method::PUT, &token, prefs, None, Some(body))
                .await
        }
    };
    let response = set(&english, json!({"language": "en", "email": []})).await;
    assert_eq!(response.status(), 200);
    let response = set(
        &quiet,
        json!({"language": "nb", "email": [{"kind": "incident_received", "email": false}]}),
    )
    .await;
    let saved: Value = response.json().await.unwrap();
    assert!(
        saved["email"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "incident_received" && c["email"] == false)
    );
    let read_back: Value = app.get_as(&quiet, prefs).await.json().await.unwrap();
    assert_eq!(read_back, saved);

    let products: Value = app
        .get_as(&vendor_admin, "/api/v1/products?q=Skolesekk")
        .await
        .json()
        .await
        .unwrap();
    let sent = app
        .post_as(
            &vendor_admin,
            &format!("/api/v1/organizations/{vendor}/vendor-incidents"),
            json!({
                "product_id": products["items"][0]["id"],
                "title": "Eksportfiler lesbare uten innlogging",
                "aware_at": Utc::now().to_rfc3339(),
                "classes": ["confidentiality"],
                "description": "Eksportfiler lå åpent i ett døgn.",
                "risk": "not_assessed"
            }),
        )
        .await;
    assert_eq!(sent.status(), 201);

    // The scheduler's mail job sends within a few ticks.
    let mut to_english = None;
    for _ in 0..100 {
        to_english = inbox
            .lock()
            .unwrap()
            .iter()
            .find(|(to, _)| to.iter().any(|t| t.contains("post-en@example.org")))
            .map(|(_, raw)| raw.clone());
        if to_english.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let raw = to_english.expect("an e-mail to the English-speaking privacy officer");
    let mail = mailparse::parse_mail(&raw).expect("a mail");
    let subject = mail
        .headers
        .iter()
        .find(|h| h.get_key() == "Subject")
        .unwrap()
        .get_value();
    assert!(
        subject.starts_with(
            "Vern: Fjordlys Programvare AS has notified Oslo kommune of an incident: “Eksportfiler lesbare uten innlogging”. The deadline to notify Datatilsynet is "
        ),
        "{subject}"
    );
    // 72 hours from now, on the Oslo wall clock: "dd.mm.yyyy hh:mm."
    let due = subject.rsplit("is ").next().unwrap();
    assert!(
        due.len() == 17
            && due.ends_with('.')
            && due.as_bytes()[2] == b'.'
            && due.as_bytes()[13] == b':',
        "{due}"
    );
    let body = mail.get_body().expect("body");
    assert!(body.contains("Open in Vern: http://"), "{body}");
    assert!(
        body.contains(&format!("/organizations/{oslo}/incidents/")),
        "{body}"
    );
    assert!(body.contains("/notifications"), "{body}");

    // Once only, and not to the one who switched the kind off.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let messages = inbox.lock().unwrap().clone();
    let to_english = messages
        .iter()
        .filter(|(to, _)| to.iter().any(|t| t.contains("post-en@example.org")))
        .count();
    assert_eq!(to_english, 1);
    assert!(
        !messages
            .iter()
            .any(|(to, _)| to.iter().any(|t| t.contains("post-av@example.org")))
    );
    let quiet_user = vern_db::identity::find_user_by_email(
        &app.db.conn,
        &vern_domain::EmailAddress::parse("post-av@example.org").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let states = vern_db::notifications::email_states(&app.db.conn, quiet_user.id)
        .await
        .unwrap();
    assert_eq!(
        states,
        vec![("incident_received".to_owned(), "skipped".to_owned())]
    );
}
