//! The OpenAPI 3.1 document of the API, generated from its handlers and types (in the parent
//! module), so the description cannot drift from the code.

use utoipa::OpenApi;

use super::{ErrorBody, ErrorJson};

/// The OpenAPI 3.1 description of this API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "plantrack open data API",
        description = "Published figures of government development plans: each plan's indicators with their baselines, targets, yearly figures and progress status. Read-only; no account needed. Values are JSON numbers with their exact decimal digits; unknowns are null. Drafts never appear.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(super::plan_list, super::indicator_list, super::indicator),
    components(schemas(ErrorJson, ErrorBody)),
    tags((name = "plans", description = "Plans, their indicators and figures"))
)]
pub struct ApiDoc;
