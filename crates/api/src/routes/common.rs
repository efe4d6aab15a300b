//! Pieces every resource uses: list parameters, ETags and `If-Match`, field errors.

use actix_web::{HttpRequest, http::header};
use serde::de::DeserializeOwned;
use vern_domain::pagination::{Limit, decode_cursor};
use vern_domain::problem::{FieldError, ProblemCode};

use crate::error::ApiError;

pub const MAX_Q: usize = 200;

/// Collects the problems of a list request's parameters, each against its own field.
#[derive(Debug, Default)]
pub struct ParamErrors(Vec<(String, &'static str)>);

impl ParamErrors {
    pub fn add(&mut self, field: &str, code: &'static str) {
        self.0.push((field.to_owned(), code));
    }

    pub fn limit(&mut self, raw: Option<&str>) -> Limit {
        match raw.map(str::parse::<u32>).transpose() {
            Ok(requested) => Limit::parse(requested).unwrap_or_else(|_| {
                self.add("limit", "range");
                Limit::default()
            }),
            Err(_) => {
                self.add("limit", "not_an_integer");
                Limit::default()
            }
        }
    }

    /// `q`, trimmed; `None` when blank.
    pub fn q(&mut self, raw: Option<&str>) -> Option<String> {
        let q = raw.map(str::trim).filter(|q| !q.is_empty())?;
        if q.chars().count() > MAX_Q {
            self.add("q", "too_long");
        } else if q.chars().any(char::is_control) {
            self.add("q", "control_characters");
        }
        Some(q.to_owned())
    }

    /// A UUID parameter (`not_a_uuid` when it is not one).
    pub fn uuid(&mut self, field: &str, raw: Option<&str>) -> Option<uuid::Uuid> {
        self.parsed(field, raw, "not_a_uuid", |s| s.parse().ok())
    }

    /// An enumerated parameter, parsed by the domain type (`unknown_value` otherwise).
    pub fn choice<T>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        self.parsed(field, raw, "unknown_value", parse)
    }

    /// `true` or `false` (`not_a_boolean` otherwise).
    pub fn flag(&mut self, field: &str, raw: Option<&str>) -> Option<bool> {
        self.parsed(field, raw, "not_a_boolean", |s| match s {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
    }

    /// `review=overdue`: entries whose review date is before today.
    pub fn overdue(&mut self, raw: Option<&str>) -> Option<chrono::NaiveDate> {
        self.choice("review", raw, |s| (s == "overdue").then_some(()))
            .map(|()| chrono::Utc::now().date_naive())
    }

    fn parsed<T>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        code: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let raw = raw?;
        let parsed = parse(raw);
        if parsed.is_none() {
            self.add(field, code);
        }
        parsed
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let err = self.0.into_iter().fold(
            ApiError::new(ProblemCode::ValidationFailed),
            |err, (field, code)| err.field(&field, code),
        );
        Err(err.detail("see errors for the parameters to fix"))
    }
}

/// The keyset cursor of a list, or 422 `invalid_cursor`.
pub fn cursor<K: DeserializeOwned>(raw: Option<&str>) -> Result<Option<K>, ApiError> {
    match raw {
        None | Some("") => Ok(None),
        Some(raw) => decode_cursor::<K>(raw).map(Some).map_err(|_| {
            ApiError::new(ProblemCode::InvalidCursor)
                .field("cursor", "invalid")
                .detail("pass back the next_cursor of a previous page unchanged")
        }),
    }
}

/// 422 with the domain's field errors.
pub fn refused(errors: Vec<FieldError>) -> ApiError {
    errors.into_iter().fold(
        ApiError::new(ProblemCode::ValidationFailed).detail("see errors for the fields to fix"),
        |err, e| err.field(&e.field, &e.code),
    )
}

/// A refused step: an error on `status` (the resource's state does not allow it) is 409
/// `invalid_transition` with `detail`; any other is the input's 422.
pub fn refused_in_state(errors: Vec<FieldError>, detail: &str) -> ApiError {
    match errors.iter().find(|e| e.field == "status") {
        Some(e) => ApiError::new(ProblemCode::InvalidTransition)
            .field(&e.field, &e.code)
            .detail(detail),
        None => refused(errors),
    }
}

/// A resource's ETag: its revision, quoted.
pub fn etag(revision: i32) -> String {
    format!("\"{revision}\"")
}

/// The revision named by `If-Match`: 428 without one, 412 when it names another revision
/// than `current` (or is not one of ours).
pub fn if_match(req: &HttpRequest, current: i32) -> Result<i32, ApiError> {
    let raw = req
        .headers()
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .ok_or_else(|| {
            ApiError::new(ProblemCode::PreconditionRequired)
                .detail("send If-Match with the ETag of the version you changed")
        })?;
    if raw == "*" {
        return Ok(current);
    }
    let matches = raw
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag(current));
    if matches {
        Ok(current)
    } else {
        Err(ApiError::new(ProblemCode::PreconditionFailed)
            .detail("someone else changed it first; fetch it again and redo the change"))
    }
}

/// Sets the `ETag` of a response to the resource's revision.
pub fn with_etag(mut response: actix_web::HttpResponse, revision: i32) -> actix_web::HttpResponse {
    if let Ok(value) = header::HeaderValue::from_str(&etag(revision)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// The audit event of a successful change to one register entry (`product`, `system`,
/// `processing_activity`): ids and names of actions only, never the entry's content.
pub fn entry_event(
    caller: &crate::auth::Caller,
    req: &HttpRequest,
    org: vern_domain::OrganizationId,
    action: &'static str,
    target_type: &'static str,
    id: uuid::Uuid,
) -> vern_domain::access::audit::AuditDraft {
    let (actor_kind, actor_id) = caller.actor();
    vern_domain::access::audit::AuditDraft {
        organization_id: Some(org),
        actor_kind,
        actor_id: Some(actor_id),
        action,
        target_type,
        target_id: Some(id.to_string()),
        request_id: crate::middleware::request_id(req),
        outcome: vern_domain::access::audit::Outcome::Success,
    }
}

/// Field errors for the linked ids (`{field}[i]`) that are among `foreign` — systems or
/// activities named in a body that are not the organisation's.
pub fn foreign_links(
    field: &str,
    ids: &[uuid::Uuid],
    foreign: &[uuid::Uuid],
    code: &str,
) -> Vec<FieldError> {
    ids.iter()
        .enumerate()
        .filter(|(_, id)| foreign.contains(id))
        .map(|(i, _)| FieldError::new(&format!("{field}[{i}]"), code))
        .collect()
}
