//! `Body<T>`: a JSON request body that is read at extraction but parsed only when the
//! handler asks, after it has checked who is calling. Organisation-scoped operations
//! take it, so that a caller with no standing in the organisation gets 404 whatever the
//! body holds — the shape of our answer to a bad body must not tell an outsider that the
//! organisation's resource exists. The errors are those of `web::Json` (see
//! `error::json_error`): 415, 400 `invalid_json`, 422 `validation_failed`; only a body over
//! the size limit is refused before the handler runs (413).

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use serde::de::DeserializeOwned;
use vern_domain::problem::ProblemCode;

use crate::error::ApiError;

/// The largest body an operation accepts, as for `web::Json`.
pub const BODY_LIMIT: usize = 1024 * 1024;

pub struct Body<T> {
    bytes: web::Bytes,
    is_json: bool,
    _type: PhantomData<T>,
}

impl<T: DeserializeOwned> Body<T> {
    /// The body as `T`, or the problem a `web::Json<T>` would have answered.
    pub fn parse(self) -> Result<T, ApiError> {
        if !self.is_json {
            return Err(ApiError::new(ProblemCode::UnsupportedMediaType)
                .detail("send the body as application/json"));
        }
        serde_json::from_slice(&self.bytes).map_err(|e| {
            let (code, what) = if e.is_data() {
                (ProblemCode::ValidationFailed, "does not match the schema")
            } else {
                (ProblemCode::InvalidJson, "is not valid JSON")
            };
            ApiError::new(code).detail(format!(
                "the body {what} (line {}, column {})",
                e.line(),
                e.column()
            ))
        })
    }
}

fn is_json(req: &HttpRequest) -> bool {
    req.mime_type().ok().flatten().is_some_and(|mime| {
        mime.subtype().as_str() == "json" || mime.suffix().is_some_and(|s| s.as_str() == "json")
    })
}

impl<T: 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = is_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code().as_u16() == 413 {
                    ApiError::new(ProblemCode::PayloadTooLarge)
                } else {
                    ApiError::new(ProblemCode::InvalidJson).detail("the body could not be read")
                }
            })?;
            Ok(Body {
                bytes,
                is_json,
                _type: PhantomData,
            })
        })
    }
}

impl<T> std::fmt::Debug for Body<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the contents: they may hold personal data.
        write!(f, "Body({} bytes)", self.bytes.len())
    }
}
