//! What a cost line bills in AWS's own meters, so a plan can be re-priced elsewhere from typed
//! data.

use crate::money::Usd;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One metered quantity of a cost line, in the unit AWS's price list meters it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// What is metered.
    pub meter: Meter,
    /// The instance type, for instance-hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// How much a month, in `unit` (hours are the report's `hours_per_month`).
    pub amount: Decimal,
    /// The meter's unit ([`Meter::unit`]), repeated for readers of the JSON.
    pub unit: String,
    /// This quantity's share of the line, USD per month.
    pub monthly_usd: Usd,
}

impl Usage {
    /// `amount` of `meter` costing `monthly_usd`.
    pub fn new(meter: Meter, amount: Decimal, monthly_usd: Usd) -> Usage {
        Usage { meter, instance_type: None, amount, unit: meter.unit().into(), monthly_usd }
    }
}

/// The AWS meters the estimate's lines bill.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Meter {
    /// EC2 Linux instance-hours of one type (`instance_type`).
    Ec2InstanceHours,
    /// Instance-hours EKS Auto Mode's management fee is charged on (`instance_type`).
    EksAutoModeInstanceHours,
    /// Fargate vCPU-hours, x86.
    FargateVcpuHours,
    /// Fargate GB-hours, x86.
    FargateGbHours,
    /// Fargate vCPU-hours, ARM.
    FargateArmVcpuHours,
    /// Fargate GB-hours, ARM.
    FargateArmGbHours,
    /// EKS cluster-hours, standard support.
    EksClusterHours,
    /// EKS cluster-hours, extended support.
    EksExtendedSupportHours,
    /// Application Load Balancer hours.
    AlbHours,
    /// Load balancer capacity unit hours.
    AlbLcuHours,
    /// NAT gateway hours.
    NatGatewayHours,
    /// GB processed by NAT gateways.
    NatGatewayGb,
    /// Public IPv4 address-hours.
    PublicIpv4Hours,
    /// EBS gp3 GB-months.
    EbsGp3GbMonths,
    /// GB crossing zones, counted once per direction.
    CrossAzGb,
    /// GB out to the internet, before any free allowance.
    DataTransferOutGb,
    /// GB of logs ingested by CloudWatch Logs.
    LogsIngestGb,
    /// KMS customer-managed key-months.
    KmsKeyMonths,
    /// Secrets Manager secret-months.
    SecretMonths,
    /// Transit Gateway attachment-hours.
    TransitGatewayAttachmentHours,
    /// GB processed by Transit Gateway.
    TransitGatewayGb,
}

impl Meter {
    /// The price-list unit of the meter.
    pub fn unit(self) -> &'static str {
        match self {
            Meter::Ec2InstanceHours
            | Meter::EksAutoModeInstanceHours
            | Meter::EksClusterHours
            | Meter::EksExtendedSupportHours
            | Meter::AlbHours
            | Meter::NatGatewayHours
            | Meter::PublicIpv4Hours
            | Meter::TransitGatewayAttachmentHours => "Hrs",
            Meter::FargateVcpuHours | Meter::FargateArmVcpuHours => "vCPU-Hrs",
            Meter::FargateGbHours | Meter::FargateArmGbHours => "GB-Hrs",
            Meter::AlbLcuHours => "LCU-Hrs",
            Meter::EbsGp3GbMonths => "GB-Mo",
            Meter::NatGatewayGb
            | Meter::CrossAzGb
            | Meter::DataTransferOutGb
            | Meter::LogsIngestGb
            | Meter::TransitGatewayGb => "GB",
            Meter::KmsKeyMonths => "Keys",
            Meter::SecretMonths => "Secrets",
        }
    }
}
