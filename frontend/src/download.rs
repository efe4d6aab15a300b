//! Saving what the app fetched (a CSV or XLSX export) as a file, the way a download link would.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function vernSaveBytes(name, bytes, type) {
  vernSave(name, bytes, type);
}
export function vernSave(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = vernSave)]
    pub fn save(name: &str, text: &str, mime: &str);
    #[wasm_bindgen(js_name = vernSaveBytes)]
    pub fn save_bytes(name: &str, bytes: &[u8], mime: &str);
}
