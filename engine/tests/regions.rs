//! Regions side by side, the home region's prices standing in where a region has none, spot
//! per type and region, and the generations matrix: whole estimates on a small hand-made
//! catalog of two regions, with the arithmetic written out.
// Cents are written dollars_cents (186_15 is $186.15) so they read like the prices.
#![allow(clippy::inconsistent_digit_grouping)]

use rust_decimal::Decimal;
use std::str::FromStr;
use tco_engine::catalog::{
    AddonPlan, Arch, AssumptionDefault, CatalogParts, InstancePrice, InstanceType, Interruption, Provenance,
    ServicePrice, SpotAdvice,
};
use tco_engine::report::OptionEstimate;
use tco_engine::scenario::Headroom;
use tco_engine::workload::{Addon, App, Process};
use tco_engine::{
    estimate, Assumptions, Catalog, Platform, PricingModel, Report, Scenario, Supporting, Usd, Workloads,
};

const US: &str = "us-east-1";
const EU: &str = "eu-west-1";

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn prov(as_of: &str) -> Provenance {
    Provenance { source: "hand-made test catalog".into(), as_of: as_of.into() }
}

fn price(region: &str, name: &str, usd: &str) -> InstancePrice {
    InstancePrice {
        region: region.into(),
        instance_type: name.into(),
        usd_per_hour: dec(usd),
        provenance: prov(if region == US { "2026-07-20" } else { "2022-11-22" }),
    }
}

fn service(id: &str, region: &str, description: &str, usd: &str) -> ServicePrice {
    ServicePrice {
        id: id.into(),
        region: Some(region.into()),
        description: description.into(),
        usd: dec(usd),
        unit: "per hour".into(),
        confidence: "official".into(),
        provenance: prov("2025-04-24"),
    }
}

fn assumption(id: &str, value: &str, low: &str, high: &str) -> AssumptionDefault {
    AssumptionDefault {
        id: id.into(),
        description: id.into(),
        value: dec(value),
        unit: "fraction".into(),
        low: dec(low),
        high: dec(high),
        provenance: prov("2025-04-24"),
    }
}

fn advice(name: &str, saving: &str, interruption: Interruption) -> SpotAdvice {
    SpotAdvice {
        region: US.into(),
        instance_type: name.into(),
        savings_pct: dec(saving),
        interruption,
        provenance: prov("2025-06-28"),
    }
}

/// c5 is priced in both regions, c6i and c7i in us-east-1 only (as in the embedded catalog,
/// whose 2022 snapshot of eu-west-1 predates c7i); the NAT gateway and Fargate are sourced for
/// us-east-1 only; ElastiCache in both.
fn parts() -> CatalogParts {
    CatalogParts {
        snapshot: "2026-12-05".into(),
        instance_types: vec![
            InstanceType::new("c5.large", 2, 4, Arch::X86_64, 29),
            InstanceType::new("c5.xlarge", 4, 8, Arch::X86_64, 58),
            InstanceType::new("c6i.large", 2, 4, Arch::X86_64, 29),
            InstanceType::new("c6i.xlarge", 4, 8, Arch::X86_64, 58),
            InstanceType::new("c7i.large", 2, 4, Arch::X86_64, 29),
            InstanceType::new("m7g.large", 2, 8, Arch::Arm64, 29),
        ],
        instance_prices: vec![
            price(US, "c5.large", "0.085"),
            price(US, "c5.xlarge", "0.17"),
            price(US, "c6i.large", "0.085"),
            price(US, "c6i.xlarge", "0.17"),
            price(US, "c7i.large", "0.08925"),
            price(US, "m7g.large", "0.0816"),
            price(EU, "c5.large", "0.096"),
            price(EU, "c5.xlarge", "0.192"),
        ],
        services: vec![
            service("nat-gateway-hour", US, "NAT gateway", "0.045"),
            service("fargate-linux-x86-vcpu", US, "Fargate Linux/x86 vCPU", "0.04048"),
            service("fargate-linux-x86-gb", US, "Fargate Linux/x86 memory", "0.004445"),
            service("elasticache-redis:cache.t4g.micro", US, "ElastiCache cache.t4g.micro (node, 0.5 GiB)", "0.016"),
            service("elasticache-redis:cache.m6g.large", US, "ElastiCache cache.m6g.large (node, 6.38 GiB)", "0.149"),
            service("elasticache-redis:cache.t4g.micro", EU, "ElastiCache cache.t4g.micro (node, 0.5 GiB)", "0.017"),
            service("elasticache-redis:cache.m6g.large", EU, "ElastiCache cache.m6g.large (node, 6.38 GiB)", "0.165"),
            service(
                "elasticache-redis-reserved-1yr-no-upfront:cache.t4g.micro",
                EU,
                "ElastiCache cache.t4g.micro (node, reserved 1 year)",
                "0.011",
            ),
        ],
        addon_plans: vec![AddonPlan {
            plan: "heroku-redis:mini".into(),
            service: "heroku-redis".into(),
            usd_per_month: Some(dec("3")),
            spec: "RAM 25 MB; 20 connections".into(),
            confidence: "unconfirmed".into(),
            provenance: prov("2026-11-24"),
        }],
        assumptions: vec![
            assumption("home-region-stand-in", "1", "1", "2.06"),
            assumption("spot-discount", "0.38", "0.06", "0.72"),
        ],
        spot_advice: vec![
            advice("c5.large", "60", Interruption::Under5),
            advice("c6i.large", "70", Interruption::Over20),
        ],
        ..CatalogParts::default()
    }
}

fn catalog() -> Catalog {
    Catalog::new(parts()).unwrap()
}

/// Five replicas of 1,000 m and 1,536 MiB in one zone, no headroom, one type a pool: an ECS
/// node offers its memory less 256 MiB, so a large node (2,000 m, 3,840 MiB) holds 2 and an
/// xlarge (4,000 m, 7,936 MiB) 4; three large nodes (3 × $0.085 = $0.255/h) beat two xlarge
/// ($0.34/h), and c5.large comes before c6i.large at the same price.
fn scenario(regions: &[&str]) -> Scenario {
    Scenario {
        name: "regions".into(),
        workloads: Workloads {
            apps: vec![App {
                name: "shop".into(),
                source: "test".into(),
                processes: vec![Process::new("web", 5, 1000, 1536)],
                addons: vec![],
            }],
            ..Workloads::default()
        },
        assumptions: Assumptions {
            region: regions[0].into(),
            regions: regions.iter().map(|r| r.to_string()).collect(),
            instance_types: vec!["c5".into(), "c6i".into(), "c7i".into()],
            targets: vec![Platform::EcsEc2],
            availability_zones: 1,
            headroom: Headroom::FULL,
            mixed_instance_types: false,
            compare_generations: false,
            supporting: Supporting {
                load_balancers: false,
                nat_gateways: false,
                public_ipv4: false,
                root_volume_gb: 0,
                ..Supporting::default()
            },
            ..Assumptions::default()
        },
    }
}

fn option<'r>(r: &'r Report, platform: Platform, region: &str) -> &'r OptionEstimate {
    r.options.iter().find(|o| o.platform == platform && o.region == region).expect("the option")
}

fn line<'r>(o: &'r OptionEstimate, category: &str) -> Option<&'r tco_engine::report::CostLine> {
    o.breakdown.iter().find(|l| l.category.starts_with(category))
}

#[test]
fn each_target_is_estimated_in_each_region_on_that_regions_own_prices() {
    let r = estimate(&scenario(&[US, EU]), &catalog()).unwrap();
    let found: Vec<(Platform, &str)> = r.options.iter().map(|o| (o.platform, o.region.as_str())).collect();
    assert_eq!(found, [(Platform::EcsEc2, US), (Platform::EcsEc2, EU)]);
    // us-east-1: 3 × c5.large × $0.085 × 730 h = $186.15.
    let us = option(&r, Platform::EcsEc2, US);
    assert_eq!((us.nodes[0].instance_type.as_str(), us.nodes[0].count), ("c5.large", 3));
    assert_eq!(us.monthly_usd.cents(), 186_15);
    // eu-west-1 has no c6i or c7i price: 3 × c5.large × $0.096 × 730 h = $210.24.
    let eu = option(&r, Platform::EcsEc2, EU);
    assert_eq!((eu.nodes[0].instance_type.as_str(), eu.nodes[0].count), ("c5.large", 3));
    assert_eq!(eu.monthly_usd.cents(), 210_24);
    assert!(r.sources.iter().any(|s| s.item == "EC2 c5.large on-demand, Linux, eu-west-1" && s.as_of == "2022-11-22"));
    // The prices rest on the older region's.
    assert_eq!(r.oldest_price_as_of, "2022-11-22");
}

#[test]
fn the_regions_matrix_marks_the_cheapest_and_says_what_a_region_lacks() {
    let r = estimate(&scenario(&[EU, US]), &catalog()).unwrap();
    let rows: Vec<(&str, &str, u32, u32, Vec<&str>)> = r
        .regions
        .iter()
        .map(|x| {
            (
                x.region.as_str(),
                x.prices_as_of.as_str(),
                x.candidate_types,
                x.candidate_types_lacking,
                x.lacking_families.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    // c5.large, c5.xlarge, c6i.large, c6i.xlarge and c7i.large; eu-west-1 lacks the last three.
    assert_eq!(rows, [(EU, "2022-11-22", 5, 3, vec!["c6i", "c7i"]), (US, "2026-07-20", 5, 0, vec![])]);
    let cells: Vec<(i64, bool)> =
        r.regions.iter().map(|x| (x.targets[0].monthly_usd.cents(), x.targets[0].cheapest)).collect();
    assert_eq!(cells, [(210_24, false), (186_15, true)]);
    let note = r.regions[0].note.as_deref().unwrap();
    assert!(note.starts_with("3 of the scenario's 5 candidate types have no price in eu-west-1"), "{note}");
    assert!(note.contains("`tco pricing refresh --region eu-west-1` fills them"), "{note}");
    assert!(r.regions[1].note.is_none());
    assert!(r.warnings.iter().any(|w| w.starts_with("eu-west-1: 3 of the scenario's 5")), "{:?}", r.warnings);
}

#[test]
fn region_alone_still_means_one_region_and_regions_lists_them_once_each() {
    let mut one = scenario(&[EU]);
    one.assumptions.regions.clear();
    let r = estimate(&one, &catalog()).unwrap();
    assert_eq!(r.options.iter().map(|o| o.region.as_str()).collect::<Vec<_>>(), [EU]);
    let twice = scenario(&[US, EU, US]);
    let r = estimate(&twice, &catalog()).unwrap();
    assert_eq!(r.options.iter().map(|o| o.region.as_str()).collect::<Vec<_>>(), [US, EU]);
    let mut unknown = scenario(&[US, "mars-north-1"]);
    unknown.assumptions.region = US.into();
    let e = estimate(&unknown, &catalog()).unwrap_err();
    assert!(e.to_string().starts_with("region `mars-north-1` has no prices in the catalog"), "{e}");
}

fn with_nat(mut s: Scenario) -> Scenario {
    s.assumptions.supporting.nat_gateways = true;
    s
}

#[test]
fn a_supporting_price_the_region_lacks_is_the_home_regions_labelled_and_the_band_spans_the_region() {
    let r = estimate(&with_nat(scenario(&[US, EU])), &catalog()).unwrap();
    // One NAT gateway (one zone) × $0.045 × 730 h = $32.85 in both regions.
    let us = line(option(&r, Platform::EcsEc2, US), "NAT gateways").unwrap();
    assert_eq!(us.monthly_usd.cents(), 32_85);
    assert!(!us.formula.as_deref().unwrap().contains("standing in"));
    let eu_option = option(&r, Platform::EcsEc2, EU);
    let eu = line(eu_option, "NAT gateways").unwrap();
    assert_eq!(eu.monthly_usd.cents(), 32_85);
    assert!(
        eu.formula
            .as_deref()
            .unwrap()
            .ends_with("(us-east-1's price standing in for eu-west-1's: home-region-stand-in)"),
        "{:?}",
        eu.formula
    );
    assert_eq!(eu.sources, ["NAT gateway, us-east-1"]);
    // The range is eu-west-1's ElastiCache prices over us-east-1's: 0.017 / 0.016 = 1.0625 → 1.06
    // (down) and 0.165 / 0.149 = 1.107… → 1.11 (up).
    let figure = r.uncertain.iter().find(|u| u.id == "home-region-stand-in").unwrap();
    assert_eq!(
        (figure.region.as_deref(), figure.value, figure.low, figure.high),
        (Some(EU), dec("1"), dec("1.06"), dec("1.11"))
    );
    // Likely $210.24 + $32.85 = $243.09. Alone, the stand-in moves the option from
    // $210.24 + $32.85 × 1.06 = $245.061 to $210.24 + $32.85 × 1.11 = $246.7035: a swing of
    // $1.6425 in the sensitivity, inside the band (which spans the other assumptions too).
    let band = &eu_option.band;
    assert_eq!(band.likely_usd.cents(), 243_09);
    assert!(band.low_usd.cents() <= 243_09 && band.high_usd.cents() >= 246_70, "{band:?}");
    let row = eu_option
        .sensitivity
        .iter()
        .find(|s| s.assumption == "us-east-1's prices standing in for eu-west-1's")
        .expect("the stand-in's own row");
    assert_eq!((row.at_low.as_str(), row.at_high.as_str(), row.in_band), ("×1.06", "×1.11", true));
    assert_eq!(row.swing_usd.cents(), 164);
    assert!(band
        .basis
        .iter()
        .any(|b| b.starts_with("us-east-1's prices standing in for eu-west-1's from ×1.06 to ×1.11")));
    assert_eq!(r.regions[1].stand_ins, ["NAT gateway, us-east-1"]);
    assert!(r.regions[0].stand_ins.is_empty());
    assert!(r
        .warnings
        .iter()
        .any(|w| w.starts_with("eu-west-1 has no price of its own in the catalog for NAT gateway")));
    // The user's own factor moves the stand-in: $32.85 × 1.2 = $39.42.
    let mut s = with_nat(scenario(&[EU]));
    s.assumptions.overrides.insert("home-region-stand-in".into(), dec("1.2"));
    let r = estimate(&s, &catalog()).unwrap();
    assert_eq!(line(&r.options[0], "NAT gateways").unwrap().monthly_usd.cents(), 39_42);
}

#[test]
fn without_the_stand_in_assumption_the_line_is_left_out_with_a_warning() {
    let mut p = parts();
    p.assumptions.retain(|a| a.id != "home-region-stand-in");
    let r = estimate(&with_nat(scenario(&[EU])), &Catalog::new(p).unwrap()).unwrap();
    assert!(line(&r.options[0], "NAT gateways").is_none());
    assert!(
        r.warnings.iter().any(|w| w
            == "NAT gateways is not costed: the catalog has no `nat-gateway-hour` price for \
             eu-west-1; `tco pricing refresh` fetches it"),
        "{:?}",
        r.warnings
    );
    assert_eq!(r.options[0].monthly_usd.cents(), 210_24);
}

#[test]
fn fargate_in_a_region_without_its_rates_uses_the_home_regions_labelled() {
    let mut s = scenario(&[US, EU]);
    s.assumptions.targets = vec![Platform::EcsFargate];
    let r = estimate(&s, &catalog()).unwrap();
    // 1 vCPU and 1,536 MiB round up to 1 vCPU and 2 GB: $0.04048 + 2 × $0.004445 = $0.04937 a
    // task-hour; 5 tasks × 730 h = $180.2005.
    for region in [US, EU] {
        assert_eq!(option(&r, Platform::EcsFargate, region).monthly_usd.cents(), 180_20, "{region}");
    }
    let eu = option(&r, Platform::EcsFargate, EU);
    assert!(eu.breakdown[0].formula.as_deref().unwrap().contains("standing in for eu-west-1's"));
    // The high end: $180.2005 × 1.11 = $200.0226.
    assert_eq!(eu.band.high_usd.cents(), 200_02);
    assert_eq!(option(&r, Platform::EcsFargate, US).band.high_usd.cents(), 180_20);
}

#[test]
fn a_small_key_value_store_lands_on_the_regions_own_small_node() {
    let mut s = scenario(&[US, EU]);
    s.workloads.apps[0].addons = vec![Addon {
        name: "cache".into(),
        plan: "heroku-redis:mini".into(),
        monthly_usd: Usd::new(dec("3")),
        by_basis: None,
    }];
    let r = estimate(&s, &catalog()).unwrap();
    let moves: Vec<(&str, Option<i64>, Option<i64>)> = r
        .addon_moves
        .iter()
        .map(|m| (m.region.as_str(), m.aws_monthly_usd.map(Usd::cents), m.reserved_1y_monthly_usd.map(Usd::cents)))
        .collect();
    // 25 MB fits cache.t4g.micro (0.5 GiB): $0.016 × 730 h = $11.68 in us-east-1, $0.017 × 730 h
    // = $12.41 in eu-west-1, where a node reserved for a year is $0.011 × 730 h = $8.03.
    assert_eq!(moves, [(US, Some(11_68), None), (EU, Some(12_41), Some(8_03))]);
    let eu = line(option(&r, Platform::EcsEc2, EU), "ElastiCache").unwrap();
    assert_eq!(eu.monthly_usd.cents(), 12_41);
    assert_eq!(eu.sources, ["ElastiCache cache.t4g.micro (node, 0.5 GiB), eu-west-1"]);
}

fn on_spot(mut s: Scenario) -> Scenario {
    s.assumptions.pricing = PricingModel::Spot;
    s.workloads.apps[0].processes[0].interruption_tolerant = Some(true);
    s
}

#[test]
fn spot_is_on_demand_less_the_advisors_saving_for_the_type_under_the_threshold() {
    let r = estimate(&on_spot(scenario(&[US])), &catalog()).unwrap();
    let o = &r.options[0];
    // The spot pool takes types interrupted at most 5-10%: c5.large (60%, <5%), not c6i.large
    // (70%, >20%) nor the types the feed lacks. $0.085 × 0.40 = $0.034; 3 × $0.034 × 730 h =
    // $74.46.
    assert_eq!((o.nodes[0].instance_type.as_str(), o.nodes[0].count, o.nodes[0].spot), ("c5.large", 3, true));
    assert_eq!(o.monthly_usd.cents(), 74_46);
    let formula = o.breakdown[0].formula.as_deref().unwrap();
    assert!(
        formula.contains("× $0.034/h × 730 h; spot: on-demand $0.085 less 60% (Spot Instance Advisor, us-east-1, interrupted <5%, 2025-06-28)"),
        "{formula}"
    );
    assert!(r.sources.iter().any(|s| s.item == "EC2 c5.large spot saving, Linux, us-east-1" && s.usd == dec("60")));
    assert!(r.uncertain.iter().all(|u| u.id != "spot-discount"), "no assumption: the advisor's figure");
    // Accepting every bucket lets c6i.large in: $0.085 × 0.30 = $0.0255; 3 × × 730 h = $55.845.
    let mut any = on_spot(scenario(&[US]));
    any.assumptions.spot_max_interruption = Interruption::Over20;
    let r = estimate(&any, &catalog()).unwrap();
    assert_eq!((r.options[0].nodes[0].instance_type.as_str(), r.options[0].monthly_usd.cents()), ("c6i.large", 55_85));
}

#[test]
fn a_tolerant_process_no_preferred_type_holds_runs_on_demand() {
    let mut s = on_spot(scenario(&[US]));
    // 3,000 m fits no large node (2,000 m); c5.xlarge holds one, but the feed lacks it.
    s.workloads.apps[0].processes[0] =
        Process { interruption_tolerant: Some(true), ..Process::new("big", 2, 3000, 1024) };
    let r = estimate(&s, &catalog()).unwrap();
    let o = &r.options[0];
    // 2 on-demand c5.xlarge × $0.17 × 730 h = $248.20.
    assert_eq!((o.nodes[0].instance_type.as_str(), o.nodes[0].count, o.nodes[0].spot), ("c5.xlarge", 2, false));
    assert_eq!(o.monthly_usd.cents(), 248_20);
    assert!(r.warnings.iter().any(|w| w
        == "ECS on EC2: shop/big fit no candidate type interrupted at most 5-10% in us-east-1, so they run on-demand"));
}

#[test]
fn without_the_advisors_word_on_a_region_the_flat_discount_is_the_labelled_fallback() {
    let r = estimate(&on_spot(scenario(&[EU])), &catalog()).unwrap();
    let o = &r.options[0];
    // eu-west-1 has no spot advice: c5.large at $0.096 × (1 − 0.38) = $0.05952; 3 × × 730 h
    // = $130.3488.
    assert_eq!(o.monthly_usd.cents(), 130_35);
    assert!(o.breakdown[0].formula.as_deref().unwrap().contains("on-demand less 38% (spot-discount, an assumption)"));
    assert!(r.uncertain.iter().any(|u| u.id == "spot-discount"));
    assert!(r.warnings.iter().any(|w| {
        w
        == "ECS on EC2: no candidate type is interrupted at most 5-10% in eu-west-1, so the spot pool uses every type \
            with a spot price"
    }));
}

#[test]
fn the_generations_matrix_plans_each_group_and_says_why_a_group_is_skipped() {
    let mut s = scenario(&[US]);
    s.assumptions.compare_generations = true;
    let r = estimate(&s, &catalog()).unwrap();
    type Row<'a> = (&'a str, Option<i64>, bool, Option<&'a str>, Vec<&'a str>);
    let rows: Vec<Row> = r
        .generations
        .iter()
        .map(|g| {
            (
                g.group.as_str(),
                g.targets.first().map(|c| c.compute_monthly_usd.cents()),
                g.targets.first().is_some_and(|c| c.cheapest),
                g.skipped.as_deref().map(|w| w.split(':').next().unwrap()),
                g.lacking_families.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    let no_price =
        Some("no price in us-east-1 for these families; `tco pricing refresh --region us-east-1` fills them");
    let x86_only = Some("the images are not built for arm64");
    assert_eq!(
        rows,
        [
            // 3 × $0.085 × 730 h, the first of three equals.
            ("candidate list", Some(186_15), true, None, vec![]),
            ("c5/m5/r5", Some(186_15), false, None, vec!["m5", "r5"]),
            ("c6i/m6i/r6i", Some(186_15), false, None, vec!["m6i", "r6i"]),
            ("c6a/m6a/r6a", None, false, no_price.map(|w| w.split(':').next().unwrap()), vec![]),
            // 3 × c7i.large × $0.08925 × 730 h = $195.4575.
            ("c7i/m7i/r7i", Some(195_46), false, None, vec!["m7i", "r7i"]),
            ("c7a/m7a/r7a", None, false, no_price.map(|w| w.split(':').next().unwrap()), vec![]),
            ("c8i/m8i/r8i", None, false, no_price.map(|w| w.split(':').next().unwrap()), vec![]),
            ("c7g/m7g/r7g", None, false, x86_only, vec![]),
            ("c8g/m8g/r8g", None, false, x86_only, vec![]),
        ]
    );
    assert_eq!(r.generations[4].targets[0].plan, "3 × c7i.large");
    // With arm64 images the Graviton group is planned: m7g.large holds 2 (by CPU); 3 × $0.0816
    // × 730 h = $178.704, the cheapest.
    s.assumptions.architectures = vec![Arch::X86_64, Arch::Arm64];
    let r = estimate(&s, &catalog()).unwrap();
    let g = r.generations.iter().find(|g| g.group == "c7g/m7g/r7g").unwrap();
    assert_eq!((g.targets[0].compute_monthly_usd.cents(), g.targets[0].cheapest), (178_70, true));
    assert_eq!(g.lacking_families, ["c7g", "r7g"]);
    assert!(!r.generations[0].targets[0].cheapest);
}

#[test]
fn generations_are_compared_in_the_first_region_only_and_can_be_turned_off() {
    let mut s = scenario(&[EU, US]);
    s.assumptions.compare_generations = true;
    let r = estimate(&s, &catalog()).unwrap();
    assert!(r.generations.iter().all(|g| g.region == EU));
    let c6i = r.generations.iter().find(|g| g.group == "c6i/m6i/r6i").unwrap();
    assert!(c6i.skipped.as_deref().unwrap().starts_with("no price in eu-west-1"));
    s.assumptions.compare_generations = false;
    assert!(estimate(&s, &catalog()).unwrap().generations.is_empty());
}
