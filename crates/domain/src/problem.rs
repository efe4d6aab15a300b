//! RFC 9457 problem details with Vern's stable codes. The API produces them, the SPA and
//! generated clients read them; `code` is the contract, `title` and `detail` are for people.

use serde::{Deserialize, Serialize};

/// Base of the `type` URI: `https://vern.example/problems/<code>`.
pub const PROBLEM_TYPE_BASE: &str = "https://vern.example/problems/";

/// Every error code the API can answer with. Codes are never renamed once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// 400: the body is not JSON, or not the JSON this operation takes.
    InvalidJson,
    /// 400: a path parameter has the wrong form (e.g. not a UUID).
    InvalidPathParameter,
    /// 400: a query parameter has the wrong form.
    InvalidQuery,
    /// 401: no valid credentials.
    Unauthenticated,
    /// 401: the e-mail, password or code is wrong (which one is not said).
    InvalidCredentials,
    /// 401: the operation needs a second factor proved within the last few minutes; prove
    /// one at `/auth/step-up/passkey` or `/auth/step-up/totp` and try again.
    StepUpRequired,
    /// 401: the API client's id or secret is wrong, or it is revoked or expired (RFC 6749).
    InvalidClient,
    /// 400: the token endpoint only grants `client_credentials` (RFC 6749).
    UnsupportedGrantType,
    /// 400: a requested scope is unknown or not the client's (RFC 6749).
    InvalidScope,
    /// 410: the link has expired or was used or withdrawn already.
    Gone,
    /// 403: the account has no second factor yet; it must be enrolled first.
    SecondFactorMissing,
    /// 401: a connector message's `Vern-Signature` is missing, malformed, too old or does not
    /// match the body.
    InvalidSignature,
    /// 409: a connector callback with this `delivery_id` was taken before.
    Replayed,
    /// 401: reading an answer needs a login of the last few minutes; log in again
    /// (`/resident/login?fresh=true`) and try again.
    FreshLoginRequired,
    /// 410: the window in which the answer could be read has closed.
    AnswerWindowClosed,
    /// 403: authenticated, but not allowed.
    Forbidden,
    /// 403: the organisation admits staff only from listed network addresses.
    IpNotAllowed,
    /// 403: the organisation requires a passkey login; this session was opened otherwise.
    PasskeyRequired,
    /// 404: no such resource — or one the caller may not know of.
    NotFound,
    /// 405: the path exists, the method does not; see `Allow`.
    MethodNotAllowed,
    /// 406: the server cannot produce the requested media type.
    NotAcceptable,
    /// 409: the change conflicts with the resource's state.
    Conflict,
    /// 409: the resource's lifecycle does not allow this step from its current state.
    InvalidTransition,
    /// 412: `If-Match` did not match: someone else changed the resource first.
    PreconditionFailed,
    /// 428: a change needs `If-Match` with the ETag the change was based on.
    PreconditionRequired,
    /// 413: the body is too large.
    PayloadTooLarge,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 422: the input is well-formed but not valid; see `errors`.
    ValidationFailed,
    /// 422: the pagination cursor was not issued by this server.
    InvalidCursor,
    /// 429: too many requests; see `Retry-After`.
    RateLimited,
    /// 500: something failed on our side; the `request_id` finds it in the logs.
    InternalError,
    /// 503: a dependency (the database) is not available.
    ServiceUnavailable,
}

impl ProblemCode {
    /// Every code, for exhaustive checks (translations, documentation).
    pub const ALL: [ProblemCode; 30] = [
        Self::InvalidJson,
        Self::InvalidPathParameter,
        Self::InvalidQuery,
        Self::Unauthenticated,
        Self::InvalidCredentials,
        Self::InvalidClient,
        Self::UnsupportedGrantType,
        Self::InvalidScope,
        Self::Gone,
        Self::SecondFactorMissing,
        Self::Forbidden,
        Self::IpNotAllowed,
        Self::PasskeyRequired,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::NotAcceptable,
        Self::Conflict,
        Self::PreconditionFailed,
        Self::PreconditionRequired,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::ValidationFailed,
        Self::InvalidCursor,
        Self::RateLimited,
        Self::InternalError,
        Self::ServiceUnavailable,
        Self::InvalidSignature,
        Self::Replayed,
        Self::FreshLoginRequired,
        Self::AnswerWindowClosed,
    ];

    pub const fn status(self) -> u16 {
        match self {
            Self::InvalidJson
            | Self::InvalidPathParameter
            | Self::InvalidQuery
            | Self::UnsupportedGrantType
            | Self::InvalidScope => 400,
            Self::Unauthenticated
            | Self::InvalidCredentials
            | Self::InvalidClient
            | Self::StepUpRequired
            | Self::InvalidSignature
            | Self::FreshLoginRequired => 401,
            Self::Gone | Self::AnswerWindowClosed => 410,
            Self::SecondFactorMissing => 403,
            Self::Forbidden | Self::IpNotAllowed | Self::PasskeyRequired => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::NotAcceptable => 406,
            Self::Conflict | Self::InvalidTransition | Self::Replayed => 409,
            Self::PreconditionFailed => 412,
            Self::PreconditionRequired => 428,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::ValidationFailed | Self::InvalidCursor => 422,
            Self::RateLimited => 429,
            Self::InternalError => 500,
            Self::ServiceUnavailable => 503,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidJson => "invalid_json",
            Self::InvalidPathParameter => "invalid_path_parameter",
            Self::InvalidQuery => "invalid_query",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InvalidClient => "invalid_client",
            Self::StepUpRequired => "step_up_required",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::Gone => "gone",
            Self::SecondFactorMissing => "second_factor_missing",
            Self::Forbidden => "forbidden",
            Self::IpNotAllowed => "ip_not_allowed",
            Self::PasskeyRequired => "passkey_required",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::NotAcceptable => "not_acceptable",
            Self::Conflict => "conflict",
            Self::InvalidTransition => "invalid_transition",
            Self::PreconditionFailed => "precondition_failed",
            Self::PreconditionRequired => "precondition_required",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::ValidationFailed => "validation_failed",
            Self::InvalidCursor => "invalid_cursor",
            Self::RateLimited => "rate_limited",
            Self::InternalError => "internal_error",
            Self::ServiceUnavailable => "service_unavailable",
            Self::InvalidSignature => "invalid_signature",
            Self::Replayed => "replayed",
            Self::FreshLoginRequired => "fresh_login_required",
            Self::AnswerWindowClosed => "answer_window_closed",
        }
    }

    /// A short, safe, English title (the SPA shows its own translated text by code).
    pub const fn title(self) -> &'static str {
        match self {
            Self::InvalidJson => "The request body is not valid JSON for this operation",
            Self::InvalidPathParameter => "A path parameter is malformed",
            Self::InvalidQuery => "A query parameter is malformed",
            Self::Unauthenticated => "Authentication is required",
            Self::InvalidCredentials => "The credentials are not valid",
            Self::InvalidClient => "The client credentials are not valid",
            Self::StepUpRequired => "Confirm with your second factor and try again",
            Self::UnsupportedGrantType => "Only the client_credentials grant is supported",
            Self::InvalidScope => "A requested scope is not available to this client",
            Self::Gone => "The link has expired or has been used",
            Self::SecondFactorMissing => "A second factor must be enrolled first",
            Self::Forbidden => "You are not allowed to do this",
            Self::IpNotAllowed => "Your network address is not on the organisation's allowlist",
            Self::PasskeyRequired => "The organisation requires you to log in with a passkey",
            Self::NotFound => "Not found",
            Self::MethodNotAllowed => "Method not allowed",
            Self::NotAcceptable => "Not acceptable",
            Self::Conflict => "The change conflicts with the current state",
            Self::InvalidTransition => "This step is not possible in the current state",
            Self::PreconditionFailed => "The resource was changed by someone else",
            Self::PreconditionRequired => "Send If-Match with the resource's ETag",
            Self::PayloadTooLarge => "The request body is too large",
            Self::UnsupportedMediaType => "Unsupported media type",
            Self::ValidationFailed => "The input is not valid",
            Self::InvalidCursor => "The pagination cursor is not valid",
            Self::RateLimited => "Too many requests",
            Self::InternalError => "Internal error",
            Self::ServiceUnavailable => "Service unavailable",
            Self::InvalidSignature => "The message's signature is not valid",
            Self::Replayed => "This message was received before",
            Self::FreshLoginRequired => "Log in again to read the answer",
            Self::AnswerWindowClosed => "The answer can no longer be read",
        }
    }

    pub fn type_uri(self) -> String {
        format!("{PROBLEM_TYPE_BASE}{}", self.as_str())
    }
}

/// One invalid field, as in `{"field": "org_number", "code": "checksum"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field or parameter name, in the request's own spelling.
    pub field: String,
    /// A stable machine code for what is wrong.
    pub code: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
        }
    }
}

/// An RFC 9457 problem document (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the problem type.
    #[serde(rename = "type")]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://vern.example/problems/not_found")
    )]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub code: ProblemCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Quote this when reporting a problem; it finds the request in the server's logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl Problem {
    pub fn new(code: ProblemCode) -> Self {
        Self {
            type_uri: code.type_uri(),
            title: code.title().to_owned(),
            status: code.status(),
            code,
            detail: None,
            errors: Vec::new(),
            request_id: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn with_field(mut self, field: impl Into<String>, code: impl Into<String>) -> Self {
        self.errors.push(FieldError {
            field: field.into(),
            code: code.into(),
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_stable_names() {
        for code in ProblemCode::ALL {
            assert_eq!(
                serde_json::to_string(&code).unwrap(),
                format!("\"{}\"", code.as_str())
            );
            assert!((400..600).contains(&code.status()));
        }
    }

    #[test]
    fn a_problem_serialises_per_rfc_9457() {
        let problem =
            Problem::new(ProblemCode::ValidationFailed).with_field("org_number", "checksum");
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(
            json["type"],
            "https://vern.example/problems/validation_failed"
        );
        assert_eq!(json["status"], 422);
        assert_eq!(json["code"], "validation_failed");
        assert_eq!(json["errors"][0]["field"], "org_number");
        assert!(json.get("detail").is_none());
        let back: Problem = serde_json::from_value(json).unwrap();
        assert_eq!(back, problem);
    }
}
