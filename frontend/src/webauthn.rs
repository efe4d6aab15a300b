//! The browser's WebAuthn API, through a few lines of JavaScript: the WebAuthn Level 3 JSON
//! helpers (`parseCreationOptionsFromJSON`, `toJSON`) turn the server's options into a
//! ceremony and its result back into JSON for the server.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export async function vernCreatePasskey(optionsJson) {
  const options = JSON.parse(optionsJson);
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey);
  const credential = await navigator.credentials.create({ publicKey });
  return JSON.stringify(credential.toJSON());
}
export async function vernGetPasskey(optionsJson) {
  const options = JSON.parse(optionsJson);
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey);
  const credential = await navigator.credentials.get({ publicKey });
  return JSON.stringify(credential.toJSON());
}
export function vernHasPasskeys() {
  return typeof PublicKeyCredential !== 'undefined'
    && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function';
}
"#)]
extern "C" {
    #[wasm_bindgen(catch, js_name = vernCreatePasskey)]
    async fn create_js(options: String) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = vernGetPasskey)]
    async fn get_js(options: String) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = vernHasPasskeys)]
    pub fn supported() -> bool;
}

/// Creates a passkey for the registration options; the credential as JSON.
pub async fn create(options: &serde_json::Value) -> Option<serde_json::Value> {
    let json = create_js(options.to_string()).await.ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}

/// Signs the authentication challenge with a passkey; the assertion as JSON.
pub async fn get(options: &serde_json::Value) -> Option<serde_json::Value> {
    let json = get_js(options.to_string()).await.ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}
