//! Serving the SPA and answering everything no route claimed.
//!
//! - `/api/...` with no route: 405 with `Allow` if the path exists with other methods,
//!   else 404 — both problem+json.
//! - Any other GET: the file under `VERN_STATIC_DIR` if there is one, else `index.html`
//!   so that deep links into the SPA work. Missing `/assets/...` files are a plain 404:
//!   answering a script request with HTML only hides the real error.

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, Responder, web};

use crate::error::ApiError;
use crate::startup::AppState;

pub async fn fallback(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let path = req.path();
    if path == "/api" || path.starts_with("/api/") {
        let err = match state.methods.allow(path) {
            Some(allow) => ApiError::method_not_allowed(allow),
            None => ApiError::not_found(),
        };
        return actix_web::ResponseError::error_response(&err);
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "GET, HEAD"))
            .finish();
    }
    if let Some(Ok(named)) = resolve(&state.static_dir, path).map(NamedFile::open) {
        return named
            .use_etag(true)
            .use_last_modified(true)
            .respond_to(&req)
            .map_into_boxed_body();
    }
    if path.starts_with("/assets/") {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found");
    }
    match NamedFile::open(state.static_dir.join("index.html")) {
        Ok(index) => index
            .use_etag(true)
            .use_last_modified(true)
            .respond_to(&req)
            .map_into_boxed_body(),
        Err(_) => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body(
                "Vern's web app is not built here. Run `just build` (or `just run`), or point \
             VERN_STATIC_DIR at a built frontend/dist. The API is at /api/docs.",
            ),
    }
}

/// Maps a URL path to a file under `root`, refusing anything that could leave it.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let relative = url_path.trim_start_matches('/');
    if relative.is_empty() || relative.contains(['%', '\\', '\0']) {
        return None;
    }
    let mut file = root.to_path_buf();
    for segment in relative.split('/') {
        if segment.is_empty() || segment.starts_with('.') {
            return None;
        }
        file.push(segment);
    }
    file.is_file().then_some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_refuses_traversal_hidden_files_and_encoded_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("assets")).unwrap();
        std::fs::write(dir.path().join("assets/app.js"), "x").unwrap();
        std::fs::write(dir.path().join(".env"), "secret").unwrap();
        assert_eq!(
            resolve(dir.path(), "/assets/app.js"),
            Some(dir.path().join("assets/app.js"))
        );
        assert_eq!(resolve(dir.path(), "/.env"), None);
        assert_eq!(resolve(dir.path(), "/assets/../.env"), None);
        assert_eq!(resolve(dir.path(), "/assets/%2e%2e/x"), None);
        assert_eq!(resolve(dir.path(), "/"), None);
        assert_eq!(resolve(dir.path(), "/assets"), None);
        assert_eq!(resolve(dir.path(), "/assets//app.js"), None);
    }
}
