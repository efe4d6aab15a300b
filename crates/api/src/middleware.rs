//! The finishing middleware: runs around every request and makes the promises that hold
//! for every response — a request id, problem+json for every API error (with that id),
//! security headers, and caching rules for the SPA's files.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse};
use tracing_actix_web::RequestId;
use vern_domain::problem::{Problem, ProblemCode};

use crate::error::{PROBLEM_JSON, problem_response};

/// The SPA loads its own script, wasm and styles and talks only to its own origin.
/// `wasm-unsafe-eval` is what compiling WebAssembly needs; no inline script or style.
const CSP_APP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";
/// Swagger UI (vendored, served by us) sets inline styles and uses data: images.
const CSP_DOCS: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The id of the request being handled, for audit events and logs.
pub fn request_id(req: &actix_web::HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(ToString::to_string)
}

pub async fn finish(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, Error> {
    let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let path = req.path().to_owned();
    // Handlers turn their errors into responses themselves; an `Err` here comes from a
    // middleware and actix renders it through the same `ResponseError` impls.
    let response = next.call(req).await?.map_into_boxed_body();
    let mut response = to_problem_if_needed(response, &path, request_id.as_deref());
    let headers = response.headers_mut();
    if let Some(id) = request_id
        .as_deref()
        .and_then(|id| HeaderValue::from_str(id).ok())
    {
        headers.insert(HeaderName::from_static("x-request-id"), id);
    }
    let csp = if path.starts_with("/api/docs") {
        CSP_DOCS
    } else {
        CSP_APP
    };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        let cache = if path.starts_with("/assets/") && response.status().is_success() {
            // Asset paths carry a content hash: they never change.
            "public, max-age=31536000, immutable"
        } else if path.starts_with("/api/") {
            "no-store"
        } else {
            // index.html and unhashed files: always revalidate.
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    Ok(response.map_into_left_body())
}

/// Adds the request id to problem documents, and turns any other error response on an API
/// path (one that some layer produced in plain text) into problem+json.
fn to_problem_if_needed(
    response: ServiceResponse<BoxBody>,
    path: &str,
    request_id: Option<&str>,
) -> ServiceResponse<BoxBody> {
    let status = response.status();
    let existing = response.response().extensions().get::<Problem>().cloned();
    let problem = match existing {
        Some(problem) => problem,
        None if path.starts_with("/api")
            && (status.is_client_error() || status.is_server_error()) =>
        {
            // A handler's own JSON answer (health's 503 body) is documented as it is.
            let is_json = response
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|ct| {
                    let ct = ct.as_bytes();
                    ct.starts_with(PROBLEM_JSON.as_bytes()) || ct.starts_with(b"application/json")
                });
            if is_json {
                return response;
            }
            Problem::new(code_for_status(status))
        }
        None => return response,
    };
    let allow = response
        .headers()
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut problem = problem;
    problem.request_id = request_id.map(str::to_owned);
    let (req, _) = response.into_parts();
    let rendered: HttpResponse = problem_response(&problem, allow.as_deref());
    ServiceResponse::new(req, rendered)
}

fn code_for_status(status: StatusCode) -> ProblemCode {
    match status.as_u16() {
        400 => ProblemCode::InvalidJson,
        401 => ProblemCode::Unauthenticated,
        403 => ProblemCode::Forbidden,
        404 => ProblemCode::NotFound,
        405 => ProblemCode::MethodNotAllowed,
        406 => ProblemCode::NotAcceptable,
        409 => ProblemCode::Conflict,
        412 => ProblemCode::PreconditionFailed,
        413 => ProblemCode::PayloadTooLarge,
        415 => ProblemCode::UnsupportedMediaType,
        422 => ProblemCode::ValidationFailed,
        429 => ProblemCode::RateLimited,
        503 => ProblemCode::ServiceUnavailable,
        _ => ProblemCode::InternalError,
    }
}
