//! Request and answer examples in the OpenAPI document.
//!
//! They are real bodies: `just record-examples` runs the API test suite with the
//! `record-examples` feature, whose middleware writes each successful JSON exchange (the
//! route's pattern, status, request and answer) to a file; `scripts/examples.py` picks one
//! per operation and status, shortens lists and puts placeholders in secrets, into
//! `openapi/examples.json`. [`apply`] places them in the document. The test suite's data is
//! synthetic (made-up people, fødselsnummer in the synthetic range, example.org addresses).
//! A production build has no recorder.

use serde_json::Value;
use utoipa::openapi::{self, RefOr};

/// `openapi/examples.json`: `{operationId: {"request": body, "responses": {status: body}}}`.
const EXAMPLES: &str = include_str!("../../../openapi/examples.json");

/// The media types an example is given for.
const JSON_TYPES: [&str; 2] = ["application/json", "application/x-www-form-urlencoded"];

pub fn apply(spec: &mut openapi::OpenApi) {
    // A broken file leaves the document without examples, which its test reports.
    let Ok(examples) = serde_json::from_str::<Value>(EXAMPLES) else {
        tracing::error!("openapi/examples.json is not JSON; the document has no examples");
        return;
    };
    for item in spec.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let Some(found) = op.operation_id.as_deref().and_then(|id| examples.get(id)) else {
                continue;
            };
            if let (Some(RefOr::T(body)), Some(example)) =
                (op.request_body.as_mut(), found.get("request"))
            {
                for (media, content) in &mut body.content {
                    if let (true, RefOr::T(content)) =
                        (JSON_TYPES.contains(&media.as_str()), content)
                    {
                        content.example = Some(example.clone());
                    }
                }
            }
            let Some(answers) = found.get("responses").and_then(Value::as_object) else {
                continue;
            };
            for (status, example) in answers {
                if let Some(RefOr::T(response)) = op.responses.responses.get_mut(status)
                    && let Some(RefOr::T(content)) = response.content.get_mut("application/json")
                {
                    content.example = Some(example.clone());
                }
            }
        }
    }
}

/// The recorder (feature `record-examples`, for `just record-examples` only): with
/// `VERN_RECORD_EXAMPLES=<file>`, each 2xx exchange under `/api/` whose request and answer
/// are JSON (or a form) is appended to the file as one JSON line.
#[cfg(feature = "record-examples")]
pub mod recorder {
    use std::io::Write;
    use std::sync::Mutex;

    use actix_web::body::{BoxBody, MessageBody, to_bytes};
    use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
    use actix_web::http::header::CONTENT_TYPE;
    use actix_web::middleware::Next;
    use actix_web::{Error, HttpMessage};
    use futures_util::StreamExt;
    use serde_json::{Value, json};

    static FILE: Mutex<Option<std::fs::File>> = Mutex::new(None);

    fn essence(content_type: Option<&actix_web::http::header::HeaderValue>) -> String {
        content_type
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    }

    fn parse(media: &str, bytes: &[u8]) -> Option<Value> {
        match media {
            "application/json" => serde_json::from_slice(bytes).ok(),
            "application/x-www-form-urlencoded" => {
                serde_urlencoded::from_bytes::<std::collections::BTreeMap<String, String>>(bytes)
                    .ok()
                    .map(|m| json!(m))
            }
            _ => None,
        }
    }

    pub async fn record(
        mut req: ServiceRequest,
        next: Next<impl MessageBody + 'static>,
    ) -> Result<ServiceResponse<BoxBody>, Error> {
        let Ok(path) = std::env::var("VERN_RECORD_EXAMPLES") else {
            return Ok(next.call(req).await?.map_into_boxed_body());
        };
        let media = essence(req.headers().get(CONTENT_TYPE));
        let mut request = None;
        if media == "application/json" || media == "application/x-www-form-urlencoded" {
            let mut payload = req.take_payload();
            let mut bytes = Vec::new();
            while let Some(chunk) = payload.next().await {
                bytes.extend_from_slice(&chunk?);
            }
            request = parse(&media, &bytes);
            req.set_payload(Payload::from(bytes));
        }
        let method = req.method().as_str().to_ascii_lowercase();
        let response = next.call(req).await?;
        let pattern = response.request().match_pattern();
        let answer_media = essence(response.headers().get(CONTENT_TYPE));
        if !response.status().is_success()
            || !pattern.as_deref().is_some_and(|p| p.starts_with("/api/"))
        {
            return Ok(response.map_into_boxed_body());
        }
        let status = response.status().as_u16();
        let (http_req, res) = response.into_parts();
        let (res, body) = res.into_parts();
        let bytes = to_bytes(body).await.map_err(|_| {
            actix_web::error::ErrorInternalServerError("the answer could not be read")
        })?;
        let answer = (answer_media == "application/json")
            .then(|| serde_json::from_slice::<Value>(&bytes).ok())
            .flatten();
        if request.is_some() || answer.is_some() {
            let line = json!({
                "method": method, "path": pattern, "status": status,
                "request": request, "response": answer,
            });
            let mut file = FILE
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if file.is_none() {
                *file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)
                    .ok();
            }
            if let Some(f) = file.as_mut() {
                let _ = writeln!(f, "{line}");
            }
        }
        let res = res.set_body(BoxBody::new(bytes));
        Ok(ServiceResponse::new(http_req, res))
    }
}
