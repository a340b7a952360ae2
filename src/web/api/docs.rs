//! The API's description, served: the OpenAPI document as JSON at `/api/openapi.json`, and
//! as a page of the site at `/api/docs`, rendered on the server from the same document: each
//! path with its parameters and responses, and each schema with its fields. No script, nothing
//! loaded from elsewhere.

use askama::Template;
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use utoipa::OpenApi;

use super::openapi::ApiDoc;
use crate::web::layout::Layout;
use crate::web::reader::Reader;
use crate::web::{AppError, AppState};

/// `/api/openapi.json` and the page `/api/docs`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/docs", get(page))
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

pub struct ParamView {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub kind: String,
    pub description: String,
    pub example: String,
}

pub struct ResponseView {
    pub status: String,
    pub description: String,
    pub body: String,
    pub body_link: String,
}

pub struct OperationView {
    pub id: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub example: String,
    pub params: Vec<ParamView>,
    pub responses: Vec<ResponseView>,
}

pub struct FieldView {
    pub name: String,
    pub kind: String,
    pub required: bool,
    pub description: String,
}

pub struct SchemaView {
    pub name: String,
    pub description: String,
    pub kind: String,
    pub fields: Vec<FieldView>,
}

#[derive(Template)]
#[template(path = "api/docs.html")]
struct DocsPage {
    layout: Layout,
    title: String,
    version: String,
    openapi: String,
    description: String,
    operations: Vec<OperationView>,
    schemas: Vec<SchemaView>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A schema in words: `string`, `integer or null`, `array of Indicator`, `one of: a, b`.
pub fn describe(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            return list.iter().map(describe).collect::<Vec<_>>().join(" or ");
        }
    }
    let types: Vec<String> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let mut words: Vec<String> = types
        .iter()
        .map(|t| match (t.as_str(), schema.get("items")) {
            ("array", Some(items)) => format!("array of {}", describe(items)),
            (t, _) => t.to_owned(),
        })
        .collect();
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let codes: Vec<String> = values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect();
        words.push(format!("one of: {}", codes.join(", ")));
    }
    if words.is_empty() {
        "any".to_owned()
    } else {
        words.join(" ")
    }
}

fn operations(doc: &Value) -> Vec<OperationView> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let mut example = path.clone();
            let params: Vec<ParamView> = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| {
                    let name = text(p, "name");
                    let example_value = p
                        .get("example")
                        .or_else(|| p.get("schema").and_then(|s| s.get("example")))
                        .map(|e| e.as_str().map_or_else(|| e.to_string(), str::to_owned))
                        .unwrap_or_default();
                    if !example_value.is_empty() {
                        example = example.replace(&format!("{{{name}}}"), &example_value);
                    }
                    ParamView {
                        location: text(p, "in"),
                        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                        kind: p.get("schema").map(describe).unwrap_or_default(),
                        description: text(p, "description"),
                        example: example_value,
                        name,
                    }
                })
                .collect();
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(status, r)| {
                    let schema = r
                        .get("content")
                        .and_then(|c| c.get("application/json"))
                        .and_then(|c| c.get("schema"));
                    let body = schema.map(describe).unwrap_or_default();
                    let body_link = schema
                        .and_then(|s| s.get("$ref").or_else(|| s.get("items")?.get("$ref")))
                        .and_then(Value::as_str)
                        .and_then(|r| r.rsplit('/').next())
                        .map(|n| format!("#schema-{n}"))
                        .unwrap_or_default();
                    ResponseView {
                        status: status.clone(),
                        description: text(r, "description"),
                        body,
                        body_link,
                    }
                })
                .collect();
            out.push(OperationView {
                id: text(op, "operationId"),
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(op, "summary"),
                example,
                params,
                responses,
            });
        }
    }
    out
}

fn schemas(doc: &Value) -> Vec<SchemaView> {
    let Some(all) = doc
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    all.iter()
        .map(|(name, s)| {
            let required: Vec<&str> = s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let fields = s
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(field, f)| FieldView {
                    name: field.clone(),
                    kind: describe(f),
                    required: required.contains(&field.as_str()),
                    description: text(f, "description"),
                })
                .collect();
            SchemaView {
                name: name.clone(),
                description: text(s, "description"),
                kind: describe(s),
                fields,
            }
        })
        .collect()
}

/// `/api/docs`.
async fn page(reader: Reader) -> Result<Html<String>, AppError> {
    let doc = serde_json::to_value(ApiDoc::openapi()).map_err(|e| anyhow::anyhow!(e))?;
    let info = doc.get("info").cloned().unwrap_or_default();
    Ok(Html(
        DocsPage {
            layout: reader.layout,
            title: text(&info, "title"),
            version: text(&info, "version"),
            openapi: text(&doc, "openapi"),
            description: text(&info, "description"),
            operations: operations(&doc),
            schemas: schemas(&doc),
        }
        .render()?,
    ))
}
