//! The OpenAPI 3.1 document, generated from the handlers' annotations, and a page that
//! renders it without fetching anything from elsewhere.

use super::{catalog, crosscheck, estimate, health, import, sample, scenarios};
use crate::error::{ErrorBody, ErrorEnvelope};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tco: cloud TCO estimator",
        description = "Import what runs today (Heroku, EC2), estimate it on AWS (ECS, EKS, Fargate, EC2), \
save scenarios with their pinned catalog and share them read-only, and check an option's plan against \
AWS's own Pricing Calculator. Errors are always \
`{\"error\":{\"status\",\"code\",\"message\",...}}`. The first release's `/api/health`, `/api/sample`, \
`/api/import`, `/api/estimate` and `/api/catalog` are aliases of their `/api/v1` twins. With \
`tco serve --auth-token`, the scenario endpoints need `Authorization: Bearer TOKEN`."
    ),
    paths(
        health::health,
        sample::sample,
        import::import,
        estimate::estimate,
        crosscheck::crosscheck,
        catalog::catalog,
        catalog::regions,
        catalog::region,
        scenarios::list,
        scenarios::create,
        scenarios::get,
        scenarios::update,
        scenarios::delete,
        scenarios::revisions,
        scenarios::revision,
        scenarios::reprice,
        scenarios::share,
        scenarios::revoke,
        scenarios::shares,
        scenarios::revoke_by_id,
        scenarios::shared,
    ),
    components(schemas(ErrorEnvelope, ErrorBody)),
    modifiers(&Bearer, &LegacyAliases),
    tags(
        (name = "estimates", description = "Import files and estimate scenarios"),
        (name = "catalog", description = "The price catalog"),
        (name = "scenarios", description = "Saved scenarios with revisions and a pinned catalog"),
        (name = "share links", description = "Read-only links to saved scenarios"),
    )
)]
struct ApiDoc;

/// The `bearer` security scheme the scenario endpoints name.
struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The paths kept from the first release, described as their v1 twins with their own
/// operation ids.
struct LegacyAliases;

/// The endpoints that also answer without `/v1`.
pub const LEGACY: [&str; 5] = ["health", "sample", "import", "estimate", "catalog"];

impl Modify for LegacyAliases {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for name in LEGACY {
            let Some(mut item) = openapi.paths.paths.get(&format!("/api/v1/{name}")).cloned() else { continue };
            for op in [&mut item.get, &mut item.post].into_iter().flatten() {
                op.operation_id = op.operation_id.as_ref().map(|id| format!("{id}_unversioned"));
                op.summary = Some(format!("Alias of /api/v1/{name}"));
            }
            openapi.paths.paths.insert(format!("/api/{name}"), item);
        }
    }
}

/// The document, built once.
pub fn json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serializes");
        unsigned_64(&mut doc);
        serde_json::to_string_pretty(&doc).expect("the OpenAPI document serializes")
    })
}

/// utoipa writes a `u64` as `int64` from 0, which says values above 2^63 - 1 are invalid while
/// the server reads them: the document says `uint64` up to 2^64 - 1, what the server takes
/// (where no field states a maximum of its own).
fn unsigned_64(node: &mut serde_json::Value) {
    use serde_json::Value;
    match node {
        Value::Object(map) => {
            let integer = match map.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
                _ => false,
            };
            let from_zero = map.get("minimum").and_then(Value::as_f64) == Some(0.0);
            let int64 = map.get("format").and_then(Value::as_str) == Some("int64");
            if integer && from_zero && int64 && !map.contains_key("maximum") {
                map.insert("format".into(), "uint64".into());
                map.insert("maximum".into(), u64::MAX.into());
            }
            map.values_mut().for_each(unsigned_64);
        }
        Value::Array(items) => items.iter_mut().for_each(unsigned_64),
        _ => {}
    }
}

/// `GET /api/openapi.json`.
pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], json())
}

/// `GET /api/docs`: the document, readable in a browser.
pub async fn page() -> Html<&'static str> {
    Html(DOCS_PAGE)
}

/// The documentation page (its inline script is allowed by hash in the security policy).
pub const DOCS_PAGE: &str = include_str!("docs.html");
