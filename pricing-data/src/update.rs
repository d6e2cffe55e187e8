//! Applying new prices to a snapshot: what `tco pricing refresh` (the Query API) and
//! `tco pricing import-offer-file` (bulk offer files) both do with what they read. Pure: text in,
//! text out, validated by loading before anything is written.

use crate::{load, LoadError, OwnedSnapshot};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use tco_engine::catalog::{Arch, Commitment};

/// One instance type's on-demand Linux shared-tenancy price in a region, as AWS published it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ec2Offer {
    /// Region code.
    pub region: String,
    /// Instance type.
    pub instance_type: String,
    /// USD per instance-hour.
    pub usd_per_hour: Decimal,
    /// vCPUs, from the product's attributes.
    pub vcpu: Option<u32>,
    /// Memory GiB exactly as the product's attributes state it (`"0.613 GiB"` → 0.613).
    pub memory_gib: Option<Decimal>,
    /// Architecture, from `processorArchitecture` (`64-bit` is x86_64; Graviton types say arm64).
    pub arch: Option<Arch>,
    /// Where it was read (API, file, version).
    pub source: String,
    /// The publication date, `YYYY-MM-DD`.
    pub as_of: String,
}

/// A service price (Fargate, EKS, …) as AWS published it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceOffer {
    /// The catalog id it replaces, e.g. `fargate-linux-x86-vcpu`.
    pub id: String,
    /// The region it is the price of: it replaces that region's row (or is added there).
    pub region: String,
    /// USD per unit.
    pub usd: Decimal,
    /// Where it was read.
    pub source: String,
    /// The publication date.
    pub as_of: String,
    /// The catalog description, for an id the catalog does not have yet: with `unit`, the
    /// row is added; without, an unknown id is skipped. `None` for prices of known rows.
    pub description: Option<String>,
    /// The catalog unit (`per key-month`), for an id the catalog does not have yet.
    pub unit: Option<String>,
}

/// Adds or replaces commitment rates (same region, type, kind, term and purchase option);
/// rates for types the catalog does not know are skipped. Returns how many were written.
pub fn apply_commitments(
    snapshot: &OwnedSnapshot,
    offers: &[Commitment],
    snapshot_date: &str,
) -> Result<(OwnedSnapshot, usize), LoadError> {
    let mut out = snapshot.clone();
    let (type_headers, types) = parse("ec2-instance-types.csv", &snapshot.texts[1])?;
    let _ = type_headers;
    let known: BTreeSet<&str> = types.iter().map(|t| t["instance_type"].as_str()).collect();
    let (headers, rows) = parse("ec2-commitments.csv", &snapshot.texts[5])?;
    let key = |r: &BTreeMap<String, String>| {
        (
            r["region"].clone(),
            r["instance_type"].clone(),
            r["kind"].clone(),
            r["term"].clone(),
            r["purchase_option"].clone(),
        )
    };
    let mut by_key: BTreeMap<_, BTreeMap<String, String>> = rows.into_iter().map(|r| (key(&r), r)).collect();
    let mut written = 0;
    for o in offers.iter().filter(|o| known.contains(o.instance_type.as_str())) {
        let row = BTreeMap::from([
            ("region".to_string(), o.region.clone()),
            ("instance_type".to_string(), o.instance_type.clone()),
            ("kind".to_string(), o.kind.clone()),
            ("term".to_string(), o.term.clone()),
            ("purchase_option".to_string(), o.purchase_option.clone()),
            ("effective_usd_per_hour".to_string(), o.effective_usd_per_hour.normalize().to_string()),
            ("source".to_string(), o.provenance.source.clone()),
            ("as_of".to_string(), o.provenance.as_of.clone()),
        ]);
        by_key.insert(key(&row), row);
        written += 1;
    }
    out.texts[5] = write(&headers, &by_key.into_values().collect());
    let mut manifest: serde_json::Value =
        serde_json::from_str(&snapshot.texts[0]).map_err(|e| LoadError::Manifest(e.to_string()))?;
    manifest["snapshot"] = serde_json::Value::String(snapshot_date.to_string());
    out.texts[0] = serde_json::to_string_pretty(&manifest).map_err(|e| LoadError::Manifest(e.to_string()))? + "\n";
    load(out.files())?;
    Ok((out, written))
}

/// What changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    /// Types priced in the region now and not before.
    pub added: Vec<String>,
    /// Types priced before and not now.
    pub removed: Vec<String>,
    /// (type, old, new) where the price moved.
    pub changed: Vec<(String, Decimal, Decimal)>,
    /// Types whose price is unchanged.
    pub unchanged: usize,
    /// Types whose vCPU, memory or architecture were filled in.
    pub specs_filled: usize,
    /// Types offered whose vCPU, memory or architecture neither the catalog nor the offer
    /// gives: their prices are left out (a price nothing can be planned on), and listed here.
    pub shapeless: Vec<String>,
    /// Service prices replaced: (id, old, new).
    pub services: Vec<(String, Decimal, Decimal)>,
}

impl std::fmt::Display for Diff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} added, {} removed, {} changed, {} unchanged; specs filled for {} types; {} service prices updated",
            self.added.len(),
            self.removed.len(),
            self.changed.len(),
            self.unchanged,
            self.specs_filled,
            self.services.len()
        )?;
        for (t, old, new) in self.changed.iter().take(20) {
            writeln!(f, "  {t}: {old} → {new} USD/hour")?;
        }
        if self.changed.len() > 20 {
            writeln!(f, "  … and {} more", self.changed.len() - 20)?;
        }
        for t in self.added.iter().take(20) {
            writeln!(f, "  + {t}")?;
        }
        for t in self.removed.iter().take(20) {
            writeln!(f, "  - {t}")?;
        }
        if !self.shapeless.is_empty() {
            writeln!(
                f,
                "  left out, no vCPU, memory or architecture known: {}",
                self.shapeless.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
            )?;
        }
        for (id, old, new) in &self.services {
            if old.is_zero() {
                writeln!(f, "  + {id}: {new}")?;
            } else {
                writeln!(f, "  {id}: {old} → {new}")?;
            }
        }
        Ok(())
    }
}

type Rows = Vec<BTreeMap<String, String>>;

fn parse(name: &str, text: &str) -> Result<(Vec<String>, Rows), LoadError> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| LoadError::Row { file: name.into(), line: 1, message: e.to_string() })?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| LoadError::Row {
            file: name.into(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        rows.push(headers.iter().cloned().zip(rec.iter().map(str::to_string)).collect());
    }
    Ok((headers, rows))
}

fn write(headers: &[String], rows: &Rows) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(headers).expect("in memory");
    for row in rows {
        w.write_record(headers.iter().map(|h| row.get(h).map(String::as_str).unwrap_or(""))).expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("csv of UTF-8 is UTF-8")
}

/// Family, size and generation of a type name: `c7i.2xlarge` → `c7i`, `2xlarge`, `7`;
/// `u-12tb1.112xlarge` has no generation (its digits are a memory size).
fn family_size(name: &str) -> (String, String, String) {
    let (family, size) = name.split_once('.').unwrap_or((name, ""));
    let generation: String =
        family.chars().skip_while(char::is_ascii_lowercase).take_while(char::is_ascii_digit).collect();
    (family.into(), size.into(), generation)
}

/// Replaces `region`'s EC2 prices with `offers` (types no longer offered leave the region),
/// fills missing instance specs (never overwrites known ones: the catalog's come from EC2
/// DescribeInstanceTypes, exact to the MiB; memory is kept exactly as the offer states it,
/// 0.613 GiB stays 0.613), replaces the given service prices in their regions, and dates the
/// snapshot. The result is validated by loading it.
pub fn apply(
    snapshot: &OwnedSnapshot,
    region: &str,
    offers: &[Ec2Offer],
    services: &[ServiceOffer],
    snapshot_date: &str,
) -> Result<(OwnedSnapshot, Diff), LoadError> {
    let mut out = snapshot.clone();
    let mut diff = Diff::default();

    let (type_headers, mut types) = parse("ec2-instance-types.csv", &snapshot.texts[1])?;
    let (price_headers, prices) = parse("ec2-ondemand-linux.csv", &snapshot.texts[2])?;
    let old: BTreeMap<String, Decimal> = prices
        .iter()
        .filter(|r| r["region"] == region)
        .filter_map(|r| Some((r["instance_type"].clone(), r["usd_per_hour"].parse().ok()?)))
        .collect();
    let mut new_prices: Rows = prices.into_iter().filter(|r| r["region"] != region).collect();
    let mut seen = BTreeSet::new();
    for o in offers {
        if !seen.insert(o.instance_type.clone()) {
            continue;
        }
        let known = types.iter().position(|t| t["instance_type"] == o.instance_type);
        let row = match known {
            Some(i) => &mut types[i],
            None => {
                let (family, size, generation) = family_size(&o.instance_type);
                types.push(BTreeMap::from([
                    ("instance_type".to_string(), o.instance_type.clone()),
                    ("family".to_string(), family.clone()),
                    ("size".to_string(), size),
                    ("generation".to_string(), generation),
                    (
                        "burstable".to_string(),
                        (family.starts_with('t') && family[1..].starts_with(|c: char| c.is_ascii_digit())).to_string(),
                    ),
                ]));
                types.last_mut().expect("just pushed")
            }
        };
        let mut filled = false;
        let mut fill = |key: &str, value: Option<String>| {
            if let Some(v) = value {
                if row.get(key).is_none_or(String::is_empty) {
                    row.insert(key.to_string(), v);
                    filled = true;
                }
            }
        };
        fill("vcpu", o.vcpu.map(|v| v.to_string()));
        fill("memory_gib", o.memory_gib.map(|m| m.normalize().to_string()));
        fill("arch", o.arch.map(|a| a.as_str().to_string()));
        if filled {
            diff.specs_filled += 1;
            if row.get("source").is_none_or(String::is_empty) {
                row.insert("source".into(), format!("vCPU, memory, processor: product attributes in {}", o.source));
                row.insert("as_of".into(), o.as_of.clone());
            }
        }
        if ["vcpu", "memory_gib", "arch"].iter().any(|k| row.get(*k).is_none_or(String::is_empty)) {
            diff.shapeless.push(o.instance_type.clone());
            if known.is_none() {
                types.pop();
            }
            continue;
        }
        match old.get(&o.instance_type) {
            None => diff.added.push(o.instance_type.clone()),
            Some(p) if *p != o.usd_per_hour => diff.changed.push((o.instance_type.clone(), *p, o.usd_per_hour)),
            Some(_) => diff.unchanged += 1,
        }
        new_prices.push(BTreeMap::from([
            ("region".to_string(), o.region.clone()),
            ("instance_type".to_string(), o.instance_type.clone()),
            ("usd_per_hour".to_string(), o.usd_per_hour.normalize().to_string()),
            ("source".to_string(), o.source.clone()),
            ("as_of".to_string(), o.as_of.clone()),
        ]));
    }
    diff.removed = old.keys().filter(|t| !seen.contains(*t)).cloned().collect();
    new_prices.sort_by(|a, b| (&a["region"], &a["instance_type"]).cmp(&(&b["region"], &b["instance_type"])));
    types.sort_by(|a, b| a["instance_type"].cmp(&b["instance_type"]));
    out.texts[1] = write(&type_headers, &types);
    out.texts[2] = write(&price_headers, &new_prices);

    if !services.is_empty() {
        let (headers, mut rows) = parse("services.csv", &snapshot.texts[4])?;
        for s in services {
            let here = |r: &BTreeMap<String, String>| r["id"] == s.id && r.get("region") == Some(&s.region);
            let row = match rows.iter().position(here) {
                Some(i) => {
                    let row = &mut rows[i];
                    let old: Decimal = row["usd"].parse().unwrap_or_default();
                    if old != s.usd {
                        diff.services.push((s.id.clone(), old, s.usd));
                    }
                    row
                }
                // An id the catalog does not know: added when the offer says what it is
                // (reported as a change from 0), skipped otherwise.
                None => match (&s.description, &s.unit) {
                    (Some(description), Some(unit)) => {
                        diff.services.push((s.id.clone(), Decimal::ZERO, s.usd));
                        rows.push(BTreeMap::from([
                            ("id".to_string(), s.id.clone()),
                            ("region".to_string(), s.region.clone()),
                            ("description".to_string(), description.clone()),
                            ("unit".to_string(), unit.clone()),
                        ]));
                        rows.last_mut().expect("just pushed")
                    }
                    _ => continue,
                },
            };
            row.insert("usd".into(), s.usd.normalize().to_string());
            row.insert("confidence".into(), "official".into());
            row.insert("source".into(), s.source.clone());
            row.insert("as_of".into(), s.as_of.clone());
        }
        out.texts[4] = write(&headers, &rows);
    }

    let mut manifest: serde_json::Value =
        serde_json::from_str(&snapshot.texts[0]).map_err(|e| LoadError::Manifest(e.to_string()))?;
    manifest["snapshot"] = serde_json::Value::String(snapshot_date.to_string());
    out.texts[0] = serde_json::to_string_pretty(&manifest).map_err(|e| LoadError::Manifest(e.to_string()))? + "\n";
    load(out.files())?;
    Ok((out, diff))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn offer(t: &str, usd: &str, vcpu: Option<u32>) -> Ec2Offer {
        Ec2Offer {
            region: "us-east-1".into(),
            instance_type: t.into(),
            usd_per_hour: Decimal::from_str(usd).unwrap(),
            vcpu,
            memory_gib: vcpu.map(|v| Decimal::from(v * 2)),
            arch: vcpu.map(|_| Arch::X86_64),
            source: "test offer".into(),
            as_of: "2026-11-25".into(),
        }
    }

    fn outside(c: &tco_engine::Catalog, region: &str) -> usize {
        c.instance_prices.iter().filter(|p| p.region != region).count()
    }

    #[test]
    fn a_refresh_replaces_the_region_and_reports_the_difference() {
        let base = OwnedSnapshot::embedded();
        let before = load(base.files()).unwrap();
        let home = before.instance_prices.len() - outside(&before, "us-east-1");
        let offers = vec![
            offer("c5.2xlarge", "0.35", Some(8)),
            offer("c7i.2xlarge", "0.357", Some(8)),
            offer("zz9.large", "0.01", Some(2)),
        ];
        let (next, diff) = apply(&base, "us-east-1", &offers, &[], "2026-11-25").unwrap();
        assert_eq!(diff.added, vec!["zz9.large"]);
        assert_eq!(
            diff.changed,
            vec![("c5.2xlarge".into(), Decimal::from_str("0.34").unwrap(), Decimal::from_str("0.35").unwrap())]
        );
        assert_eq!(diff.unchanged, 1);
        assert_eq!(diff.removed.len(), home - 2);
        assert_eq!(diff.specs_filled, 1, "only zz9.large is new; c7i.2xlarge keeps its DescribeInstanceTypes shape");
        let c = load(next.files()).unwrap();
        assert_eq!(c.snapshot, "2026-11-25");
        assert_eq!(c.instance_prices.len() - outside(&c, "us-east-1"), 3);
        assert_eq!(outside(&c, "us-east-1"), outside(&before, "us-east-1"), "other regions untouched");
        let zz9 = c.instance_type("zz9.large").unwrap();
        assert_eq!((zz9.family.as_str(), zz9.vcpu), ("zz9", Some(2)));
        let shape_source = zz9.provenance.as_ref().unwrap();
        assert_eq!((shape_source.source.contains("test offer"), shape_source.as_of.as_str()), (true, "2026-11-25"));
        assert!(diff.to_string().starts_with(&format!("1 added, {} removed, 1 changed, 1 unchanged", home - 2)));
    }

    #[test]
    fn a_new_types_memory_is_kept_exactly_as_the_offer_states_it() {
        let mut t1 = offer("zz1.micro", "0.02", Some(1));
        t1.memory_gib = Some(Decimal::from_str("0.613").unwrap());
        let (next, _) = apply(&OwnedSnapshot::embedded(), "us-east-1", &[t1], &[], "2026-11-25").unwrap();
        let c = load(next.files()).unwrap();
        let t = c.instance_type("zz1.micro").unwrap();
        assert_eq!(t.memory_gib, Some(Decimal::from_str("0.613").unwrap()));
        assert_eq!(t.memory_mib, Some(627), "0.613 × 1024 = 627.712 MiB: the packers get the whole 627");
    }

    #[test]
    fn service_prices_are_replaced_in_their_region_and_marked_official() {
        let s = ServiceOffer {
            id: "eks-cluster-standard".into(),
            region: "us-east-1".into(),
            usd: Decimal::from_str("0.10").unwrap(),
            source: "AmazonEKS offer".into(),
            as_of: "2026-11-25".into(),
            description: None,
            unit: None,
        };
        let base = OwnedSnapshot::embedded();
        let (next, diff) = apply(&base, "", &[], &[s], "2026-11-25").unwrap();
        assert!(diff.services.is_empty(), "same price: no change reported");
        let c = load(next.files()).unwrap();
        assert_eq!(c.service("eks-cluster-standard").unwrap().provenance.source, "AmazonEKS offer");
        assert_eq!(c.instance_prices, load(base.files()).unwrap().instance_prices, "no EC2 offers: prices untouched");
    }

    #[test]
    fn an_unknown_service_is_added_in_its_region_only_with_its_description_and_unit() {
        let offer = |id: &str, described: bool| ServiceOffer {
            id: id.into(),
            region: "eu-west-1".into(),
            usd: Decimal::from_str("1").unwrap(),
            source: "test".into(),
            as_of: "2026-11-25".into(),
            description: described.then(|| "KMS key".to_string()),
            unit: described.then(|| "per key-month".to_string()),
        };
        let offers = [offer("kms-key-month", true), offer("mystery-service", false)];
        let (next, diff) = apply(&OwnedSnapshot::embedded(), "", &[], &offers, "2026-11-25").unwrap();
        let c = load(next.files()).unwrap();
        let eu = c.service_in("eu-west-1", "kms-key-month").unwrap();
        assert_eq!((eu.unit.as_str(), eu.provenance.source.as_str()), ("per key-month", "test"));
        assert_eq!(c.service("kms-key-month").unwrap().confidence, "third-party", "us-east-1's row untouched");
        assert!(c.service_in("eu-west-1", "mystery-service").is_none(), "no description or unit: not invented");
        assert!(diff.to_string().contains("  + kms-key-month: 1"), "{diff}");
    }
}
