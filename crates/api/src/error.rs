//! One error type for every handler: `ApiError` renders as RFC 9457 problem+json with a
//! stable `code`. The internal cause is logged (with the request id), never sent.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, error, web};
use vern_db::DbError;
use vern_domain::problem::{Problem, ProblemCode};

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug)]
pub struct ApiError {
    pub problem: Box<Problem>,
    /// For 405: the methods the path does have.
    pub allow: Option<String>,
    /// For 429 and 503: seconds to wait.
    pub retry_after: Option<u64>,
    /// The cause, for the log only.
    source: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(code: ProblemCode) -> Self {
        Self {
            problem: Box::new(Problem::new(code)),
            allow: None,
            retry_after: None,
            source: None,
        }
    }

    pub fn not_found() -> Self {
        Self::new(ProblemCode::NotFound)
    }

    pub fn validation(field: &str, code: &str) -> Self {
        Self::new(ProblemCode::ValidationFailed).field(field, code)
    }

    pub fn method_not_allowed(allow: String) -> Self {
        let mut err = Self::new(ProblemCode::MethodNotAllowed);
        err.allow = Some(allow);
        err
    }

    /// 429 with `Retry-After`.
    pub fn rate_limited(seconds: u64) -> Self {
        let mut err = Self::new(ProblemCode::RateLimited)
            .detail("too many failed attempts; wait and try again");
        err.retry_after = Some(seconds);
        err
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self {
            problem: Box::new(Problem::new(ProblemCode::InternalError)),
            allow: None,
            retry_after: None,
            source: Some(cause.into()),
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.problem.detail = Some(detail.into());
        self
    }

    pub fn field(mut self, field: &str, code: &str) -> Self {
        self.problem.errors.push(vern_domain::problem::FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
        });
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.problem.code.as_str())
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        let unavailable = matches!(
            &err,
            DbError::Database(sea_orm_err) if is_unavailable(sea_orm_err)
        );
        // Log only what is safe: the database's message can quote row values.
        let mut api = Self::internal(anyhow::anyhow!(err.log_safe()));
        if unavailable {
            api.problem = Box::new(Problem::new(ProblemCode::ServiceUnavailable));
        }
        api
    }
}

fn is_unavailable(err: &vern_db::sea_orm_error::DbErr) -> bool {
    matches!(
        err,
        vern_db::sea_orm_error::DbErr::ConnectionAcquire(_)
            | vern_db::sea_orm_error::DbErr::Conn(_)
    )
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(cause) = &self.source {
            // The request span (with its request id) is current here.
            tracing::error!(code = self.problem.code.as_str(), error = %format!("{cause:#}"), "request failed");
        }
        let mut response = problem_response(&self.problem, self.allow.as_deref());
        if let Some(seconds) = self
            .retry_after
            .and_then(|s| HeaderValue::from_str(&s.to_string()).ok())
        {
            response.headers_mut().insert(header::RETRY_AFTER, seconds);
        }
        response
    }
}

/// Renders a problem. The `Problem` also goes into the response's extensions so the
/// finishing middleware can add the request id.
pub fn problem_response(problem: &Problem, allow: Option<&str>) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut builder = HttpResponse::build(status);
    builder.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
    if let Some(allow) = allow.and_then(|a| HeaderValue::from_str(a).ok()) {
        builder.insert_header((header::ALLOW, allow));
    }
    if problem.code == ProblemCode::Unauthenticated {
        builder.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
    }
    if problem.code == ProblemCode::RateLimited || problem.code == ProblemCode::ServiceUnavailable {
        builder.insert_header((header::RETRY_AFTER, HeaderValue::from_static("1")));
    }
    let mut response = builder.body(serde_json::to_string(problem).unwrap_or_default());
    response.extensions_mut().insert(problem.clone());
    response
}

/// Malformed or unacceptable JSON bodies. The serde message is not echoed: it can quote
/// the input, and input can be personal data.
pub fn json_error(err: error::JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match &err {
        error::JsonPayloadError::OverflowKnownLength { .. }
        | error::JsonPayloadError::Overflow { .. } => ApiError::new(ProblemCode::PayloadTooLarge),
        error::JsonPayloadError::ContentType => ApiError::new(ProblemCode::UnsupportedMediaType)
            .detail("send the body as application/json"),
        error::JsonPayloadError::Deserialize(e) if e.is_data() => {
            ApiError::new(ProblemCode::ValidationFailed).detail(format!(
                "the body does not match the schema (line {}, column {})",
                e.line(),
                e.column()
            ))
        }
        error::JsonPayloadError::Deserialize(e) => {
            ApiError::new(ProblemCode::InvalidJson).detail(format!(
                "the body is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        }
        _ => ApiError::new(ProblemCode::InvalidJson),
    };
    api.into()
}

pub fn path_error(_err: error::PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::new(ProblemCode::InvalidPathParameter)
        .detail("a path parameter has the wrong form (ids are UUIDs)")
        .into()
}

pub fn query_error(_err: error::QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::new(ProblemCode::InvalidQuery)
        .detail("a query parameter has the wrong form")
        .into()
}

/// Extractor configuration so that every extractor failure is problem+json.
pub fn extractor_config(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(crate::body::BODY_LIMIT)
            .error_handler(json_error),
    )
    .app_data(web::PayloadConfig::default().limit(crate::body::BODY_LIMIT))
    .app_data(web::PathConfig::default().error_handler(path_error))
    .app_data(web::QueryConfig::default().error_handler(query_error));
}

#[cfg(test)]
mod tests {
    use actix_web::body::MessageBody;
    use actix_web::test::TestRequest;

    use super::*;

    fn body_json(response: HttpResponse) -> serde_json::Value {
        let bytes = response.into_body().try_into_bytes().unwrap_or_default();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn malformed_json_is_400_and_schema_mismatch_is_422_without_echoing_input() {
        let req = TestRequest::default().to_http_request();
        let syntax =
            serde_json::from_str::<serde_json::Value>("{\"name\": 01017012345").unwrap_err();
        let response =
            json_error(error::JsonPayloadError::Deserialize(syntax), &req).error_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body = body_json(response);
        assert_eq!(body["code"], "invalid_json");
        assert!(!body.to_string().contains("01017012345"));

        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Input {
            count: u32,
        }
        let data = serde_json::from_str::<Input>("{\"count\": \"01017012345\"}").unwrap_err();
        let response =
            json_error(error::JsonPayloadError::Deserialize(data), &req).error_response();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = body_json(response);
        assert_eq!(body["code"], "validation_failed");
        assert!(!body.to_string().contains("01017012345"));
    }

    #[test]
    fn wrong_content_type_and_oversized_bodies_have_their_own_codes() {
        let req = TestRequest::default().to_http_request();
        let response = json_error(error::JsonPayloadError::ContentType, &req).error_response();
        assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON
        );
        let response =
            json_error(error::JsonPayloadError::Overflow { limit: 10 }, &req).error_response();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn an_internal_error_never_shows_its_cause() {
        let err = ApiError::internal(anyhow::anyhow!(
            "password authentication failed for user vern"
        ));
        let response = err.error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body_json(response);
        assert_eq!(body["code"], "internal_error");
        assert!(!body.to_string().contains("password"));
    }
}
