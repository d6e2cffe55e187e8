//! A hand-made catalog of two regions for the catalog's tests.

use super::instance_price::InstancePrice;
use super::instance_type::{Arch, InstanceType};
use super::service::ServicePrice;
use super::spot::{Interruption, SpotAdvice};
use super::{Catalog, CatalogParts, Provenance};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(super) fn prov(as_of: &str) -> Provenance {
    Provenance { source: "hand-made".into(), as_of: as_of.into() }
}

pub(super) fn price(region: &str, t: &str, usd: Decimal, as_of: &str) -> InstancePrice {
    InstancePrice { region: region.into(), instance_type: t.into(), usd_per_hour: usd, provenance: prov(as_of) }
}

pub(super) fn service(id: &str, region: Option<&str>, usd: Decimal, as_of: &str) -> ServicePrice {
    ServicePrice {
        id: id.into(),
        region: region.map(str::to_string),
        description: id.into(),
        usd,
        unit: "per thing".into(),
        confidence: "official".into(),
        provenance: prov(as_of),
    }
}

pub(super) fn two_regions() -> Catalog {
    Catalog::new(CatalogParts {
        snapshot: "2026-12-05".into(),
        instance_types: vec![
            InstanceType::new("c5.large", 2, 4, Arch::X86_64, 29),
            InstanceType::new("c7i.large", 2, 4, Arch::X86_64, 29),
        ],
        instance_prices: vec![
            price("us-east-1", "c5.large", dec!(0.085), "2026-07-20"),
            price("us-east-1", "c7i.large", dec!(0.08925), "2026-07-20"),
            price("eu-west-1", "c5.large", dec!(0.096), "2022-11-22"),
        ],
        services: vec![
            service("kms-key-month", Some("us-east-1"), dec!(1), "2024-07-01"),
            service("elasticache-redis:cache.t4g.micro", Some("eu-west-1"), dec!(0.017), "2025-04-24"),
            service("heroku-eco-subscription", None, dec!(5), "2024-10-01"),
        ],
        spot_advice: vec![SpotAdvice {
            region: "eu-west-1".into(),
            instance_type: "c5.large".into(),
            savings_pct: dec!(51),
            interruption: Interruption::Under5,
            provenance: prov("2025-06-28"),
        }],
        ..CatalogParts::default()
    })
    .unwrap()
}
