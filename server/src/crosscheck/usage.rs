//! From an option's cost lines to workload-estimate usage lines: which Price List service
//! code, usage type and operation meter each quantity, in which region. Pure: no I/O.
//!
//! The strings follow the AWS Pricing Calculator API reference the project keeps (section
//! 5.2 for region prefixes, 5.3 for the lines), each with the reference's confidence tag:
//! `C` confirmed, `L` likely, `U` unconfirmed. A quantity whose usage type or operation the
//! reference does not give is not sent (never guessed): it is listed with the reason.

use rust_decimal::Decimal;
use tco_engine::report::{CostGroup, Meter, OptionEstimate};
use tco_engine::{Platform, Usd};

/// A usage line to send, with our figure for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// The batch key (`L1`, `L2`, …): unique within the estimate, at most 10 characters.
    pub key: String,
    /// The cost line it comes from.
    pub category: String,
    /// Price List service code, e.g. `AmazonEC2`.
    pub service_code: &'static str,
    /// Usage type with the region's prefix, e.g. `EU-BoxUsage:m5.large`.
    pub usage_type: String,
    /// Operation, e.g. `RunInstances`.
    pub operation: &'static str,
    /// Quantity per month, in `unit`.
    pub amount: Decimal,
    /// The usage type's unit.
    pub unit: &'static str,
    /// What our estimate charges for it, USD per month.
    pub ours_usd: Usd,
    /// How sure the reference is of the strings: `L`, or `L (type) / U (operation)`, ….
    pub confidence: &'static str,
    /// Anything the reader should know about the mapping.
    pub note: Option<&'static str>,
}

/// A cost line (or part of one) that is not sent, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct NotSent {
    /// The cost line.
    pub category: String,
    /// Why the calculator cannot take it.
    pub reason: String,
    /// What our estimate charges for it, USD per month.
    #[schema(value_type = f64)]
    pub ours_usd: Usd,
}

/// The lines of one option, split into what is sent and what is not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Planned {
    /// Lines for the calculator, keyed `L1`… in order.
    pub outgoing: Vec<Outgoing>,
    /// Lines it cannot take.
    pub not_sent: Vec<NotSent>,
}

/// Why a scenario cannot be cross-checked at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The region's usage-type prefix is not in the reference.
    #[error(
        "region `{0}`: its usage-type prefix is not known, so the calculator would price another region; \
         known regions: {known}",
        known = known_regions()
    )]
    UnknownRegion(String),
}

/// Usage-type region prefixes of the commercial regions (reference section 5.2: North
/// America, Africa, Asia Pacific and eu-west-1 from AWS's "Region billing codes" page, C; the
/// rest of Europe, the Middle East and South America from two agreeing third-party maps, L).
/// Traps: eu-west-1 is `EU`, ap-south-1 is `APS3`. us-east-1's EC2-family usage types have
/// no prefix; its newer services use `USE1-`.
const PREFIXES: [(&str, &str); 34] = [
    ("us-east-1", "USE1-"),
    ("us-east-2", "USE2-"),
    ("us-west-1", "USW1-"),
    ("us-west-2", "USW2-"),
    ("ca-central-1", "CAN1-"),
    ("ca-west-1", "CAN2-"),
    ("mx-central-1", "MXC1-"),
    ("af-south-1", "AFS1-"),
    ("sa-east-1", "SAE1-"),
    ("ap-east-1", "APE1-"),
    ("ap-east-2", "APE2-"),
    ("ap-northeast-1", "APN1-"),
    ("ap-northeast-2", "APN2-"),
    ("ap-northeast-3", "APN3-"),
    ("ap-southeast-1", "APS1-"),
    ("ap-southeast-2", "APS2-"),
    ("ap-south-1", "APS3-"),
    ("ap-southeast-3", "APS4-"),
    ("ap-south-2", "APS5-"),
    ("ap-southeast-4", "APS6-"),
    ("ap-southeast-5", "APS7-"),
    ("ap-southeast-6", "APS8-"),
    ("ap-southeast-7", "APS9-"),
    ("eu-west-1", "EU-"),
    ("eu-west-2", "EUW2-"),
    ("eu-west-3", "EUW3-"),
    ("eu-central-1", "EUC1-"),
    ("eu-central-2", "EUC2-"),
    ("eu-north-1", "EUN1-"),
    ("eu-south-1", "EUS1-"),
    ("eu-south-2", "EUS2-"),
    ("il-central-1", "ILC1-"),
    ("me-central-1", "MEC1-"),
    ("me-south-1", "MES1-"),
];

fn known_regions() -> String {
    PREFIXES.iter().map(|(r, _)| *r).collect::<Vec<_>>().join(", ")
}

/// A region's usage-type prefixes: for EC2-family usage types (none in us-east-1) and for
/// newer services (`USE1-` there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefixes {
    /// `BoxUsage`, `EBS:`, `NatGateway-`, `LoadBalancerUsage`, `LCUUsage`,
    /// `DataTransfer-Out-Bytes`: empty in us-east-1, else `CODE-`.
    pub ec2: &'static str,
    /// EKS, Fargate, VPC (addresses, Transit Gateway), CloudWatch: always `CODE-`.
    pub newer: &'static str,
}

/// The prefixes of `region`, when the reference has them.
pub fn prefixes(region: &str) -> Option<Prefixes> {
    let newer = PREFIXES.iter().find(|(r, _)| *r == region)?.1;
    let ec2 = if region == "us-east-1" { "" } else { newer };
    Some(Prefixes { ec2, newer })
}

/// Where a meter goes: service code, usage type stem (after the prefix), operation, which
/// prefix, confidence and note; or why it cannot be sent.
struct Route {
    service_code: &'static str,
    stem: String,
    operation: &'static str,
    ec2_family: bool,
    confidence: &'static str,
    note: Option<&'static str>,
}

fn route(meter: Meter, instance_type: Option<&str>, platform: Platform, region: &str) -> Result<Route, String> {
    let r = |service_code, stem: &str, operation, ec2_family, confidence| Route {
        service_code,
        stem: stem.to_string(),
        operation,
        ec2_family,
        confidence,
        note: None,
    };
    let fargate_note = (platform == Platform::EksFargate).then_some(
        "EKS on Fargate pays the same Fargate rates; sent as AmazonECS FargateTask usage because the reference \
         gives no operation for Fargate under AmazonEKS (section 5.3, U)",
    );
    Ok(match meter {
        Meter::Ec2InstanceHours => {
            let t = instance_type.ok_or("an instance-hours line without its instance type")?;
            r("AmazonEC2", &format!("BoxUsage:{t}"), "RunInstances", true, "L")
        }
        Meter::EbsGp3GbMonths => r("AmazonEC2", "EBS:VolumeUsage.gp3", "CreateVolume-Gp3", true, "L"),
        Meter::NatGatewayHours => r(
            "AmazonEC2",
            "NatGateway-Hours",
            "NatGateway",
            true,
            if region == "us-east-1" { "L (type) / U (no prefix in us-east-1)" } else { "L" },
        ),
        Meter::NatGatewayGb => r("AmazonEC2", "NatGateway-Bytes", "NatGateway", true, "L"),
        Meter::AlbHours => r("AWSELB", "LoadBalancerUsage", "LoadBalancing:Application", true, "L"),
        Meter::AlbLcuHours => r("AWSELB", "LCUUsage", "LoadBalancing:Application", true, "L"),
        Meter::DataTransferOutGb => Route {
            note: Some(
                "sent in full: AWS applies its own free allowance and tiers, ours subtracts the catalog's free GB",
            ),
            ..r("AmazonEC2", "DataTransfer-Out-Bytes", "RunInstances", true, "L (type) / U (service code)")
        },
        Meter::EksClusterHours => {
            r("AmazonEKS", "AmazonEKS-Hours:perCluster", "CreateOperation", false, "L (type) / U (operation)")
        }
        Meter::EksExtendedSupportHours => {
            r("AmazonEKS", "AmazonEKS-Hours:extendedSupport", "CreateOperation", false, "L (type) / U (operation)")
        }
        Meter::FargateVcpuHours => {
            Route { note: fargate_note, ..r("AmazonECS", "Fargate-vCPU-Hours:perCPU", "FargateTask", false, "L") }
        }
        Meter::FargateGbHours => {
            Route { note: fargate_note, ..r("AmazonECS", "Fargate-GB-Hours", "FargateTask", false, "L") }
        }
        Meter::FargateArmVcpuHours => Route {
            note: Some("ARM Fargate is not in the reference's table: the stem is the one the catalog refresh reads"),
            ..r("AmazonECS", "Fargate-ARM-vCPU-Hours:perCPU", "FargateTask", false, "U")
        },
        Meter::FargateArmGbHours => Route {
            note: Some("ARM Fargate is not in the reference's table: the stem is the one the catalog refresh reads"),
            ..r("AmazonECS", "Fargate-ARM-GB-Hours", "FargateTask", false, "U")
        },
        Meter::PublicIpv4Hours => Route {
            note: Some("the addresses of NAT gateways and load balancers: service-managed network interfaces"),
            ..r("AmazonVPC", "PublicIPv4:InUseAddress", "DescribeNetworkInterfaces", false, "L")
        },
        Meter::LogsIngestGb => r("AmazonCloudWatch", "DataProcessing-Bytes", "PutLogEvents", false, "L"),
        Meter::TransitGatewayAttachmentHours => r("AmazonVPC", "TransitGateway-Hours", "TransitGatewayVPC", false, "L"),
        Meter::TransitGatewayGb => r("AmazonVPC", "TransitGateway-Bytes", "TransitGatewayVPC", false, "L"),
        Meter::EksAutoModeInstanceHours => {
            return Err("no usage type for EKS Auto Mode's management fee is known (reference 5.3: not found)".into())
        }
        Meter::CrossAzGb => return Err("the reference gives no usage type for data transferred between zones".into()),
        Meter::KmsKeyMonths => {
            return Err("the reference gives no operation for KMS keys (section 5.3: unconfirmed)".into())
        }
        Meter::SecretMonths => {
            return Err("the reference gives no operation for Secrets Manager secrets (section 5.3: unconfirmed)".into())
        }
    })
}

/// Why a line without metered quantities is not sent.
fn unmetered_reason(group: &CostGroup) -> &'static str {
    match group {
        CostGroup::AddOns => {
            "an add-on: kept at today's Heroku price, or moved to RDS or ElastiCache, whose usage types the \
             reference does not give"
        }
        CostGroup::Support => "AWS Business Support is a share of the whole bill, not usage",
        _ => "no metered quantity: not usage of one AWS price",
    }
}

/// Splits `option`'s lines into usage lines for `region` and the rest; the option's
/// operations effort (people, never AWS usage) is listed with the rest.
pub fn plan(option: &OptionEstimate, region: &str) -> Result<Planned, PlanError> {
    let prefixes = prefixes(region).ok_or_else(|| PlanError::UnknownRegion(region.into()))?;
    let mut planned = Planned::default();
    for line in &option.breakdown {
        if line.usage.is_empty() {
            planned.not_sent.push(NotSent {
                category: line.category.clone(),
                reason: unmetered_reason(&line.group).into(),
                ours_usd: line.monthly_usd,
            });
            continue;
        }
        for u in &line.usage {
            let category = match u.meter {
                Meter::FargateVcpuHours | Meter::FargateArmVcpuHours => format!("{} · vCPU", line.category),
                Meter::FargateGbHours | Meter::FargateArmGbHours => format!("{} · memory", line.category),
                _ => line.category.clone(),
            };
            let route = match route(u.meter, u.instance_type.as_deref(), option.platform, region) {
                Ok(route) => route,
                Err(reason) => {
                    planned.not_sent.push(NotSent { category, reason, ours_usd: u.monthly_usd });
                    continue;
                }
            };
            if u.amount <= Decimal::ZERO {
                planned.not_sent.push(NotSent {
                    category,
                    reason: "no usage this month".into(),
                    ours_usd: u.monthly_usd,
                });
                continue;
            }
            let prefix = if route.ec2_family { prefixes.ec2 } else { prefixes.newer };
            planned.outgoing.push(Outgoing {
                key: format!("L{}", planned.outgoing.len() + 1),
                category,
                service_code: route.service_code,
                usage_type: format!("{prefix}{}", route.stem),
                operation: route.operation,
                amount: u.amount,
                unit: u.meter.unit(),
                ours_usd: u.monthly_usd,
                confidence: route.confidence,
                note: route.note,
            });
        }
    }
    if option.tco.ops_monthly_usd > Usd::ZERO {
        planned.not_sent.push(NotSent {
            category: "Operations effort (people)".into(),
            reason: "a people cost, not an AWS charge".into(),
            ours_usd: option.tco.ops_monthly_usd,
        });
    }
    Ok(planned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_east_1_has_no_prefix_for_ec2_usage_types_and_use1_for_newer_services() {
        assert_eq!(prefixes("us-east-1"), Some(Prefixes { ec2: "", newer: "USE1-" }));
    }

    #[test]
    fn the_traps_of_the_region_table_are_avoided() {
        // eu-west-1 is EU (not EUW1), ap-south-1 is APS3 (not APS1), af-south-1 AFS1 (not CPT).
        assert_eq!(prefixes("eu-west-1").map(|p| p.ec2), Some("EU-"));
        assert_eq!(prefixes("ap-south-1").map(|p| p.newer), Some("APS3-"));
        assert_eq!(prefixes("af-south-1").map(|p| p.ec2), Some("AFS1-"));
        assert_eq!(prefixes("me-south-1").map(|p| p.ec2), Some("MES1-"));
    }

    #[test]
    fn a_region_without_a_known_prefix_is_refused() {
        assert_eq!(prefixes("xx-nowhere-1"), None);
    }
}
