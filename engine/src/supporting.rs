//! Supporting AWS costs beside compute: control plane, load balancers, NAT, addresses,
//! volumes, data transfer, logs, keys, secrets, Transit Gateway and Business Support. Each is
//! its own line with the formula that made it; a line whose price the catalog lacks is left
//! out with a warning, never guessed.

use crate::catalog::{Catalog, ServicePrice};
use crate::money::Usd;
use crate::report::{push_source, CostGroup, CostLine, Meter, SourceLine, Usage};
use crate::scenario::{Assumptions, Platform};
use crate::stand_in::{self, Found};
use crate::workload::Workloads;
use rust_decimal::Decimal;

/// Catalog ids of the supporting services.
pub mod id {
    /// EKS control plane, standard support, per cluster-hour.
    pub const EKS_STANDARD: &str = "eks-cluster-standard";
    /// EKS control plane, extended support, per cluster-hour.
    pub const EKS_EXTENDED: &str = "eks-cluster-extended";
    /// ALB per hour.
    pub const ALB_HOUR: &str = "alb-hour";
    /// ALB capacity unit per hour.
    pub const ALB_LCU: &str = "alb-lcu-hour";
    /// NAT gateway per hour.
    pub const NAT_HOUR: &str = "nat-gateway-hour";
    /// NAT gateway per GB processed.
    pub const NAT_GB: &str = "nat-gateway-gb";
    /// Public IPv4 address per hour.
    pub const IPV4_HOUR: &str = "public-ipv4-hour";
    /// EBS gp3 per GB-month.
    pub const GP3: &str = "ebs-gp3-gb-month";
    /// Cross-AZ transfer per GB, each direction.
    pub const CROSS_AZ: &str = "data-transfer-cross-az-gb";
    /// Free data transfer out, GB per month.
    pub const DTO_FREE: &str = "data-transfer-out-free-gb";
    /// Data transfer out per GB, first 10 TB.
    pub const DTO_GB: &str = "data-transfer-out-gb-first-10tb";
    /// CloudWatch Logs ingestion per GB.
    pub const LOGS_GB: &str = "cloudwatch-logs-ingest-gb";
    /// KMS customer-managed key per month.
    pub const KMS_KEY: &str = "kms-key-month";
    /// Secrets Manager secret per month.
    pub const SECRET: &str = "secrets-manager-secret-month";
    /// Transit Gateway attachment per hour.
    pub const TGW_ATTACHMENT: &str = "transit-gateway-attachment-hour";
    /// Transit Gateway data per GB.
    pub const TGW_GB: &str = "transit-gateway-gb";
    /// Business Support minimum per month.
    pub const SUPPORT_MINIMUM: &str = "business-support-minimum";
    /// Business Support tiers: (id, upper bound of the tier in USD, or none for the last).
    pub const SUPPORT_TIERS: [(&str, Option<u32>); 4] = [
        ("business-support-pct-0-10k", Some(10_000)),
        ("business-support-pct-10k-80k", Some(80_000)),
        ("business-support-pct-80k-250k", Some(250_000)),
        ("business-support-pct-over-250k", None),
    ];
}

/// What the supporting lines are computed from.
pub struct Inputs<'a> {
    /// The target.
    pub platform: Platform,
    /// EC2 nodes in the plan (zero on Fargate).
    pub nodes: u32,
    /// The workloads, for web processes and request rates.
    pub workloads: &'a Workloads,
    /// The assumptions.
    pub assumptions: &'a Assumptions,
}

/// The supporting lines except Business Support, which depends on the whole bill.
pub fn lines(
    catalog: &Catalog,
    inputs: &Inputs,
    sources: &mut Vec<SourceLine>,
    warnings: &mut Vec<String>,
) -> Vec<CostLine> {
    let a = inputs.assumptions;
    let s = &a.supporting;
    let hours = Decimal::from(a.hours_per_month);
    let zones = a.availability_zones;
    let mut out = Vec::new();
    // The prices looked up since the last line was emitted: that line's sources, and whether
    // one of them is the home region's standing in for this region's (the formula says so).
    let pending: std::cell::RefCell<Vec<String>> = std::cell::RefCell::new(Vec::new());
    let pending_note: std::cell::RefCell<String> = std::cell::RefCell::new(String::new());
    let emit = |out: &mut Vec<CostLine>, mut l: CostLine| {
        l.sources = pending.borrow_mut().drain(..).collect();
        let note = std::mem::take(&mut *pending_note.borrow_mut());
        l.formula = l.formula.map(|f| f + &note);
        out.push(l);
    };
    let mut price = |id: &str, wanted: &str| -> Option<Found> {
        let p = stand_in::service(catalog, a, id);
        match p {
            Some(p) => {
                pending.borrow_mut().push(p.row.item());
                if p.stand_in {
                    *pending_note.borrow_mut() = p.note(&a.region);
                }
                push_source(sources, SourceLine::from_service(p.row))
            }
            None => warnings.push(format!(
                "{wanted} is not costed: the catalog has no `{id}` price for {}; `tco pricing refresh` fetches it",
                a.region
            )),
        }
        p
    };

    if inputs.platform.is_eks() {
        let id = if s.eks_extended_support { id::EKS_EXTENDED } else { id::EKS_STANDARD };
        if let Some(p) = price(id, "The EKS control plane") {
            let meter = if s.eks_extended_support { Meter::EksExtendedSupportHours } else { Meter::EksClusterHours };
            emit(
                &mut out,
                metered(
                    line(
                        "EKS control plane",
                        CostGroup::Platform,
                        p.usd * hours,
                        format!("1 cluster × ${}/h × {hours} h", p.usd),
                    ),
                    meter,
                    hours,
                ),
            );
        }
    }

    let web_apps: Vec<_> = inputs
        .workloads
        .apps
        .iter()
        .filter(|app| app.processes.iter().any(|p| p.replicas > 0 && p.serves_http.unwrap_or(p.name == "web")))
        .collect();
    let albs = if s.load_balancers { web_apps.len() as u32 } else { 0 };
    if albs > 0 {
        if let Some(p) = price(id::ALB_HOUR, "The load balancers") {
            emit(
                &mut out,
                metered(
                    line(
                        "Application Load Balancers",
                        CostGroup::Networking,
                        p.usd * hours * Decimal::from(albs),
                        format!("{albs} ALB (one per app with a web process) × ${}/h × {hours} h", p.usd),
                    ),
                    Meter::AlbHours,
                    hours * Decimal::from(albs),
                ),
            );
        }
        if let Some(p) = price(id::ALB_LCU, "Load balancer capacity units") {
            // One LCU is 25 new connections a second: a known request rate counts as new
            // connections (no keep-alive: an upper end); otherwise the assumption per ALB.
            let mut lcu = Decimal::ZERO;
            let mut measured = 0;
            for app in &web_apps {
                let rates: Vec<f64> = app
                    .processes
                    .iter()
                    .filter_map(|p| p.hourly_requests_per_second.as_ref())
                    .flat_map(|h| h.iter().copied())
                    .collect();
                let per_hour = if rates.is_empty() {
                    s.alb_lcu_per_hour
                } else {
                    measured += 1;
                    let mean = rates.iter().sum::<f64>() / rates.len() as f64;
                    Decimal::from_f64_retain(mean / 25.0).unwrap_or_default().round_dp(4)
                };
                lcu += per_hour;
            }
            let basis = if measured == 0 {
                format!("{} LCU per ALB-hour (assumed: no request rate imported)", s.alb_lcu_per_hour)
            } else {
                format!("{measured} of {albs} ALB from imported request rates (25 requests/s = 1 LCU)")
            };
            emit(
                &mut out,
                metered(
                    line(
                        "Load balancer capacity units",
                        CostGroup::Networking,
                        p.usd * hours * lcu,
                        format!("{lcu} LCU × ${}/LCU-h × {hours} h; {basis}", p.usd),
                    ),
                    Meter::AlbLcuHours,
                    hours * lcu,
                ),
            );
        }
    }

    let nats = if s.nat_gateways { zones } else { 0 };
    if nats > 0 {
        if let Some(p) = price(id::NAT_HOUR, "NAT gateways") {
            emit(
                &mut out,
                metered(
                    line(
                        "NAT gateways",
                        CostGroup::Networking,
                        p.usd * hours * Decimal::from(nats),
                        format!("{nats} gateways (one per zone) × ${}/h × {hours} h", p.usd),
                    ),
                    Meter::NatGatewayHours,
                    hours * Decimal::from(nats),
                ),
            );
        }
        if s.nat_gb_per_month > Decimal::ZERO {
            if let Some(p) = price(id::NAT_GB, "NAT data processing") {
                emit(
                    &mut out,
                    metered(
                        line(
                            "NAT data processed",
                            CostGroup::Networking,
                            p.usd * s.nat_gb_per_month,
                            format!("{} GB × ${}/GB", s.nat_gb_per_month, p.usd),
                        ),
                        Meter::NatGatewayGb,
                        s.nat_gb_per_month,
                    ),
                );
            }
        }
    }

    let addresses = if s.public_ipv4 { nats + albs * zones } else { 0 };
    if addresses > 0 {
        if let Some(p) = price(id::IPV4_HOUR, "Public IPv4 addresses") {
            emit(
                &mut out,
                metered(
                    line(
                        "Public IPv4 addresses",
                        CostGroup::Networking,
                        p.usd * hours * Decimal::from(addresses),
                        format!(
                            "{addresses} addresses ({nats} NAT + {albs} ALB × {zones} zones) × ${}/h × {hours} h",
                            p.usd
                        ),
                    ),
                    Meter::PublicIpv4Hours,
                    hours * Decimal::from(addresses),
                ),
            );
        }
    }

    if inputs.nodes > 0 && s.root_volume_gb > 0 {
        if let Some(p) = price(id::GP3, "Node root volumes") {
            let gb = Decimal::from(inputs.nodes) * Decimal::from(s.root_volume_gb);
            emit(
                &mut out,
                metered(
                    line(
                        "EBS root volumes",
                        CostGroup::Storage,
                        p.usd * gb,
                        format!("{} nodes × {} GB gp3 × ${}/GB-month", inputs.nodes, s.root_volume_gb, p.usd),
                    ),
                    Meter::EbsGp3GbMonths,
                    gb,
                ),
            );
        }
    }

    if s.cross_az_gb_per_month > Decimal::ZERO {
        if let Some(p) = price(id::CROSS_AZ, "Cross-zone data transfer") {
            emit(
                &mut out,
                metered(
                    line(
                        "Cross-zone data transfer",
                        CostGroup::Networking,
                        p.usd * s.cross_az_gb_per_month * Decimal::TWO,
                        format!("{} GB × ${}/GB × 2 (charged out and in)", s.cross_az_gb_per_month, p.usd),
                    ),
                    Meter::CrossAzGb,
                    s.cross_az_gb_per_month * Decimal::TWO,
                ),
            );
        }
    }

    let over_first_tier = s.data_transfer_out_gb_per_month > Decimal::from(10_240);
    if s.data_transfer_out_gb_per_month > Decimal::ZERO {
        let free = catalog.service_in(&a.region, id::DTO_FREE).map(|f| f.usd).unwrap_or_default();
        if let Some(p) = price(id::DTO_GB, "Data transfer out") {
            let billed = (s.data_transfer_out_gb_per_month - free).max(Decimal::ZERO);
            emit(
                &mut out,
                metered(
                    line(
                        "Data transfer out",
                        CostGroup::Networking,
                        p.usd * billed,
                        format!("({} GB − {free} GB free) × ${}/GB", s.data_transfer_out_gb_per_month, p.usd),
                    ),
                    Meter::DataTransferOutGb,
                    s.data_transfer_out_gb_per_month,
                ),
            );
        }
    }

    if s.log_gb_per_month > Decimal::ZERO {
        if let Some(p) = price(id::LOGS_GB, "Log ingestion") {
            emit(
                &mut out,
                metered(
                    line(
                        "CloudWatch Logs ingestion",
                        CostGroup::Observability,
                        p.usd * s.log_gb_per_month,
                        format!("{} GB × ${}/GB", s.log_gb_per_month, p.usd),
                    ),
                    Meter::LogsIngestGb,
                    s.log_gb_per_month,
                ),
            );
        }
    }

    if s.kms_keys > 0 {
        if let Some(p) = price(id::KMS_KEY, "KMS keys") {
            emit(
                &mut out,
                metered(
                    line(
                        "KMS keys",
                        CostGroup::Security,
                        p.usd * Decimal::from(s.kms_keys),
                        format!("{} keys × ${}/key-month", s.kms_keys, p.usd),
                    ),
                    Meter::KmsKeyMonths,
                    Decimal::from(s.kms_keys),
                ),
            );
        }
    }
    if s.secrets > 0 {
        if let Some(p) = price(id::SECRET, "Secrets Manager secrets") {
            emit(
                &mut out,
                metered(
                    line(
                        "Secrets Manager",
                        CostGroup::Security,
                        p.usd * Decimal::from(s.secrets),
                        format!("{} secrets × ${}/secret-month", s.secrets, p.usd),
                    ),
                    Meter::SecretMonths,
                    Decimal::from(s.secrets),
                ),
            );
        }
    }
    if s.transit_gateway_attachments > 0 {
        if let Some(p) = price(id::TGW_ATTACHMENT, "Transit Gateway attachments") {
            let n = Decimal::from(s.transit_gateway_attachments);
            emit(
                &mut out,
                metered(
                    line(
                        "Transit Gateway attachments",
                        CostGroup::Networking,
                        p.usd * hours * n,
                        format!("{n} attachments × ${}/h × {hours} h", p.usd),
                    ),
                    Meter::TransitGatewayAttachmentHours,
                    hours * n,
                ),
            );
        }
        if s.transit_gateway_gb_per_month > Decimal::ZERO {
            if let Some(p) = price(id::TGW_GB, "Transit Gateway data") {
                emit(
                    &mut out,
                    metered(
                        line(
                            "Transit Gateway data",
                            CostGroup::Networking,
                            p.usd * s.transit_gateway_gb_per_month,
                            format!("{} GB × ${}/GB", s.transit_gateway_gb_per_month, p.usd),
                        ),
                        Meter::TransitGatewayGb,
                        s.transit_gateway_gb_per_month,
                    ),
                );
            }
        }
    }
    if over_first_tier {
        warnings.push("Data transfer out above 10 TB a month is priced at the first tier's rate".into());
    }
    out
}

/// AWS Business Support on a monthly bill of `usage`: the greater of the minimum and the
/// tiered percentages. `None` when the catalog lacks a tier.
pub fn business_support(catalog: &Catalog, usage: Usd, sources: &mut Vec<SourceLine>) -> Option<CostLine> {
    let minimum = catalog.service(id::SUPPORT_MINIMUM)?;
    let mut fee = Decimal::ZERO;
    let mut lower = Decimal::ZERO;
    let mut parts = Vec::new();
    for (tier, upper) in id::SUPPORT_TIERS {
        let rate = catalog.service(tier)?;
        let top = upper.map(Decimal::from).unwrap_or(Decimal::MAX);
        let slice = usage.amount().min(top) - lower;
        if slice > Decimal::ZERO {
            fee += slice * rate.usd;
            parts.push(format!("{}% of ${}", (rate.usd * Decimal::ONE_HUNDRED).normalize(), slice.round_dp(2)));
        }
        push_source(sources, SourceLine::from_service(rate));
        lower = top;
        if usage.amount() <= top {
            break;
        }
    }
    push_source(sources, SourceLine::from_service(minimum));
    let amount = fee.max(minimum.usd);
    let mut used = vec![minimum.item()];
    used.extend(id::SUPPORT_TIERS.iter().filter_map(|(t, _)| catalog.service(t)).map(ServicePrice::item));
    let mut l = line(
        "AWS Business Support",
        CostGroup::Support,
        amount,
        format!("greater of ${} and {}", minimum.usd, if parts.is_empty() { "0".into() } else { parts.join(" + ") }),
    );
    l.sources = used;
    Some(l)
}

fn line(category: &str, group: CostGroup, amount: Decimal, formula: String) -> CostLine {
    CostLine {
        category: category.into(),
        monthly_usd: Usd::new(amount),
        group,
        formula: Some(formula),
        sources: Vec::new(),
        usage: Vec::new(),
    }
}

/// `l`, billing `amount` of `meter` for the whole of its cost.
fn metered(mut l: CostLine, meter: Meter, amount: Decimal) -> CostLine {
    l.usage = vec![Usage::new(meter, amount, l.monthly_usd)];
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogParts, Provenance};

    fn svc(id: &str, usd: &str) -> ServicePrice {
        ServicePrice {
            id: id.into(),
            region: None,
            description: id.into(),
            usd: usd.parse().unwrap(),
            unit: "per unit".into(),
            confidence: "official".into(),
            provenance: Provenance { source: "test".into(), as_of: "2026-11-01".into() },
        }
    }

    fn catalog() -> Catalog {
        let parts = CatalogParts {
            snapshot: "2026-11-01".into(),
            services: vec![
                svc(id::SUPPORT_MINIMUM, "100"),
                svc("business-support-pct-0-10k", "0.10"),
                svc("business-support-pct-10k-80k", "0.07"),
                svc("business-support-pct-80k-250k", "0.05"),
                svc("business-support-pct-over-250k", "0.03"),
            ],
            ..CatalogParts::default()
        };
        Catalog::new(parts).unwrap()
    }

    #[test]
    fn metered_lines_carry_their_quantities_for_the_month() {
        // An EKS cluster over a 700-hour month: 1 × 700 cluster-hours; NAT gateways in 3 zones:
        // 3 × 700 = 2,100 gateway-hours at $0.045 = $94.50, and 50 GB processed at $0.045 =
        // $2.25; 4 nodes × 20 GB gp3 root volumes = 80 GB-months at $0.08 = $6.40.
        let parts = CatalogParts {
            snapshot: "2026-11-01".into(),
            services: vec![
                svc(id::EKS_STANDARD, "0.10"),
                svc(id::NAT_HOUR, "0.045"),
                svc(id::NAT_GB, "0.045"),
                svc(id::GP3, "0.08"),
            ],
            ..CatalogParts::default()
        };
        let catalog = Catalog::new(parts).unwrap();
        let mut a = Assumptions { hours_per_month: 700, availability_zones: 3, ..Assumptions::default() };
        a.supporting.load_balancers = false;
        a.supporting.public_ipv4 = false;
        a.supporting.nat_gateways = true;
        a.supporting.nat_gb_per_month = Decimal::from(50);
        a.supporting.root_volume_gb = 20;
        let workloads = Workloads::default();
        let inputs = Inputs { platform: Platform::EksEc2, nodes: 4, workloads: &workloads, assumptions: &a };
        let out = lines(&catalog, &inputs, &mut Vec::new(), &mut Vec::new());
        let usage = |category: &str| {
            let l = out.iter().find(|l| l.category == category).unwrap_or_else(|| panic!("no {category} line"));
            assert_eq!(l.usage.len(), 1, "{category}");
            let u = &l.usage[0];
            assert_eq!(u.monthly_usd, l.monthly_usd, "{category}: the quantity carries the whole line");
            (u.meter, u.amount, u.unit.clone(), u.monthly_usd.rounded_to_cents())
        };
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(usage("EKS control plane"), (Meter::EksClusterHours, d("700"), "Hrs".into(), d("70.00")));
        assert_eq!(usage("NAT gateways"), (Meter::NatGatewayHours, d("2100"), "Hrs".into(), d("94.50")));
        assert_eq!(usage("NAT data processed"), (Meter::NatGatewayGb, d("50"), "GB".into(), d("2.25")));
        assert_eq!(usage("EBS root volumes"), (Meter::EbsGp3GbMonths, d("80"), "GB-Mo".into(), d("6.40")));
    }

    #[test]
    fn business_support_follows_the_published_example() {
        // AWS's example: $85,000 usage → 10% × 10,000 + 7% × 70,000 + 5% × 5,000 = 6,150
        let l = business_support(&catalog(), Usd::new(Decimal::from(85_000)), &mut Vec::new()).unwrap();
        assert_eq!(l.monthly_usd.rounded_to_cents(), Decimal::from(6_150));
    }

    #[test]
    fn business_support_never_falls_below_its_minimum() {
        // $500 usage → 10% = $50 < $100 minimum
        let l = business_support(&catalog(), Usd::new(Decimal::from(500)), &mut Vec::new()).unwrap();
        assert_eq!(l.monthly_usd.rounded_to_cents(), Decimal::from(100));
    }
}
