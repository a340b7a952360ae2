//! The API's OpenAPI description: generated from the code, and true of every route.

use axum::http::StatusCode;
use serde_json::Value;

use crate::harness::{DEFAULT_PLAN, TestDb, get};

/// Resolves `{"$ref": "#/components/schemas/X"}` in `doc`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r
                .strip_prefix("#/components/schemas/")
                .expect("a local ref");
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Checks `value` against `schema`: its type, its required fields, recursively. Returns
/// every mismatch with the place it was found.
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
        let fits = alternatives.iter().any(|s| {
            let mut p = Vec::new();
            conforms(doc, s, value, at, &mut p);
            p.is_empty()
        });
        if !fits {
            problems.push(format!("{at}: {value} fits none of the alternatives"));
        }
        return;
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let type_ok = types.is_empty()
        || types.contains(&actual)
        || (actual == "integer" && types.contains(&"number"));
    if !type_ok {
        problems.push(format!("{at}: expected {types:?}, got {value}"));
        return;
    }
    if let (Some(allowed), Some(v)) = (schema.get("enum").and_then(Value::as_array), value.as_str())
        && !allowed.iter().any(|a| a == v)
    {
        problems.push(format!("{at}: {v} is not one of {allowed:?}"));
    }
    match value {
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    conforms(doc, item_schema, item, &format!("{at}[{i}]"), problems);
                }
            }
        }
        Value::Object(map) => {
            for field in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !map.contains_key(field) {
                    problems.push(format!("{at}: the required field {field} is missing"));
                }
            }
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (name, s) in props {
                    if let Some(v) = map.get(name) {
                        conforms(doc, s, v, &format!("{at}.{name}"), problems);
                    }
                }
            }
        }
        _ => {}
    }
}

/// The example of each path parameter, as the document gives it. Query parameters (`as_of`)
/// are optional: the path is called without them.
fn with_examples(path: &str, op: &Value) -> String {
    let mut uri = path.to_owned();
    for p in op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "path")
    {
        let name = p["name"].as_str().unwrap();
        let example = p["example"]
            .as_str()
            .unwrap_or_else(|| panic!("{path}: parameter {name} has no example"));
        uri = uri.replace(&format!("{{{name}}}"), example);
    }
    uri
}

#[tokio::test]
async fn every_path_in_the_openapi_document_answers_as_described() {
    let db = TestDb::seeded().await;
    let app = db.app();
    let page = get(&app, "/api/openapi.json").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("application/json"));
    let doc = page.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(
        paths.keys().collect::<Vec<_>>(),
        [
            "/api/v1/plans",
            "/api/v1/plans/{plan}/indicators",
            "/api/v1/plans/{plan}/indicators/{code}"
        ]
    );
    let mut walked = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            assert_eq!(method, "get", "{path}: the API only reads");
            let uri = with_examples(path, op);
            assert!(
                uri.contains(DEFAULT_PLAN) || !path.contains("{plan}"),
                "{path}: the example is a seeded plan"
            );
            let answer = get(&app, &uri).await;
            let responses = &op["responses"];
            let documented = &responses[answer.status.as_str()];
            assert!(
                documented.is_object(),
                "{uri}: {} is not a documented response",
                answer.status
            );
            assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
            assert!(answer.content_type.starts_with("application/json"), "{uri}");
            let schema = &documented["content"]["application/json"]["schema"];
            let mut problems = Vec::new();
            conforms(&doc, schema, &answer.json(), &uri, &mut problems);
            assert!(problems.is_empty(), "{uri}:\n{}", problems.join("\n"));
            walked += 1;

            // An unknown plan or indicator gets the documented 404.
            if path.contains('{') {
                let missing = path
                    .replace("{plan}", DEFAULT_PLAN)
                    .replace("{code}", "no-such-code");
                let missing = if path.contains("{code}") {
                    missing
                } else {
                    path.replace("{plan}", "no-such-plan")
                };
                let answer = get(&app, &missing).await;
                assert_eq!(answer.status, StatusCode::NOT_FOUND, "{missing}");
                let schema = &responses["404"]["content"]["application/json"]["schema"];
                assert!(schema.is_object(), "{path}: 404 is documented");
                let mut problems = Vec::new();
                conforms(&doc, schema, &answer.json(), &missing, &mut problems);
                assert!(problems.is_empty(), "{missing}:\n{}", problems.join("\n"));
            }
        }
    }
    assert_eq!(walked, 3);
    // The schemas say what the JSON holds: a required field the API dropped would fail above.
    let indicator = &doc["components"]["schemas"]["Indicator"];
    for field in ["code", "unit", "observations", "progress", "baseline_value"] {
        assert!(
            indicator["properties"][field].is_object(),
            "Indicator.{field}"
        );
    }
    assert_eq!(
        resolve(&doc, &indicator["properties"]["unit"])["enum"],
        serde_json::json!(["percent", "count", "amount", "rate"])
    );
}

#[tokio::test]
async fn the_api_docs_page_shows_each_path_its_parameters_and_schemas_without_script() {
    let db = TestDb::seeded().await;
    let doc = get(&db.app(), "/api/openapi.json").await.json();
    let page = get(&db.app(), "/api/docs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script"), "no JavaScript");
    let shown = page.texts(".operation code.path");
    let documented: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(shown, documented);
    let params = page.texts(".operation table.params tbody th code");
    assert!(params.contains(&"plan".to_owned()) && params.contains(&"code".to_owned()));
    let schemas = page.texts(".schema h3");
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        assert!(schemas.contains(name), "schema {name} shown");
    }
    // Linked from the data page.
    let data = get(&db.app(), &format!("/plans/{DEFAULT_PLAN}/data")).await;
    assert!(data.body.contains("href=\"/api/docs\""));
    assert!(data.body.contains("href=\"/api/openapi.json\""));
}
