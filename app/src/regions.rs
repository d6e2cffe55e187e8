//! The catalog of the scenario's region. The page embeds only the home region
//! ([`HOME_REGION`]); another region's snapshot files are fetched from the API the first time
//! the scenario moves there, loaded and validated like the embedded ones, and the catalog kept
//! for the page's life (one per region, at most a few dozen).

use std::cell::RefCell;
use std::collections::HashMap;
use tco_engine::catalog::{RegionSummary, HOME_REGION};
use tco_engine::Catalog;
use tco_pricing_data::OwnedSnapshot;

thread_local! {
    /// Region catalogs fetched so far. Leaked on purpose: each lives as long as the page, and
    /// `&'static` lets every component borrow it like the embedded one.
    static FETCHED: RefCell<HashMap<String, &'static Catalog>> = RefCell::new(HashMap::new());
}

/// The catalog for `region`: the embedded one for the home region, a fetched one for a region
/// fetched already, `None` until then.
pub fn catalog_for(region: &str) -> Option<&'static Catalog> {
    if region == HOME_REGION {
        return Some(tco_pricing_data::embedded());
    }
    FETCHED.with(|f| f.borrow().get(region).copied())
}

/// The region list the API answers with.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct RegionList {
    /// Each region with prices.
    pub regions: Vec<RegionSummary>,
}

/// One region's slice as the API sends it: the snapshot's files, loaded here as the server
/// loads its own (CSV text keeps every price exact).
#[derive(serde::Deserialize)]
struct RegionSlice {
    files: std::collections::BTreeMap<String, String>,
}

/// The regions of the server's catalog, for the picker.
pub async fn list() -> Result<Vec<RegionSummary>, String> {
    crate::api::get_json::<RegionList>("/api/v1/catalog/regions").await.map(|l| l.regions)
}

/// Fetches `region`'s catalog (once) and keeps it; the caller re-estimates after.
pub async fn fetch(region: &str) -> Result<&'static Catalog, String> {
    if let Some(c) = catalog_for(region) {
        return Ok(c);
    }
    let url = format!("/api/v1/catalog/regions/{}", js_sys::encode_uri_component(region));
    let slice: RegionSlice = crate::api::get_json(&url).await?;
    let invalid = |e: tco_pricing_data::LoadError| format!("the server's catalog for {region} is invalid: {e}");
    let files = OwnedSnapshot::from_named(slice.files).map_err(invalid)?;
    let catalog = tco_pricing_data::load(files.files()).map_err(invalid)?;
    let catalog: &'static Catalog = Box::leak(Box::new(catalog));
    FETCHED.with(|f| f.borrow_mut().insert(region.to_string(), catalog));
    Ok(catalog)
}

/// The picker's label of a region: `eu-west-1 · 551 types · prices of 2022-11-22`.
pub fn label(r: &RegionSummary) -> String {
    if r.oldest_price_as_of == r.newest_price_as_of {
        format!("{} · {} types · prices of {}", r.region, r.instance_prices, r.oldest_price_as_of)
    } else {
        format!(
            "{} · {} types · prices of {} to {}",
            r.region, r.instance_prices, r.oldest_price_as_of, r.newest_price_as_of
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(region: &str, oldest: &str, newest: &str) -> RegionSummary {
        RegionSummary {
            region: region.into(),
            instance_prices: 551,
            oldest_price_as_of: oldest.into(),
            newest_price_as_of: newest.into(),
            spot_advice: 0,
            spot_as_of: None,
            service_prices: 0,
        }
    }

    #[test]
    fn a_label_names_the_count_and_the_dates() {
        assert_eq!(
            label(&summary("eu-west-1", "2022-11-22", "2022-11-22")),
            "eu-west-1 · 551 types · prices of 2022-11-22"
        );
        assert_eq!(
            label(&summary("eu-west-1", "2022-11-22", "2026-12-01")),
            "eu-west-1 · 551 types · prices of 2022-11-22 to 2026-12-01"
        );
    }

    #[test]
    fn the_home_region_is_embedded_and_others_wait_for_the_api() {
        assert!(catalog_for(HOME_REGION).is_some_and(|c| c.instance_price(HOME_REGION, "c5.2xlarge").is_some()));
        assert!(catalog_for("eu-west-1").is_none());
        assert!(
            tco_pricing_data::embedded().instance_prices.iter().all(|p| p.region == HOME_REGION),
            "the page embeds the home region only"
        );
    }
}
