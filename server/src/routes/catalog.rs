use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use tco_engine::catalog::{RegionSummary, HOME_REGION};
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
    #[param(value_type = Option<i64>, minimum = 1, maximum = 4_294_967_295_i64)]
    page: Option<u32>,
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
    let page = match q.page {
        None => 1,
        Some(0) => return Err(ApiError::BadRequest("page must be 1 or more".into())),
        Some(page) => page as usize,
    };
    let catalog = state.catalog.clone();
    let filter = q.filter();
    // Thousands of rows over every region: filtered and sorted off the request threads.
    let rows = tokio::task::spawn_blocking(move || query(&catalog, &filter))
        .await
        .map_err(|e| ApiError::Internal(format!("the catalog query stopped: {e}")))?;
    let total = rows.len();
    let items = rows.into_iter().skip((page - 1) * per_page).take(per_page).collect();
    let active = &state.catalog;
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

/// The regions of the catalog, for the region picker.
#[derive(Serialize)]
pub struct RegionList {
    /// The region the catalog's undated-by-region prices belong to and the page embeds.
    home_region: &'static str,
    /// The snapshot's date.
    snapshot: String,
    /// Each region with instance prices: counts and dates.
    regions: Vec<RegionSummary>,
}

/// `GET /api/v1/catalog/regions`: every region with prices, how many and of when.
#[utoipa::path(get, path = "/api/v1/catalog/regions", tag = "catalog",
    responses(
        (status = 200, description = "`{\"home_region\",\"snapshot\",\"regions\":[{\"region\",\"instance_prices\",\"oldest_price_as_of\",\"newest_price_as_of\",\"spot_advice\",\"spot_as_of\",\"service_prices\"}]}`", body = Object),
    ))]
pub async fn regions(State(state): State<AppState>) -> Result<Json<RegionList>, ApiError> {
    let catalog = state.catalog.clone();
    // A pass over every price per region: off the request threads.
    let regions = tokio::task::spawn_blocking(move || catalog.region_summaries())
        .await
        .map_err(|e| ApiError::Internal(format!("the region list stopped: {e}")))?;
    Ok(Json(RegionList { home_region: HOME_REGION, snapshot: state.catalog.snapshot.clone(), regions }))
}

/// One region's snapshot files, whole enough to estimate there.
#[derive(Serialize)]
pub struct RegionSlice<'a> {
    /// The region.
    region: String,
    /// Its counts and dates.
    summary: RegionSummary,
    /// The oldest price an estimate there can rest on, the date a catalog-age warning names.
    oldest_price_as_of: Option<String>,
    /// The snapshot's files by name, in the layout of `pricing-data/data/`: the regional ones
    /// (`ec2-ondemand-linux.csv`, `ec2-spot-advice.csv`, `ec2-commitments.csv`) with only this
    /// region's rows, `services.csv` with this region's, the home region's (stand-ins, labelled
    /// where used) and those without a region, the rest whole. `tco_pricing_data::load` reads
    /// them exactly, as the page does.
    files: std::collections::BTreeMap<&'static str, &'a str>,
}

/// `GET /api/v1/catalog/regions/{region}`: what the page needs to estimate in one region.
#[utoipa::path(get, path = "/api/v1/catalog/regions/{region}", tag = "catalog",
    params(("region" = String, Path, description = "A region code, e.g. `eu-west-1`")),
    responses(
        (status = 200, description = "`{\"region\",\"summary\",\"oldest_price_as_of\",\"files\":{\"manifest.json\",\"ec2-instance-types.csv\",\"ec2-ondemand-linux.csv\",\"heroku-dyno-sizes.csv\",\"services.csv\",\"ec2-commitments.csv\",\"heroku-addon-plans.csv\",\"assumptions.csv\",\"ec2-spot-advice.csv\"}}`: the snapshot's files (CSV text), the regional ones with only this region's rows", body = Object),
        (status = 404, description = "The catalog has no prices in that region", body = ErrorEnvelope),
    ))]
pub async fn region(
    State(state): State<AppState>,
    axum::extract::Path(region): axum::extract::Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let asked = region.clone();
    let catalog = state.catalog.clone();
    // A pass over every price and a few megabytes of text: off the request threads.
    let body = tokio::task::spawn_blocking(move || {
        let summary = catalog.region_summaries().into_iter().find(|s| s.region == region)?;
        let files = match catalog.files.region(&region) {
            Ok(files) => files,
            Err(e) => return Some(Err(e.to_string())),
        };
        let slice = RegionSlice {
            oldest_price_as_of: catalog.oldest_price_as_of_in(&region),
            files: files.named(),
            region,
            summary,
        };
        Some(serde_json::to_vec(&slice).map_err(|e| e.to_string()))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the region slice stopped: {e}")))?;
    let Some(body) = body else {
        return Err(ApiError::UnknownRegion { known: state.catalog.regions().join(", "), region: asked });
    };
    let body = body.map_err(|e| ApiError::Internal(format!("the region slice: {e}")))?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}
