use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use tco_engine::explore::{query, InstanceQuery, InstanceRow};
use tco_pricing_data::ManifestFile;

/// The explorer's filters and paging. (Spelled out rather than flattened: query strings
/// lose their types through `serde(flatten)`.)
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogQuery {
    /// Only this region, e.g. `us-east-1`.
    region: Option<String>,
    /// Families or exact types, comma-separated: `c5,m5`.
    family: Option<String>,
    /// A substring of the type's name.
    search: Option<String>,
    /// At least this many vCPUs.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    min_vcpu: Option<u32>,
    /// At most this many vCPUs.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4_294_967_295_i64)]
    max_vcpu: Option<u32>,
    /// At least this much memory, GiB.
    min_memory_gib: Option<f64>,
    /// At most this much memory, GiB.
    max_memory_gib: Option<f64>,
    /// `x86_64` or `arm64`.
    #[param(value_type = Option<ArchName>, inline)]
    arch: Option<tco_engine::catalog::Arch>,
    /// `price` (the default), `name`, `vcpu`, `memory`, `price_per_vcpu` or `price_per_gib`.
    sort: Option<String>,
    /// Descending.
    #[serde(default)]
    desc: bool,
    /// 1-based page.
    page: Option<usize>,
    /// Rows a page (at most 1,000).
    #[param(minimum = 1, maximum = 1000)]
    per_page: Option<usize>,
}

/// The architectures `arch` takes (documentation only: the engine's own type parses them).
#[derive(utoipa::ToSchema)]
#[allow(dead_code, non_camel_case_types)]
enum ArchName {
    x86_64,
    arm64,
}

impl CatalogQuery {
    fn filter(&self) -> InstanceQuery {
        let gib = |v: Option<f64>| v.and_then(rust_decimal::Decimal::from_f64_retain);
        InstanceQuery {
            region: self.region.clone(),
            family: self.family.clone(),
            search: self.search.clone(),
            min_vcpu: self.min_vcpu,
            max_vcpu: self.max_vcpu,
            min_memory_gib: gib(self.min_memory_gib),
            max_memory_gib: gib(self.max_memory_gib),
            arch: self.arch,
            sort: self.sort.clone(),
            desc: self.desc,
        }
    }
}

/// One page of priced instance types, with the catalog's provenance.
#[derive(Serialize)]
pub struct CatalogPage {
    snapshot: String,
    oldest_price_as_of: String,
    catalog_origin: String,
    files: Vec<ManifestFile>,
    absent: String,
    total: usize,
    page: usize,
    per_page: usize,
    items: Vec<InstanceRow>,
}

/// `GET /api/catalog`: instance types with their prices, filtered, sorted and paged.
#[utoipa::path(get, path = "/api/v1/catalog", tag = "catalog", params(CatalogQuery),
    responses(
        (status = 200, description = "`{\"snapshot\",\"oldest_price_as_of\",\"catalog_origin\",\"files\",\"absent\",\"total\",\"page\",\"per_page\",\"items\":[...]}`", body = Object),
        (status = 400, description = "A bad filter or page size", body = ErrorEnvelope),
    ))]
pub async fn catalog(
    State(state): State<AppState>,
    Query(q): Query<CatalogQuery>,
) -> Result<Json<CatalogPage>, ApiError> {
    let per_page = q.per_page.unwrap_or(100);
    if per_page == 0 || per_page > 1000 {
        return Err(ApiError::BadRequest("per_page must be between 1 and 1000".into()));
    }
    let page = q.page.unwrap_or(1).max(1);
    let rows = query(state.catalog, &q.filter());
    let total = rows.len();
    let items = rows.into_iter().skip((page - 1) * per_page).take(per_page).collect();
    let active = crate::catalog::active();
    Ok(Json(CatalogPage {
        snapshot: state.catalog.snapshot.clone(),
        oldest_price_as_of: state.catalog.oldest_price_as_of.clone(),
        catalog_origin: active.origin.clone(),
        files: active.manifest.files.clone(),
        absent: active.manifest.absent.clone(),
        total,
        page,
        per_page,
        items,
    }))
}
