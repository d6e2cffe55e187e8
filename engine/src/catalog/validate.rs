//! Building a catalog and checking it: the parts must fit together before anything is priced
//! on them, and a catalog read from files must be complete.

use super::instance_type::InstanceType;
use super::region::HOME_REGION;
use super::{Catalog, CatalogParts, Provenance};
use rust_decimal::Decimal;

/// A catalog whose parts do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// A price names an instance type the catalog does not describe.
    #[error("price for {region}/{instance_type}: no such instance type in the catalog")]
    PriceForUnknownType {
        /// Region of the price row.
        region: String,
        /// Instance type of the price row.
        instance_type: String,
    },
    /// A price names an instance type whose vCPU, memory or architecture is unknown: it could
    /// never be planned on, so the catalog refuses it rather than carry a dead price.
    #[error("price for {region}/{instance_type}: the type has no {missing} in the catalog")]
    PriceForShapelessType {
        /// Region of the price row.
        region: String,
        /// Instance type of the price row.
        instance_type: String,
        /// What it lacks: `vCPU`, `memory` or `architecture`.
        missing: &'static str,
    },
    /// Two rows describe the same thing.
    #[error("duplicate {what} `{name}`")]
    Duplicate {
        /// Which table.
        what: &'static str,
        /// The repeated key.
        name: String,
    },
    /// A value is outside what makes sense.
    #[error("{what} `{name}`: {problem}")]
    Invalid {
        /// Which table.
        what: &'static str,
        /// The row's key.
        name: String,
        /// What is wrong.
        problem: String,
    },
}

fn invalid(what: &'static str, name: impl Into<String>, problem: impl Into<String>) -> CatalogError {
    CatalogError::Invalid { what, name: name.into(), problem: problem.into() }
}

/// Checks one instance type on its own, filling whichever of `memory_gib` and `memory_mib`
/// is missing from the other (the loader gives the exact GiB; hand-made types the MiB).
fn check_type(t: &mut InstanceType) -> Result<(), CatalogError> {
    match (t.memory_gib, t.memory_mib) {
        (None, Some(mib)) => t.memory_gib = Some(Decimal::from(mib) / Decimal::from(1024)),
        (Some(gib), mib) => {
            let whole = InstanceType::whole_mib(gib).filter(|w| *w > 0).ok_or_else(|| {
                invalid("instance type", &t.name, format!("memory {gib} GiB is not between 1 MiB and 4 PiB"))
            })?;
            if mib.is_some_and(|m| m != whole) {
                return Err(invalid(
                    "instance type",
                    &t.name,
                    format!("memory {gib} GiB and {} MiB disagree (MiB is GiB × 1024, rounded down)", mib.unwrap_or(0)),
                ));
            }
            t.memory_mib = Some(whole);
        }
        (None, None) => {}
    }
    if t.vcpu == Some(0) || t.memory_mib == Some(0) || t.eks_max_pods == Some(0) {
        return Err(invalid("instance type", &t.name, "vCPU, memory and max pods must be positive when known"));
    }
    Ok(())
}

/// Every row's source is a citation and its date a `YYYY-MM-DD` date.
fn check_provenance(what: &'static str, name: &str, p: &Provenance) -> Result<(), CatalogError> {
    if p.source.trim().is_empty() {
        return Err(invalid(what, name, "no source"));
    }
    let b = p.as_of.as_bytes();
    let date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if !date {
        return Err(invalid(what, name, format!("as_of `{}` is not a YYYY-MM-DD date", p.as_of)));
    }
    Ok(())
}

impl Catalog {
    /// Builds a catalog and checks that its parts fit together: no duplicates, positive
    /// prices, every price and spot row of a described type, memory GiB and MiB agreeing.
    /// Hand-made catalogs (tests) may leave facts out; [`Catalog::check_complete`] is the
    /// stricter check a catalog users rely on passes.
    pub fn new(parts: CatalogParts) -> Result<Self, CatalogError> {
        let CatalogParts {
            snapshot,
            mut instance_types,
            instance_prices,
            dyno_sizes,
            services,
            commitments,
            addon_plans,
            assumptions,
            spot_advice,
        } = parts;
        let mut seen = std::collections::HashMap::new();
        for (i, t) in instance_types.iter_mut().enumerate() {
            check_type(t)?;
            if seen.insert(t.name.clone(), i).is_some() {
                return Err(CatalogError::Duplicate { what: "instance type", name: t.name.clone() });
            }
        }
        let described = |region: &str, name: &str| -> Result<&InstanceType, CatalogError> {
            seen.get(name).map(|&i| &instance_types[i]).ok_or_else(|| CatalogError::PriceForUnknownType {
                region: region.to_string(),
                instance_type: name.to_string(),
            })
        };
        let mut seen_prices = std::collections::HashSet::new();
        for p in &instance_prices {
            described(&p.region, &p.instance_type)?;
            let name = || format!("{}/{}", p.region, p.instance_type);
            if !seen_prices.insert((p.region.as_str(), p.instance_type.as_str())) {
                return Err(CatalogError::Duplicate { what: "instance price", name: name() });
            }
            if p.usd_per_hour <= Decimal::ZERO {
                return Err(invalid("instance price", name(), "price must be positive"));
            }
        }
        let mut seen_advice = std::collections::HashSet::new();
        for a in &spot_advice {
            described(&a.region, &a.instance_type)?;
            let name = || format!("{}/{}", a.region, a.instance_type);
            if !seen_advice.insert((a.region.as_str(), a.instance_type.as_str())) {
                return Err(CatalogError::Duplicate { what: "spot advice", name: name() });
            }
            if a.savings_pct <= Decimal::from(-100) || a.savings_pct >= Decimal::ONE_HUNDRED {
                return Err(invalid("spot advice", name(), "saving must be between -100% and 100%"));
            }
        }
        let mut seen_services = std::collections::HashSet::new();
        for s in &services {
            let name = || format!("{}{}", s.region.as_deref().map(|r| format!("{r}/")).unwrap_or_default(), s.id);
            if !seen_services.insert((s.region.as_deref(), s.id.as_str())) {
                return Err(CatalogError::Duplicate { what: "service price", name: name() });
            }
        }
        let mut seen_sizes = std::collections::HashSet::new();
        for d in &dyno_sizes {
            for n in std::iter::once(&d.name).chain(&d.aliases) {
                if !seen_sizes.insert(n.to_ascii_lowercase()) {
                    return Err(CatalogError::Duplicate { what: "dyno size", name: n.clone() });
                }
            }
            if d.vcpu.is_none() && d.compute_units.is_none() {
                return Err(invalid("dyno size", &d.name, "needs vCPU or compute units"));
            }
        }
        for c in &commitments {
            described(&c.region, &c.instance_type)?;
        }
        let mut catalog = Catalog {
            snapshot,
            oldest_price_as_of: String::new(),
            instance_types,
            instance_prices,
            dyno_sizes,
            services,
            commitments,
            addon_plans,
            assumptions,
            spot_advice,
        };
        catalog.oldest_price_as_of =
            catalog.oldest_price_as_of_in(HOME_REGION).unwrap_or_else(|| catalog.snapshot.clone());
        Ok(catalog)
    }

    /// The check every catalog read from files passes (the loader runs it): each priced type
    /// has vCPU, memory and architecture, so a price is never dead weight; each instance type,
    /// instance price, spot row, commitment and service price has a source and a
    /// `YYYY-MM-DD` date.
    pub fn check_complete(&self) -> Result<(), CatalogError> {
        for t in &self.instance_types {
            let p = t.provenance.as_ref().ok_or_else(|| invalid("instance type", &t.name, "no source"))?;
            check_provenance("instance type", &t.name, p)?;
        }
        let by_name: std::collections::HashMap<&str, &InstanceType> =
            self.instance_types.iter().map(|t| (t.name.as_str(), t)).collect();
        for p in &self.instance_prices {
            let name = format!("{}/{}", p.region, p.instance_type);
            let missing = match by_name.get(p.instance_type.as_str()).map(|t| (t.vcpu, t.memory_mib, t.arch)) {
                Some((None, _, _)) | None => Some("vCPU"),
                Some((_, None, _)) => Some("memory"),
                Some((_, _, None)) => Some("architecture"),
                _ => None,
            };
            if let Some(missing) = missing {
                return Err(CatalogError::PriceForShapelessType {
                    region: p.region.clone(),
                    instance_type: p.instance_type.clone(),
                    missing,
                });
            }
            check_provenance("instance price", &name, &p.provenance)?;
        }
        for a in &self.spot_advice {
            check_provenance("spot advice", &format!("{}/{}", a.region, a.instance_type), &a.provenance)?;
        }
        for c in &self.commitments {
            check_provenance("commitment", &format!("{}/{}", c.region, c.instance_type), &c.provenance)?;
        }
        for s in &self.services {
            check_provenance("service price", &s.id, &s.provenance)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::fixtures::{prov, two_regions};
    use crate::catalog::Arch;
    use rust_decimal_macros::dec;

    #[test]
    fn memory_is_exact_and_the_packers_get_the_whole_mib_under_it() {
        let t1 = InstanceType {
            memory_mib: None,
            memory_gib: Some(dec!(0.613)),
            ..InstanceType::new("t1.micro", 1, 1, Arch::X86_64, 4)
        };
        let parts = |t: InstanceType| CatalogParts { instance_types: vec![t], ..CatalogParts::default() };
        let c = Catalog::new(parts(t1.clone())).unwrap();
        let t = c.instance_type("t1.micro").unwrap();
        assert_eq!((t.memory_gib, t.memory_mib), (Some(dec!(0.613)), Some(627)), "627.712 MiB rounded down");
        assert_eq!(t.shape().unwrap().memory_mib, 627);
        let disagreeing = InstanceType { memory_mib: Some(628), ..t1 };
        assert!(matches!(Catalog::new(parts(disagreeing)), Err(CatalogError::Invalid { .. })));
        let hand_made = Catalog::new(parts(InstanceType::new("c5.large", 2, 4, Arch::X86_64, 29))).unwrap();
        assert_eq!(hand_made.instance_types[0].memory_gib, Some(dec!(4)));
    }

    #[test]
    fn the_complete_check_wants_a_shape_for_every_price_and_a_source_for_every_row() {
        let mut parts: CatalogParts = two_regions().into();
        for t in &mut parts.instance_types {
            t.provenance = Some(prov("2026-01-22"));
        }
        let complete = Catalog::new(parts.clone()).unwrap();
        complete.check_complete().unwrap();
        let mut shapeless = parts.clone();
        shapeless.instance_types[1].vcpu = None;
        let err = Catalog::new(shapeless).unwrap().check_complete().unwrap_err();
        assert_eq!(
            err,
            CatalogError::PriceForShapelessType {
                region: "us-east-1".into(),
                instance_type: "c7i.large".into(),
                missing: "vCPU"
            }
        );
        let mut undated = parts;
        undated.services[0].provenance.as_of = "July 2024".into();
        assert!(matches!(Catalog::new(undated).unwrap().check_complete(), Err(CatalogError::Invalid { .. })));
    }
}
