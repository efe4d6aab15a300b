//! Generates the client with progenitor from the committed `openapi/openapi.json`.
//!
//! progenitor reads OpenAPI 3.0 only, and Vern's document is 3.1 (utoipa). The few 3.1
//! constructs it uses are written the 3.0 way first: `type: [T, "null"]` becomes
//! `type: T, nullable: true`; a `oneOf` with a `{"type": "null"}` member loses it and becomes
//! nullable; a schema's `examples` array becomes `example`; `const` becomes a one-value `enum`;
//! the licence's SPDX `identifier` goes.
use std::{env, fs, path::PathBuf};

use serde_json::{Map, Value};

fn main() {
    let spec_path =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../openapi/openapi.json");
    println!("cargo::rerun-if-changed={}", spec_path.display());
    let text = fs::read_to_string(&spec_path).expect("read openapi/openapi.json");
    let mut doc: Value = serde_json::from_str(&text).expect("openapi.json is JSON");
    doc["openapi"] = Value::from("3.0.3");
    if let Some(license) = doc
        .pointer_mut("/info/license")
        .and_then(Value::as_object_mut)
    {
        license.remove("identifier");
    }
    down(&mut doc);
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(doc).expect("the 3.0 form is an OpenAPI document");
    let mut generator = progenitor::Generator::default();
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| panic!("progenitor: {e}"));
    let file: syn::File = syn::parse2(tokens).expect("progenitor's output parses");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("vern.rs");
    fs::write(out, prettyplease::unparse(&file)).expect("write the client");
}

fn is_null_type(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| o.len() == 1 && o.get("type") == Some(&Value::from("null")))
}

fn down(v: &mut Value) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(down),
        Value::Object(o) => {
            schema_down(o);
            o.values_mut().for_each(down);
        }
        _ => {}
    }
}

fn schema_down(o: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = o.get("type").cloned() {
        let nullable = types.iter().any(|t| t == "null");
        let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        match rest.as_slice() {
            [one] => {
                o.insert("type".into(), one.clone());
            }
            _ => {
                o.remove("type");
            }
        }
        if nullable {
            o.insert("nullable".into(), Value::Bool(true));
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = o.get(key).cloned()
            && members.iter().any(is_null_type)
        {
            let rest: Vec<Value> = members.into_iter().filter(|m| !is_null_type(m)).collect();
            o.insert("nullable".into(), Value::Bool(true));
            if rest.len() == 1 {
                o.remove(key);
                o.insert("allOf".into(), Value::Array(rest));
            } else {
                o.insert(key.into(), Value::Array(rest));
            }
        }
    }
    if let Some(Value::Array(examples)) = o.get("examples").cloned() {
        o.remove("examples");
        if let Some(first) = examples.into_iter().next() {
            o.entry("example").or_insert(first);
        }
    }
    if let Some(value) = o.remove("const") {
        o.insert("enum".into(), Value::Array(vec![value]));
    }
}
