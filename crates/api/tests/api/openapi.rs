use serde_json::Value;

use crate::helpers::spawn_app;

fn committed() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let text =
        std::fs::read_to_string(path).expect("openapi/openapi.json exists (run `just openapi`)");
    serde_json::from_str(&text).expect("committed spec is JSON")
}

#[tokio::test]
async fn the_served_spec_is_the_committed_one() {
    let app = spawn_app().await;
    let (status, served) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(
        served == committed(),
        "openapi/openapi.json is stale: run `just openapi` and commit the result"
    );
}

#[test]
fn every_operation_has_an_id_a_summary_responses_and_a_security_statement() {
    let spec = committed();
    let mut ids = std::collections::HashSet::new();
    let mut count = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            count += 1;
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: operationId"));
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path}: summary"
            );
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}: responses"
            );
            assert!(
                op.get("security").is_some() || spec.get("security").is_some(),
                "{method} {path}: security"
            );
            assert!(
                !op["tags"].as_array().map(Vec::is_empty).unwrap_or(true),
                "{method} {path}: tag"
            );
        }
    }
    assert!(count >= 3);
}

#[tokio::test]
async fn the_docs_ui_is_served_from_this_server() {
    let app = spawn_app().await;
    let response = app.get("/api/docs/").await;
    assert_eq!(response.status().as_u16(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"));
    let html = response.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("https://"),
        "the docs page loads nothing from elsewhere"
    );
    let init = app
        .get("/api/docs/swagger-initializer.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/openapi.json"));
}

/// Whether `value` fits `schema` (the JSON Schema subset the document uses: `$ref`, `allOf`,
/// `oneOf`, `anyOf`, `type` (one or a list), `enum`, objects with `properties`/`required`,
/// arrays with `items`). Unknown properties do not fit where the schema lists properties:
/// an example with a field the schema no longer has is stale.
fn fits(spec: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    fits_in(spec, schema, value, at, true)
}

/// The properties a schema lists, its `allOf` members' included; `None` when it lists none
/// or a member leaves them open (`oneOf`, `anyOf`, no properties).
fn listed_properties(spec: &Value, schema: &Value) -> Option<serde_json::Map<String, Value>> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return listed_properties(spec, &spec["components"]["schemas"][name]);
    }
    if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
        return None;
    }
    let mut all = schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for member in schema["allOf"].as_array().into_iter().flatten() {
        all.extend(listed_properties(spec, member)?);
    }
    (!all.is_empty() && schema.get("additionalProperties").is_none()).then_some(all)
}

/// `strict`: unknown properties do not fit (off inside an `allOf`, where the whole is checked).
fn fits_in(
    spec: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    strict: bool,
) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return fits_in(
            spec,
            &spec["components"]["schemas"][name],
            value,
            at,
            strict,
        );
    }
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            fits_in(spec, s, value, at, false)?;
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(any) = schema[key].as_array() {
            let errors: Vec<String> = any
                .iter()
                .filter_map(|s| fits_in(spec, s, value, at, strict).err())
                .collect();
            if errors.len() == any.len() {
                return Err(format!("{at}: fits no member of {key}: {errors:?}"));
            }
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let type_of = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let actual = type_of(value);
    let allowed = types.is_empty()
        || types.contains(&actual)
        || (actual == "integer" && types.contains(&"number"));
    if !allowed {
        return Err(format!("{at}: a {actual}, the schema says {types:?}"));
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {allowed:?}"));
    }
    match value {
        Value::Object(fields) => {
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap_or_default();
                if !fields.contains_key(name) {
                    return Err(format!("{at}: lacks the required `{name}`"));
                }
            }
            if let Some(properties) = schema["properties"].as_object() {
                for (name, field) in fields {
                    if let Some(s) = properties.get(name) {
                        fits(spec, s, field, &format!("{at}.{name}"))?;
                    }
                }
            }
            if strict && let Some(listed) = listed_properties(spec, schema) {
                for name in fields.keys() {
                    if !listed.contains_key(name) {
                        return Err(format!("{at}: `{name}` is not in the schema"));
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    fits(spec, item, v, &format!("{at}[{i}]"))?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The issue's "every operation has a summary, a description, request and response examples,
/// and documented error codes": a description beyond the summary; every problem answer
/// names its codes in backticks, all of them real codes; every JSON request body and JSON
/// success answer has an example (recorded by `just record-examples`) that fits its schema.
#[test]
fn every_operation_is_described_with_its_error_codes_and_examples_that_fit() {
    let spec = committed();
    let codes: std::collections::HashSet<&str> =
        spec["components"]["schemas"]["ProblemCode"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
    let mut faults = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{} {path}", method.to_uppercase());
            let summary = op["summary"].as_str().unwrap_or_default();
            let description = op["description"].as_str().unwrap_or_default();
            if description.len() < 20 || description.trim_end_matches('.') == summary {
                faults.push(format!("{at}: no description beyond the summary"));
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                let content = response["content"].as_object();
                if content.is_some_and(|c| c.contains_key("application/problem+json")) {
                    let text = response["description"].as_str().unwrap_or_default();
                    let named: Vec<&str> = text.split('`').skip(1).step_by(2).collect();
                    if !named.iter().any(|c| codes.contains(c)) {
                        faults.push(format!("{at} {status}: names no problem code"));
                    }
                    // A parenthesised list of backticked words is a list of codes.
                    for group in text.split('(').skip(1).filter_map(|g| g.split(')').next()) {
                        let words: Vec<&str> = group.split(", ").collect();
                        let listed = words.iter().all(|w| {
                            w.len() > 2
                                && w.starts_with('`')
                                && w.ends_with('`')
                                && w[1..w.len() - 1]
                                    .chars()
                                    .all(|c| c.is_ascii_lowercase() || c == '_')
                        });
                        for w in words.iter().filter(|_| listed) {
                            if !codes.contains(&w[1..w.len() - 1]) {
                                faults.push(format!("{at} {status}: {w} is not a problem code"));
                            }
                        }
                    }
                }
                if status.starts_with('2')
                    && let Some(json) = content.and_then(|c| c.get("application/json"))
                {
                    match json.get("example") {
                        None => faults.push(format!("{at} {status}: no answer example")),
                        Some(example) => {
                            if let Err(e) = fits(&spec, &json["schema"], example, "answer") {
                                faults.push(format!("{at} {status}: {e}"));
                            }
                        }
                    }
                }
            }
            let body = &op["requestBody"]["content"];
            for media in ["application/json", "application/x-www-form-urlencoded"] {
                if let Some(content) = body.get(media) {
                    match content.get("example") {
                        None => faults.push(format!("{at}: no request example ({media})")),
                        Some(example) => {
                            if let Err(e) = fits(&spec, &content["schema"], example, "request") {
                                faults.push(format!("{at}: {e}"));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(
        faults.is_empty(),
        "{} faults in the document:\n{}",
        faults.len(),
        faults.join("\n")
    );
}
