//! Logging through `tracing`: one span per request carrying the request id, method and
//! route template — never the client's address, query values or bodies, which can be
//! personal data.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::settings::LogFormat;

/// Installs the global subscriber. Fails (instead of panicking) on a bad filter.
pub fn init(filter: &str, format: LogFormat) -> Result<(), String> {
    let filter =
        EnvFilter::try_new(filter).map_err(|e| format!("VERN_LOG is not a valid filter: {e}"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true);
    let result = match format {
        LogFormat::Pretty => builder.compact().try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_events(FmtSpan::NONE)
            .try_init(),
    };
    // A second init (tests start many servers in one process) keeps the first subscriber.
    let _ = result;
    Ok(())
}

/// The root span of every request.
#[derive(Debug)]
pub struct VernRootSpan;

impl RootSpanBuilder for VernRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        // The span carries context, not severity: at ERROR level it is enabled whenever
        // anything is logged, so every log line of a request names its request id.
        tracing::error_span!(
            "request",
            request_id = %request_id,
            method = %request.method(),
            route = tracing::field::Empty,
            status = tracing::field::Empty,
            org_id = tracing::field::Empty,
            user_id = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let status = match outcome {
            Ok(response) => {
                // The route template, never the concrete path: paths can hold ids.
                let route = response
                    .request()
                    .match_pattern()
                    .unwrap_or_else(|| "unmatched".to_owned());
                span.record("route", route.as_str());
                response.status().as_u16()
            }
            Err(error) => error.as_response_error().status_code().as_u16(),
        };
        span.record("status", status);
        span.in_scope(|| {
            if status >= 500 {
                tracing::warn!(target: "vern::access", status, "request failed");
            } else {
                tracing::debug!(target: "vern::access", status, "request done");
            }
        });
    }
}
