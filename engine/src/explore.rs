//! The instance explorer: catalog rows joined with their price, filtered and sorted, so the
//! page, the API and `tco pricing show` list the same rows.

use crate::catalog::{Arch, Catalog};
use crate::money::HOURS_PER_MONTH;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One instance type priced in one region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceRow {
    /// API name.
    pub instance_type: String,
    /// Family.
    pub family: String,
    /// Size.
    pub size: String,
    /// Generation.
    pub generation: Option<u32>,
    /// vCPUs, when known.
    pub vcpu: Option<u32>,
    /// Memory GiB, when known.
    pub memory_gib: Option<Decimal>,
    /// Architecture, when known.
    pub arch: Option<Arch>,
    /// Burstable (T family).
    pub burstable: bool,
    /// EKS max pods, when known.
    pub eks_max_pods: Option<u32>,
    /// Region.
    pub region: String,
    /// USD per instance-hour, on demand.
    pub usd_per_hour: Decimal,
    /// USD per month at 730 hours.
    pub usd_per_month: Decimal,
    /// USD per vCPU-hour, when vCPUs are known.
    pub usd_per_vcpu_hour: Option<Decimal>,
    /// USD per GiB-hour, when memory is known.
    pub usd_per_gib_hour: Option<Decimal>,
    /// Where the price came from.
    pub source: String,
    /// When.
    pub as_of: String,
}

/// Filters; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InstanceQuery {
    /// Region (default: every region).
    pub region: Option<String>,
    /// Families, comma separated (`c5,m6i`), or exact types.
    pub family: Option<String>,
    /// Substring of the type name.
    pub search: Option<String>,
    /// At least this many vCPUs.
    pub min_vcpu: Option<u32>,
    /// At most this many vCPUs.
    pub max_vcpu: Option<u32>,
    /// At least this much memory, GiB.
    pub min_memory_gib: Option<Decimal>,
    /// At most this much memory, GiB.
    pub max_memory_gib: Option<Decimal>,
    /// `x86_64` or `arm64`.
    pub arch: Option<Arch>,
    /// Sort key: `price` (default), `name`, `vcpu`, `memory`, `price_per_vcpu`, `price_per_gib`.
    pub sort: Option<String>,
    /// Descending order.
    pub desc: bool,
}

/// The rows matching the query, sorted.
pub fn query(catalog: &Catalog, q: &InstanceQuery) -> Vec<InstanceRow> {
    let families: Vec<String> = q
        .family
        .as_deref()
        .map(|f| f.split(',').map(|s| s.trim().to_ascii_lowercase()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let search = q.search.as_deref().map(str::to_ascii_lowercase).filter(|s| !s.is_empty());
    // One map instead of a search per price: the catalog has prices in many regions.
    let types: std::collections::HashMap<&str, &crate::catalog::InstanceType> =
        catalog.instance_types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut rows: Vec<InstanceRow> = catalog
        .instance_prices
        .iter()
        .filter(|p| q.region.as_deref().is_none_or(|r| r == p.region))
        .filter_map(|p| types.get(p.instance_type.as_str()).map(|t| (p, *t)))
        .filter(|(_, t)| families.is_empty() || families.iter().any(|f| *f == t.family || *f == t.name))
        .filter(|(_, t)| search.as_deref().is_none_or(|s| t.name.contains(s)))
        .filter(|(_, t)| q.min_vcpu.is_none_or(|m| t.vcpu.is_some_and(|v| v >= m)))
        .filter(|(_, t)| q.max_vcpu.is_none_or(|m| t.vcpu.is_some_and(|v| v <= m)))
        .filter(|(_, t)| q.min_memory_gib.is_none_or(|m| t.memory_gib.is_some_and(|v| v >= m)))
        .filter(|(_, t)| q.max_memory_gib.is_none_or(|m| t.memory_gib.is_some_and(|v| v <= m)))
        .filter(|(_, t)| q.arch.is_none_or(|a| t.arch == Some(a)))
        .map(|(p, t)| InstanceRow {
            instance_type: t.name.clone(),
            family: t.family.clone(),
            size: t.size.clone(),
            generation: t.generation,
            vcpu: t.vcpu,
            memory_gib: t.memory_gib.map(|g| g.normalize()),
            arch: t.arch,
            burstable: t.burstable,
            eks_max_pods: t.eks_max_pods,
            region: p.region.clone(),
            usd_per_hour: p.usd_per_hour,
            usd_per_month: p.usd_per_hour * Decimal::from(HOURS_PER_MONTH),
            usd_per_vcpu_hour: t.vcpu.map(|v| (p.usd_per_hour / Decimal::from(v)).round_dp(6)),
            usd_per_gib_hour: t.memory_gib.filter(|g| !g.is_zero()).map(|g| (p.usd_per_hour / g).round_dp(6)),
            source: p.provenance.source.clone(),
            as_of: p.provenance.as_of.clone(),
        })
        .collect();
    let key = q.sort.as_deref().unwrap_or("price");
    rows.sort_by(|a, b| {
        let o = match key {
            "name" => a.instance_type.cmp(&b.instance_type),
            "vcpu" => a.vcpu.cmp(&b.vcpu),
            "memory" => a.memory_gib.cmp(&b.memory_gib),
            "price_per_vcpu" => a.usd_per_vcpu_hour.cmp(&b.usd_per_vcpu_hour),
            "price_per_gib" => a.usd_per_gib_hour.cmp(&b.usd_per_gib_hour),
            _ => a.usd_per_hour.cmp(&b.usd_per_hour),
        };
        let o = o.then_with(|| a.instance_type.cmp(&b.instance_type));
        if q.desc {
            o.reverse()
        } else {
            o
        }
    });
    rows
}

/// The `n` names closest to `name` by edit distance, for "did you mean" messages.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = candidates.into_iter().map(|c| (levenshtein(name, c), c)).collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names_by_edit_distance() {
        let names = ["c5.2xlarge", "c5.xlarge", "m5.2xlarge", "r5.large"];
        assert_eq!(nearest("c5.2xlarg", names, 2), vec!["c5.2xlarge", "c5.xlarge"]);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
