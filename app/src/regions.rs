//! The catalog of the scenario's regions. The page embeds only the home region
//! ([`HOME_REGION`]); another region's snapshot files are fetched from the API the first time
//! the scenario moves there, loaded and validated like the embedded ones, and the catalog kept
//! for the page's life (one per region, at most a few dozen). Regions compared side by side are
//! estimated on one catalog holding each of theirs, built once per set.

use std::cell::RefCell;
use std::collections::HashMap;
use tco_engine::catalog::{CatalogParts, RegionSummary, HOME_REGION};
use tco_engine::{Assumptions, Catalog};
use tco_pricing_data::OwnedSnapshot;

thread_local! {
    /// Region catalogs fetched so far. Leaked on purpose: each lives as long as the page, and
    /// `&'static` lets every component borrow it like the embedded one.
    static FETCHED: RefCell<HashMap<String, &'static Catalog>> = RefCell::new(HashMap::new());
    /// Catalogs of several regions, by the regions joined with commas. Leaked like the others.
    static JOINED: RefCell<HashMap<String, &'static Catalog>> = RefCell::new(HashMap::new());
}

/// The catalog holding every one of `regions` (each fetched already), `None` until they are.
pub fn catalog_for_all(regions: &[String]) -> Option<&'static Catalog> {
    match regions {
        [one] => catalog_for(one),
        _ => {
            let key = regions.join(",");
            if let Some(c) = JOINED.with(|j| j.borrow().get(&key).copied()) {
                return Some(c);
            }
            let parts: Vec<&Catalog> = regions.iter().map(|r| catalog_for(r)).collect::<Option<_>>()?;
            let joined = Catalog::new(join(&parts, regions)).ok()?;
            let joined: &'static Catalog = Box::leak(Box::new(joined));
            JOINED.with(|j| j.borrow_mut().insert(key, joined));
            Some(joined)
        }
    }
}

/// One catalog of several regions' catalogs: the first whole (the shared tables, the home
/// region's services that stand in elsewhere), then each other region's own rows, each row once
/// (every region's slice carries the home region's services too).
fn join(catalogs: &[&Catalog], regions: &[String]) -> CatalogParts {
    let mut parts: CatalogParts = catalogs[0].clone().into();
    for (c, region) in catalogs.iter().zip(regions).skip(1) {
        let r = region.as_str();
        if !parts.instance_prices.iter().any(|p| p.region == r) {
            parts.instance_prices.extend(c.instance_prices.iter().filter(|p| p.region == r).cloned());
            parts.commitments.extend(c.commitments.iter().filter(|x| x.region == r).cloned());
            parts.spot_advice.extend(c.spot_advice.iter().filter(|a| a.region == r).cloned());
        }
        let have: std::collections::HashSet<(Option<String>, String)> =
            parts.services.iter().map(|s| (s.region.clone(), s.id.clone())).collect();
        let new: Vec<_> = c
            .services
            .iter()
            .filter(|s| s.region.as_deref() == Some(r) && !have.contains(&(s.region.clone(), s.id.clone())))
            .cloned()
            .collect();
        parts.services.extend(new);
    }
    parts
}

/// The regions compared once `region` is ticked or unticked in the Regions view: the
/// scenario's first region stays first and cannot be unticked; one region left means `region`
/// alone (an empty list).
pub fn toggle(a: &Assumptions, region: &str) -> Vec<String> {
    let mut list = a.estimated_regions();
    if list.iter().any(|r| r == region) {
        if list[0] != region {
            list.retain(|r| r != region);
        }
    } else {
        list.push(region.to_string());
    }
    if list.len() > 1 {
        list
    } else {
        Vec::new()
    }
}

/// The region picker's choice: `region`, and first among the regions compared.
pub fn set_home(a: &mut Assumptions, region: String) {
    if !a.regions.is_empty() {
        let rest: Vec<String> = a.estimated_regions().into_iter().skip(1).filter(|r| *r != region).collect();
        a.regions = std::iter::once(region.clone()).chain(rest).collect();
        if a.regions.len() == 1 {
            a.regions.clear();
        }
    }
    a.region = region;
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
    fn ticking_regions_keeps_the_first_and_one_left_means_region_alone() {
        let mut a = Assumptions { region: "us-east-1".into(), ..Assumptions::default() };
        a.regions = toggle(&a, "eu-west-1");
        assert_eq!(a.regions, ["us-east-1", "eu-west-1"]);
        a.regions = toggle(&a, "us-east-1");
        assert_eq!(a.regions, ["us-east-1", "eu-west-1"], "the first region stays");
        a.regions = toggle(&a, "eu-west-1");
        assert!(a.regions.is_empty());
        a.regions = vec!["us-east-1".into(), "eu-west-1".into(), "sa-east-1".into()];
        set_home(&mut a, "eu-west-1".into());
        assert_eq!((a.region.as_str(), a.regions.clone()), ("eu-west-1", vec!["eu-west-1".into(), "sa-east-1".into()]));
        a.regions = vec!["us-east-1".into(), "eu-west-1".into()];
        set_home(&mut a, "eu-west-1".into());
        assert!(a.regions.is_empty(), "one region left");
    }

    #[test]
    fn joined_regions_keep_each_regions_own_rows() {
        let home = catalog_for(HOME_REGION).unwrap();
        let mut eu: CatalogParts = home.clone().into();
        for p in &mut eu.instance_prices {
            p.region = "eu-west-1".into();
        }
        eu.spot_advice.clear();
        let eu = Catalog::new(eu).unwrap();
        let joined = Catalog::new(join(&[home, &eu], &["us-east-1".into(), "eu-west-1".into()])).unwrap();
        assert_eq!(joined.regions(), ["eu-west-1", "us-east-1"]);
        assert_eq!(joined.instance_prices.len(), 2 * home.instance_prices.len());
        assert_eq!(joined.services.len(), home.services.len(), "the home region's services once");
        // Another region first: its slice already holds the home region's services.
        let joined = Catalog::new(join(&[&eu, home], &["eu-west-1".into(), "us-east-1".into()])).unwrap();
        assert_eq!(joined.instance_prices.len(), 2 * home.instance_prices.len());
        assert_eq!(joined.services.len(), home.services.len());
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
