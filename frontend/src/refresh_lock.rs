//! Renewing the access token, one tab at a time. The refresh cookie is shared by every tab
//! and works once; two tabs renewing at the same instant would present the same cookie
//! twice, which the server treats as theft and ends the session. The Web Locks API makes
//! the second tab wait for the first and then renew with the cookie the first received.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export async function vernRefresh() {
  const renew = async () => {
    const response = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    return [response.ok, await response.text()];
  };
  if (navigator.locks && navigator.locks.request) {
    return navigator.locks.request('vern-refresh', renew);
  }
  return renew();
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = vernRefresh, catch)]
    async fn vern_refresh() -> Result<JsValue, JsValue>;
}

/// Whether the renewal succeeded, and the body text (tokens, or a problem document).
/// `None` when no answer came.
pub async fn refresh() -> Option<(bool, String)> {
    let answer = vern_refresh().await.ok()?;
    let pair = js_sys::Array::from(&answer);
    let ok = pair.get(0).as_bool()?;
    let text = pair.get(1).as_string()?;
    Some((ok, text))
}
