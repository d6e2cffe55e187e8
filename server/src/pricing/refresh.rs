//! `tco pricing refresh`: the AWS Price List Query API (GetProducts) through aws-sdk-pricing.
//!
//! Every region's EC2 offers (and, for us-east-1, the Fargate and supporting-service prices:
//! EKS, ALB, NAT gateway, EBS gp3, KMS, Secrets Manager, Transit Gateway, CloudWatch Logs, RDS
//! gp3 storage, and a row per RDS for PostgreSQL class and ElastiCache node type) are
//! read in full before anything is applied; the snapshot is then applied, validated and written by
//! [`super::apply_and_write`]. Any failure — the API, a malformed price list element, an
//! invalid result — leaves the directory as it was.

use super::PricingError;
use aws_sdk_pricing::config::{BehaviorVersion, Region};
use aws_sdk_pricing::error::{DisplayErrorContext, SdkError};
use aws_sdk_pricing::operation::get_products::GetProductsOutput;
use aws_sdk_pricing::types::{Filter, FilterType};
use aws_sdk_pricing::Client;
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use tco_engine::catalog::Arch;
use tco_pricing_data::update::{Ec2Offer, ServiceOffer};

/// The region whose Price List Query API endpoint is called (the API answers for every
/// region from there).
pub const API_REGION: &str = "us-east-1";

/// The region whose Fargate prices the catalog's services are.
pub const SERVICES_REGION: &str = "us-east-1";

/// The EC2 filters besides `regionCode`: on-demand Linux, shared tenancy, no pre-installed
/// software, no license, capacity actually used (not reservations).
pub const EC2_FILTERS: [(&str, &str); 7] = [
    ("operatingSystem", "Linux"),
    ("tenancy", "Shared"),
    ("preInstalledSw", "NA"),
    ("capacitystatus", "Used"),
    ("marketoption", "OnDemand"),
    ("licenseModel", "No License required"),
    ("productFamily", "Compute Instance"),
];

/// AmazonECS usage types (without their region prefix, e.g. `USE1-`) and the catalog's
/// service ids they price.
pub const FARGATE_USAGE_TYPES: [(&str, &str); 5] = [
    ("Fargate-vCPU-Hours:perCPU", "fargate-linux-x86-vcpu"),
    ("Fargate-GB-Hours", "fargate-linux-x86-gb"),
    ("Fargate-ARM-vCPU-Hours:perCPU", "fargate-linux-arm-vcpu"),
    ("Fargate-ARM-GB-Hours", "fargate-linux-arm-gb"),
    ("Fargate-EphemeralStorage-GB-Hours", "fargate-ephemeral-storage-gb"),
];

/// One supporting-service price: which `PriceList` elements carry it and the catalog id it is.
#[derive(Debug)]
pub struct ServicePriceSpec {
    /// The catalog's service id.
    pub id: &'static str,
    /// The usage type without its region prefix: an element matches when its `usagetype` is
    /// this, or ends with `-` and this (`USE1-`, `us-east-1-` for KMS; EC2 and ELB usage types
    /// in us-east-1 have no prefix at all).
    pub usage_type: &'static str,
    /// The element's `product.productFamily`, when it must be checked (the same usage type
    /// prices several products, e.g. `LoadBalancerUsage` for ALB, NLB and classic).
    pub product_family: Option<&'static str>,
    /// The price dimension's `unit`, any of these, compared without case.
    pub units: &'static [&'static str],
    /// (description, unit) for the catalog row of an id the embedded catalog does not have:
    /// a refresh adds the row.
    pub new_row: Option<(&'static str, &'static str)>,
}

/// One GetProducts query (regionCode plus `filters`) and the prices read from its answer.
#[derive(Debug)]
pub struct ServiceQuery {
    /// The Price List service code.
    pub service_code: &'static str,
    /// TERM_MATCH filters besides `regionCode`.
    pub filters: &'static [(&'static str, &'static str)],
    /// The prices its elements carry.
    pub prices: &'static [ServicePriceSpec],
}

const HOURS: &[&str] = &["Hrs", "Hours", "Hour"];
const GB: &[&str] = &["GB"];

/// The supporting-service prices a us-east-1 refresh reads besides Fargate.
///
/// Filters: TERM_MATCH is exact, and the usage type's region prefix differs by service (none
/// for AmazonEC2 and AWSELB in us-east-1, `USE1-` for most others, `us-east-1-` for awskms), so
/// usage types are matched here by suffix, not sent as a filter; queries are narrowed by
/// `productFamily` (and `volumeApiName`) where the family is known. Small offers (EKS, KMS,
/// Secrets Manager, VPC, CloudWatch) are read whole for the region.
///
/// Attribute shapes assumed (from AWS bills and Price List readers; not checked against a live
/// answer, as this code never reaches AWS): AmazonEKS elements are productFamily `Compute`
/// with usagetype `USE1-AmazonEKS-Hours:perCluster` / `USE1-AmazonEKS-Hours:extendedSupport`
/// and an `operation` (`CreateOperation`, elsewhere `CreateCluster`) that is not relied on;
/// AWSELB `LoadBalancerUsage` / `LCUUsage` with productFamily `Load Balancer-Application`
/// (units `Hrs`, `LCU-Hrs`); AmazonEC2 `NatGateway-Hours` / `NatGateway-Bytes` (family `NAT
/// Gateway`) and `EBS:VolumeUsage.gp3` (family `Storage`, `volumeApiName` gp3, unit
/// `GB-Mo`); awskms `us-east-1-KMS-Keys`; AWSSecretsManager `USE1-AWSSecretsManager-Secrets`
/// (unit `Secrets`); Transit Gateway under AmazonVPC, `USE1-TransitGateway-Hours` /
/// `USE1-TransitGateway-Bytes`; CloudWatch Logs standard-class ingestion
/// `USE1-DataProcessing-Bytes` (Infrequent Access is `DataProcessingIA-Bytes`, not matched);
/// AmazonRDS Single-AZ gp3 storage `USE1-RDS:GP3-Storage` (family `Database Storage`, unit
/// `GB-Mo`; Multi-AZ storage is the same rate billed for the standby too).
///
/// When several elements (or dimensions) match one id, the first tier is kept: the matching
/// dimension with the lowest `beginRange` (0 when published), and among elements with the same
/// `beginRange` the first one read.
pub const SERVICE_QUERIES: &[ServiceQuery] = &[
    ServiceQuery {
        service_code: "AmazonEKS",
        filters: &[],
        prices: &[
            ServicePriceSpec {
                id: "eks-cluster-standard",
                usage_type: "AmazonEKS-Hours:perCluster",
                product_family: None,
                units: HOURS,
                new_row: None,
            },
            ServicePriceSpec {
                id: "eks-cluster-extended",
                usage_type: "AmazonEKS-Hours:extendedSupport",
                product_family: None,
                units: HOURS,
                new_row: None,
            },
        ],
    },
    ServiceQuery {
        service_code: "AWSELB",
        filters: &[("productFamily", "Load Balancer-Application")],
        prices: &[
            ServicePriceSpec {
                id: "alb-hour",
                usage_type: "LoadBalancerUsage",
                product_family: Some("Load Balancer-Application"),
                units: HOURS,
                new_row: None,
            },
            ServicePriceSpec {
                id: "alb-lcu-hour",
                usage_type: "LCUUsage",
                product_family: Some("Load Balancer-Application"),
                units: &["LCU-Hrs", "LCU-Hours"],
                new_row: None,
            },
        ],
    },
    ServiceQuery {
        service_code: "AmazonEC2",
        filters: &[("productFamily", "NAT Gateway")],
        prices: &[
            ServicePriceSpec {
                id: "nat-gateway-hour",
                usage_type: "NatGateway-Hours",
                product_family: Some("NAT Gateway"),
                units: HOURS,
                new_row: None,
            },
            ServicePriceSpec {
                id: "nat-gateway-gb",
                usage_type: "NatGateway-Bytes",
                product_family: Some("NAT Gateway"),
                units: GB,
                new_row: None,
            },
        ],
    },
    ServiceQuery {
        service_code: "AmazonEC2",
        filters: &[("productFamily", "Storage"), ("volumeApiName", "gp3")],
        prices: &[ServicePriceSpec {
            id: "ebs-gp3-gb-month",
            usage_type: "EBS:VolumeUsage.gp3",
            product_family: Some("Storage"),
            units: &["GB-Mo", "GB-Month"],
            new_row: None,
        }],
    },
    ServiceQuery {
        service_code: "awskms",
        filters: &[],
        prices: &[ServicePriceSpec {
            id: "kms-key-month",
            usage_type: "KMS-Keys",
            product_family: None,
            units: &["Keys", "Key-Mo", "Keys-Mo"],
            new_row: Some(("KMS customer managed key", "per key-month")),
        }],
    },
    ServiceQuery {
        service_code: "AWSSecretsManager",
        filters: &[],
        prices: &[ServicePriceSpec {
            id: "secrets-manager-secret-month",
            usage_type: "AWSSecretsManager-Secrets",
            product_family: None,
            units: &["Secrets", "Secret-Mo", "Secrets-Mo"],
            new_row: Some(("Secrets Manager secret", "per secret-month")),
        }],
    },
    ServiceQuery {
        service_code: "AmazonVPC",
        filters: &[],
        prices: &[
            ServicePriceSpec {
                id: "transit-gateway-attachment-hour",
                usage_type: "TransitGateway-Hours",
                product_family: None,
                units: HOURS,
                new_row: Some(("Transit Gateway attachment", "per attachment-hour")),
            },
            ServicePriceSpec {
                id: "transit-gateway-gb",
                usage_type: "TransitGateway-Bytes",
                product_family: None,
                units: GB,
                new_row: Some(("Transit Gateway data processed", "per GB")),
            },
        ],
    },
    ServiceQuery {
        service_code: "AmazonRDS",
        filters: &[("productFamily", "Database Storage")],
        prices: &[ServicePriceSpec {
            id: "rds-gp3-gb-month",
            usage_type: "RDS:GP3-Storage",
            product_family: Some("Database Storage"),
            units: &["GB-Mo", "GB-Month"],
            new_row: Some(("RDS gp3 storage (Single-AZ; Multi-AZ bills it twice)", "per GB-month")),
        }],
    },
    ServiceQuery {
        service_code: "AmazonCloudWatch",
        filters: &[],
        prices: &[ServicePriceSpec {
            id: "cloudwatch-logs-ingest-gb",
            usage_type: "DataProcessing-Bytes",
            product_family: None,
            units: GB,
            new_row: None,
        }],
    },
];

/// The catalog row (id, description) a node-class element prices, from its attributes.
pub type NodeRow = fn(&Map<String, Value>) -> Option<(String, String)>;

/// A query whose elements each price one node class: RDS instances and ElastiCache nodes. A
/// refresh adds a catalog row per class (and deployment), since the embedded catalog holds
/// only the few classes it has sourced readings for.
#[derive(Debug)]
pub struct NodeClassQuery {
    /// The Price List service code.
    pub service_code: &'static str,
    /// TERM_MATCH filters besides `regionCode`.
    pub filters: &'static [(&'static str, &'static str)],
    /// The catalog row an element's attributes price, as (id, description); `None` for the
    /// neighbours a query also returns (other engines, Outposts, cluster deployments).
    pub row: NodeRow,
    /// The catalog unit of its rows.
    pub unit: &'static str,
}

/// RDS for PostgreSQL instances (Single-AZ and Multi-AZ with one standby) and ElastiCache
/// nodes (Redis OSS and Valkey): what Heroku Postgres and Key-Value Store plans map to.
///
/// Attribute shapes assumed (from AWS's Price List documentation and readers' tests; never
/// checked against a live answer here): AmazonRDS `Database Instance` elements carry
/// `instanceType` (`db.m6g.large`), `databaseEngine` (`PostgreSQL`; Aurora is `Aurora
/// PostgreSQL`), `deploymentOption` (`Single-AZ`, `Multi-AZ`, and `Multi-AZ (readable
/// standbys)` for clusters, not matched), `locationType` (`AWS Region`; Outposts not
/// matched); AmazonElastiCache `Cache Instance` elements `instanceType` (`cache.m6g.large`) and
/// `cacheEngine` (`Redis`, `Valkey`, `Memcached`). Specs (`vcpu`, `memory`) go into the
/// description when present.
pub const NODE_CLASS_QUERIES: &[NodeClassQuery] = &[
    NodeClassQuery {
        service_code: "AmazonRDS",
        filters: &[("productFamily", "Database Instance"), ("databaseEngine", "PostgreSQL")],
        row: rds_postgresql_row,
        unit: "per instance-hour",
    },
    NodeClassQuery {
        service_code: "AmazonElastiCache",
        filters: &[("productFamily", "Cache Instance")],
        row: elasticache_row,
        unit: "per node-hour",
    },
];

/// An element for another region than the one asked for is an error: the API's filter failed.
fn check_region(at: At<'_>, sku: Option<&str>, region_code: Option<&str>) -> Result<(), RefreshError> {
    match region_code.filter(|c| *c != at.region) {
        Some(code) => {
            Err(at.error(sku, "product.attributes.regionCode", format!("`{code}`, not the region asked for")))
        }
        None => Ok(()),
    }
}

fn text<'a>(attrs: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    attrs.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// `, 2 vCPU, 8 GiB` from the element's specs, as far as it has them.
fn specs(attrs: &Map<String, Value>) -> String {
    let mut out = String::new();
    if let Some(vcpu) = text(attrs, "vcpu") {
        write!(out, ", {vcpu} vCPU").expect("to a String");
    }
    if let Some(memory) = text(attrs, "memory").filter(|m| *m != "NA") {
        write!(out, ", {memory}").expect("to a String");
    }
    out
}

fn in_a_region(attrs: &Map<String, Value>) -> bool {
    text(attrs, "locationType").is_none_or(|t| t == "AWS Region")
}

/// `rds-postgresql:<class>:single-az|multi-az`.
fn rds_postgresql_row(attrs: &Map<String, Value>) -> Option<(String, String)> {
    if text(attrs, "databaseEngine")? != "PostgreSQL" || !in_a_region(attrs) {
        return None;
    }
    let class = text(attrs, "instanceType").filter(|c| c.starts_with("db."))?;
    let (deployment, label) = match text(attrs, "deploymentOption")? {
        "Single-AZ" => ("single-az", "Single-AZ"),
        "Multi-AZ" => ("multi-az", "Multi-AZ, one standby"),
        _ => return None,
    };
    Some((
        format!("rds-postgresql:{class}:{deployment}"),
        format!("RDS for PostgreSQL {class} ({label}{})", specs(attrs)),
    ))
}

/// `elasticache-redis:<node type>` or `elasticache-valkey:<node type>`.
fn elasticache_row(attrs: &Map<String, Value>) -> Option<(String, String)> {
    if !in_a_region(attrs) {
        return None;
    }
    let (engine, label) = match text(attrs, "cacheEngine")? {
        "Redis" => ("redis", "Redis OSS"),
        "Valkey" => ("valkey", "Valkey"),
        _ => return None,
    };
    let node = text(attrs, "instanceType").filter(|c| c.starts_with("cache."))?;
    Some((format!("elasticache-{engine}:{node}"), format!("ElastiCache {label} {node} (node{})", specs(attrs))))
}

const PAGE_SIZE: i32 = 100;
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a refresh failed.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// The API call failed (after the SDK's retries): credentials, network, throttling, …
    #[error("GetProducts {service_code} for {region} failed: {message}")]
    Api {
        /// `AmazonEC2` or `AmazonECS`.
        service_code: String,
        /// The region asked for.
        region: String,
        /// The SDK's error with its causes.
        message: String,
    },
    /// A `PriceList` element could not be read.
    #[error(transparent)]
    Element(Box<ElementError>),
    /// The API answered with no instance prices at all: applying that would empty the region.
    #[error("GetProducts AmazonEC2 for {region}: no Linux on-demand instance prices (is `{region}` a region code?)")]
    NoOffers {
        /// The region asked for.
        region: String,
    },
}

/// A `PriceList` element that could not be read: which one, which field, what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("GetProducts {service_code} for {region}: {}: field `{field}`: {message}", describe(.sku, *.page, *.index))]
pub struct ElementError {
    /// `AmazonEC2` or `AmazonECS`.
    pub service_code: String,
    /// The region asked for.
    pub region: String,
    /// The product's SKU, when it could be read.
    pub sku: Option<String>,
    /// The page (from 1).
    pub page: usize,
    /// The element's index in that page's `PriceList` (from 0).
    pub index: usize,
    /// The field, as a path in the element.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

fn describe(sku: &Option<String>, page: usize, index: usize) -> String {
    match sku {
        Some(sku) => format!("SKU {sku} (page {page}, PriceList[{index}])"),
        None => format!("page {page}, PriceList[{index}] (no readable SKU)"),
    }
}

/// Where an element is, for errors.
#[derive(Clone, Copy)]
struct At<'a> {
    service_code: &'a str,
    region: &'a str,
    page: usize,
    index: usize,
}

impl At<'_> {
    fn error(&self, sku: Option<&str>, field: &str, message: impl Into<String>) -> RefreshError {
        RefreshError::Element(Box::new(ElementError {
            service_code: self.service_code.into(),
            region: self.region.into(),
            sku: sku.map(str::to_string),
            page: self.page,
            index: self.index,
            field: field.into(),
            message: message.into(),
        }))
    }
}

fn term_match(field: &str, value: &str) -> Filter {
    Filter::builder()
        .r#type(FilterType::TermMatch)
        .field(field)
        .value(value)
        .build()
        .expect("type, field and value are all set")
}

/// Every page of GetProducts for `service_code` with `filters`, element by element.
async fn for_each_element(
    client: &Client,
    service_code: &str,
    region: &str,
    filters: Vec<Filter>,
    mut f: impl FnMut(At<'_>, &str) -> Result<(), RefreshError>,
) -> Result<(), RefreshError> {
    let mut pages = client
        .get_products()
        .service_code(service_code)
        .format_version("aws_v1")
        .set_filters(Some(filters))
        .max_results(PAGE_SIZE)
        .into_paginator()
        .send();
    let mut page = 0;
    while let Some(output) = pages.next().await {
        page += 1;
        let output: GetProductsOutput = output.map_err(|e| api_error(service_code, region, e))?;
        tracing::debug!(service_code, region, page, elements = output.price_list().len(), "GetProducts page");
        for (index, element) in output.price_list().iter().enumerate() {
            f(At { service_code, region, page, index }, element)?;
        }
    }
    Ok(())
}

fn api_error<E, R>(service_code: &str, region: &str, e: SdkError<E, R>) -> RefreshError
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let mut message = DisplayErrorContext(&e).to_string();
    if matches!(e, SdkError::ConstructionFailure(_)) || message.contains("credentials") {
        message.push_str(" (the refresh needs AWS credentials allowed pricing:GetProducts)");
    }
    RefreshError::Api { service_code: service_code.into(), region: region.into(), message }
}

/// Reads an element as JSON; a broken one is named by the SKU it seems to carry, if any.
fn parse_element(at: At<'_>, element: &str) -> Result<Value, RefreshError> {
    serde_json::from_str(element)
        .map_err(|e| at.error(sku_in_text(element).as_deref(), "(element)", format!("not JSON: {e}")))
}

/// The first `"sku":"…"` in text that is not valid JSON.
fn sku_in_text(text: &str) -> Option<String> {
    let start = text.find("\"sku\"")? + 5;
    let rest = text[start..].trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let sku: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    (!sku.is_empty()).then_some(sku)
}

fn attributes<'v>(at: At<'_>, sku: Option<&str>, v: &'v Value) -> Result<&'v Map<String, Value>, RefreshError> {
    v.pointer("/product/attributes")
        .and_then(Value::as_object)
        .ok_or_else(|| at.error(sku, "product.attributes", "missing or not an object"))
}

/// The on-demand price: the first dimension whose unit is `unit` (any unit when `None`).
fn on_demand_usd(at: At<'_>, sku: Option<&str>, v: &Value, unit: Option<&str>) -> Result<Decimal, RefreshError> {
    let terms = v
        .pointer("/terms/OnDemand")
        .and_then(Value::as_object)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| at.error(sku, "terms.OnDemand", "missing: no on-demand price"))?;
    for (term_code, term) in terms {
        let Some(dimensions) = term.get("priceDimensions").and_then(Value::as_object) else {
            return Err(at.error(sku, &format!("terms.OnDemand.{term_code}.priceDimensions"), "missing"));
        };
        for (rate_code, d) in dimensions {
            if unit.is_some_and(|u| d.get("unit").and_then(Value::as_str) != Some(u)) {
                continue;
            }
            let field = format!("terms.OnDemand.{term_code}.priceDimensions.{rate_code}.pricePerUnit.USD");
            let text = d
                .pointer("/pricePerUnit/USD")
                .and_then(Value::as_str)
                .ok_or_else(|| at.error(sku, &field, "missing: no USD price"))?;
            let usd = Decimal::from_str(text.trim())
                .map_err(|_| at.error(sku, &field, format!("`{text}` is not a number")))?;
            if usd <= Decimal::ZERO {
                return Err(at.error(sku, &field, format!("`{text}` is not a positive price")));
            }
            return Ok(usd.normalize());
        }
    }
    let what = unit.map_or(String::new(), |u| format!(" with unit `{u}`"));
    Err(at.error(sku, "terms.OnDemand", format!("missing: no price dimension{what}")))
}

/// `version` and the `YYYY-MM-DD` of `publicationDate`.
fn version_and_date(at: At<'_>, sku: Option<&str>, v: &Value) -> Result<(String, String), RefreshError> {
    let version = v
        .get("version")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| at.error(sku, "version", "missing"))?;
    let published =
        v.get("publicationDate").and_then(Value::as_str).ok_or_else(|| at.error(sku, "publicationDate", "missing"))?;
    let date = published
        .get(..10)
        .filter(|d| d.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() }));
    let date = date.ok_or_else(|| at.error(sku, "publicationDate", format!("`{published}` is not a date")))?;
    Ok((version.to_string(), date.to_string()))
}

/// `"16 GiB"`, `"1,952 GiB"`, `"0.5 GiB"`; `None` for `"NA"` and the like.
fn memory_gib(text: &str) -> Option<Decimal> {
    let number = text.trim().strip_suffix("GiB")?.trim().replace(',', "");
    Decimal::from_str(&number).ok().filter(|m| *m > Decimal::ZERO).map(|m| m.normalize())
}

fn arch(processor_architecture: Option<&str>, physical_processor: Option<&str>) -> Option<Arch> {
    let pa = processor_architecture.unwrap_or("").to_ascii_lowercase();
    let pp = physical_processor.unwrap_or("").to_ascii_lowercase();
    if pp.contains("graviton") || pa.contains("arm") || pp.starts_with("apple m") {
        Some(Arch::Arm64)
    } else if pa.is_empty() && pp.is_empty() {
        None
    } else {
        Some(Arch::X86_64)
    }
}

/// One AmazonEC2 `PriceList` element as an offer, with its SKU.
fn ec2_offer(at: At<'_>, element: &str) -> Result<(String, Ec2Offer), RefreshError> {
    let v = parse_element(at, element)?;
    let sku = v.pointer("/product/sku").and_then(Value::as_str).filter(|s| !s.is_empty());
    let attrs = attributes(at, sku, &v)?;
    let attr = |k: &str| text(attrs, k);
    let instance_type =
        attr("instanceType").ok_or_else(|| at.error(sku, "product.attributes.instanceType", "missing"))?;
    check_region(at, sku, attr("regionCode"))?;
    let usd_per_hour = on_demand_usd(at, sku, &v, Some("Hrs"))?;
    let (version, as_of) = version_and_date(at, sku, &v)?;
    let vcpu = attr("vcpu").and_then(|s| s.parse().ok());
    let memory = attr("memory").and_then(memory_gib);
    if vcpu.is_none() || memory.is_none() {
        tracing::debug!(instance_type, sku, vcpu = attr("vcpu"), memory = attr("memory"), "specs not read");
    }
    let offer = Ec2Offer {
        region: at.region.to_string(),
        instance_type: instance_type.to_string(),
        usd_per_hour,
        vcpu,
        memory_gib: memory,
        arch: arch(attr("processorArchitecture"), attr("physicalProcessor")),
        source: format!("AWS Price List Query API GetProducts AmazonEC2 version {version}"),
        as_of,
    };
    Ok((sku.unwrap_or("").to_string(), offer))
}

/// Every on-demand Linux shared-tenancy instance price in `region`, one per instance type
/// (the lowest, should the API return several), sorted by type.
pub async fn fetch_ec2(client: &Client, region: &str) -> Result<Vec<Ec2Offer>, RefreshError> {
    let filters = std::iter::once(term_match("regionCode", region))
        .chain(EC2_FILTERS.iter().map(|(field, value)| term_match(field, value)))
        .collect();
    let mut best: BTreeMap<String, (String, Ec2Offer)> = BTreeMap::new();
    for_each_element(client, "AmazonEC2", region, filters, |at, element| {
        let (sku, offer) = ec2_offer(at, element)?;
        match best.get(&offer.instance_type) {
            Some((kept_sku, kept)) => {
                let keep_new = offer.usd_per_hour < kept.usd_per_hour;
                tracing::debug!(
                    instance_type = %offer.instance_type,
                    kept_sku = %if keep_new { &sku } else { kept_sku },
                    dropped_sku = %if keep_new { kept_sku } else { &sku },
                    prices = %format!("{} and {}", kept.usd_per_hour, offer.usd_per_hour),
                    "several offers for one instance type; keeping the lowest price"
                );
                if keep_new {
                    best.insert(offer.instance_type.clone(), (sku, offer));
                }
            }
            None => {
                best.insert(offer.instance_type.clone(), (sku, offer));
            }
        }
        Ok(())
    })
    .await?;
    if best.is_empty() {
        return Err(RefreshError::NoOffers { region: region.into() });
    }
    Ok(best.into_values().map(|(_, offer)| offer).collect())
}

/// The catalog id an AmazonECS usage type prices: `USE1-Fargate-GB-Hours` (or the bare
/// `Fargate-GB-Hours`) is `fargate-linux-x86-gb`; Spot, Windows and others are none.
fn fargate_id(usage_type: &str) -> Option<&'static str> {
    let bare = match usage_type.split_once('-') {
        Some((prefix, rest))
            if !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) =>
        {
            rest
        }
        _ => usage_type,
    };
    FARGATE_USAGE_TYPES.iter().find(|(u, _)| *u == bare || *u == usage_type).map(|(_, id)| *id)
}

/// The Fargate Linux prices (vCPU, memory, x86 and Arm, ephemeral storage) in `region`,
/// in [`FARGATE_USAGE_TYPES`] order; those the API does not list are absent.
pub async fn fetch_fargate(client: &Client, region: &str) -> Result<Vec<ServiceOffer>, RefreshError> {
    let mut found: BTreeMap<&'static str, ServiceOffer> = BTreeMap::new();
    for_each_element(client, "AmazonECS", region, vec![term_match("regionCode", region)], |at, element| {
        let v = parse_element(at, element)?;
        let sku = v.pointer("/product/sku").and_then(Value::as_str).filter(|s| !s.is_empty());
        let attrs = attributes(at, sku, &v)?;
        let Some(usage_type) = attrs.get("usagetype").and_then(Value::as_str) else { return Ok(()) };
        let Some(id) = fargate_id(usage_type) else { return Ok(()) };
        let usd = on_demand_usd(at, sku, &v, None)?;
        let (version, as_of) = version_and_date(at, sku, &v)?;
        let offer = ServiceOffer {
            id: id.to_string(),
            region: at.region.to_string(),
            usd,
            source: format!("AWS Price List Query API GetProducts AmazonECS ({usage_type}) version {version}"),
            as_of,
            description: None,
            unit: None,
        };
        keep_lowest(&mut found, id, offer, sku);
        Ok(())
    })
    .await?;
    Ok(FARGATE_USAGE_TYPES.iter().filter_map(|(_, id)| found.remove(id)).collect())
}

/// Keeps `offer` under `key` unless a price no higher is already kept: the API may list one
/// usage type or class more than once.
fn keep_lowest<K: Ord + std::fmt::Debug>(
    found: &mut BTreeMap<K, ServiceOffer>,
    key: K,
    offer: ServiceOffer,
    sku: Option<&str>,
) {
    match found.get(&key) {
        Some(kept) if kept.usd <= offer.usd => {
            tracing::debug!(?key, sku, kept = %kept.usd, dropped = %offer.usd, "several prices; keeping the lowest");
        }
        _ => {
            found.insert(key, offer);
        }
    }
}

/// Whether `usage_type` is `bare` with or without a region prefix.
fn usage_type_is(usage_type: &str, bare: &str) -> bool {
    usage_type == bare || usage_type.strip_suffix(bare).is_some_and(|p| p.ends_with('-'))
}

/// The on-demand price of the first tier among the dimensions whose unit is one of `units`:
/// (beginRange, USD). The same rules as [`on_demand_usd`]: a matching element without such a
/// dimension, or whose price is not a positive number, is an error.
fn first_tier_usd(
    at: At<'_>,
    sku: Option<&str>,
    v: &Value,
    units: &[&str],
) -> Result<(Decimal, Decimal), RefreshError> {
    let terms = v
        .pointer("/terms/OnDemand")
        .and_then(Value::as_object)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| at.error(sku, "terms.OnDemand", "missing: no on-demand price"))?;
    let mut best: Option<(Decimal, String, &Value)> = None;
    for (term_code, term) in terms {
        let Some(dimensions) = term.get("priceDimensions").and_then(Value::as_object) else {
            return Err(at.error(sku, &format!("terms.OnDemand.{term_code}.priceDimensions"), "missing"));
        };
        for (rate_code, d) in dimensions {
            let unit = d.get("unit").and_then(Value::as_str).unwrap_or("");
            if !units.iter().any(|u| u.eq_ignore_ascii_case(unit.trim())) {
                continue;
            }
            let path = format!("terms.OnDemand.{term_code}.priceDimensions.{rate_code}");
            let begin_text = d
                .get("beginRange")
                .and_then(Value::as_str)
                .ok_or_else(|| at.error(sku, &format!("{path}.beginRange"), "missing"))?;
            let begin = Decimal::from_str(begin_text.trim())
                .map_err(|_| at.error(sku, &format!("{path}.beginRange"), format!("`{begin_text}` is not a number")))?;
            if best.as_ref().is_none_or(|(b, _, _)| begin < *b) {
                best = Some((begin, path, d));
            }
        }
    }
    let Some((begin, path, d)) = best else {
        return Err(at.error(
            sku,
            "terms.OnDemand",
            format!("missing: no price dimension with unit `{}`", units.join("` or `")),
        ));
    };
    let field = format!("{path}.pricePerUnit.USD");
    let text = d
        .pointer("/pricePerUnit/USD")
        .and_then(Value::as_str)
        .ok_or_else(|| at.error(sku, &field, "missing: no USD price"))?;
    let usd = Decimal::from_str(text.trim()).map_err(|_| at.error(sku, &field, format!("`{text}` is not a number")))?;
    if usd <= Decimal::ZERO {
        return Err(at.error(sku, &field, format!("`{text}` is not a positive price")));
    }
    Ok((begin, usd.normalize()))
}

/// One element of `query`'s answer as a price for one of its ids; `None` when it prices
/// nothing the catalog holds.
fn service_price(
    at: At<'_>,
    element: &str,
    query: &'static ServiceQuery,
) -> Result<Option<(&'static ServicePriceSpec, Decimal, ServiceOffer)>, RefreshError> {
    let v = parse_element(at, element)?;
    let sku = v.pointer("/product/sku").and_then(Value::as_str).filter(|s| !s.is_empty());
    let attrs = attributes(at, sku, &v)?;
    let Some(usage_type) = attrs.get("usagetype").and_then(Value::as_str).map(str::trim) else { return Ok(None) };
    let family = v.pointer("/product/productFamily").and_then(Value::as_str);
    let Some(spec) = query
        .prices
        .iter()
        .find(|p| usage_type_is(usage_type, p.usage_type) && p.product_family.is_none_or(|f| Some(f) == family))
    else {
        return Ok(None);
    };
    check_region(at, sku, attrs.get("regionCode").and_then(Value::as_str))?;
    let (begin, usd) = first_tier_usd(at, sku, &v, spec.units)?;
    let (version, as_of) = version_and_date(at, sku, &v)?;
    let offer = ServiceOffer {
        id: spec.id.to_string(),
        region: at.region.to_string(),
        usd,
        source: format!("AWS Price List Query API GetProducts {} ({usage_type}) version {version}", query.service_code),
        as_of,
        description: spec.new_row.map(|(d, _)| d.to_string()),
        unit: spec.new_row.map(|(_, u)| u.to_string()),
    };
    Ok(Some((spec, begin, offer)))
}

/// The supporting-service prices of [`SERVICE_QUERIES`] in `region`, in that order; ids the
/// API returns nothing for are absent (their catalog rows stay as they are).
pub async fn fetch_services(client: &Client, region: &str) -> Result<Vec<ServiceOffer>, RefreshError> {
    let mut found: BTreeMap<&'static str, (Decimal, ServiceOffer)> = BTreeMap::new();
    for query in SERVICE_QUERIES {
        let filters = std::iter::once(term_match("regionCode", region))
            .chain(query.filters.iter().map(|(field, value)| term_match(field, value)))
            .collect();
        for_each_element(client, query.service_code, region, filters, |at, element| {
            let Some((spec, begin, offer)) = service_price(at, element, query)? else { return Ok(()) };
            match found.get(spec.id) {
                Some((kept_begin, kept)) if *kept_begin <= begin => {
                    tracing::debug!(id = spec.id, kept = %kept.usd, dropped = %offer.usd, "several prices; keeping the first tier, first read");
                }
                _ => {
                    found.insert(spec.id, (begin, offer));
                }
            }
            Ok(())
        })
        .await?;
    }
    Ok(service_ids().filter_map(|id| found.remove(id)).map(|(_, offer)| offer).collect())
}

/// The RDS for PostgreSQL and ElastiCache node prices of [`NODE_CLASS_QUERIES`] in `region`,
/// one row per class (the lowest, should the API list one twice), sorted by id.
pub async fn fetch_node_classes(client: &Client, region: &str) -> Result<Vec<ServiceOffer>, RefreshError> {
    let mut found: BTreeMap<String, ServiceOffer> = BTreeMap::new();
    for query in NODE_CLASS_QUERIES {
        let filters = std::iter::once(term_match("regionCode", region))
            .chain(query.filters.iter().map(|(field, value)| term_match(field, value)))
            .collect();
        for_each_element(client, query.service_code, region, filters, |at, element| {
            let v = parse_element(at, element)?;
            let sku = v.pointer("/product/sku").and_then(Value::as_str).filter(|s| !s.is_empty());
            let attrs = attributes(at, sku, &v)?;
            let Some((id, description)) = (query.row)(attrs) else { return Ok(()) };
            check_region(at, sku, text(attrs, "regionCode"))?;
            let usd = on_demand_usd(at, sku, &v, Some("Hrs"))?;
            let (version, as_of) = version_and_date(at, sku, &v)?;
            let usage_type = text(attrs, "usagetype").unwrap_or("");
            let offer = ServiceOffer {
                id: id.clone(),
                region: at.region.to_string(),
                usd,
                source: format!(
                    "AWS Price List Query API GetProducts {} ({usage_type}) version {version}",
                    query.service_code
                ),
                as_of,
                description: Some(description),
                unit: Some(query.unit.to_string()),
            };
            keep_lowest(&mut found, id, offer, sku);
            Ok(())
        })
        .await?;
    }
    Ok(found.into_values().collect())
}

/// Every id of [`SERVICE_QUERIES`], in order.
pub fn service_ids() -> impl Iterator<Item = &'static str> {
    SERVICE_QUERIES.iter().flat_map(|q| q.prices.iter().map(|p| p.id))
}

/// A Price List client for [`API_REGION`] with the default credential chain, sending to
/// `endpoint_url` when given.
pub async fn client(endpoint_url: Option<&str>) -> Client {
    let shared = aws_config::defaults(BehaviorVersion::latest()).region(Region::new(API_REGION)).load().await;
    let mut config = aws_sdk_pricing::config::Builder::from(&shared).timeout_config(
        aws_sdk_pricing::config::timeout::TimeoutConfig::builder().operation_attempt_timeout(ATTEMPT_TIMEOUT).build(),
    );
    if let Some(url) = endpoint_url {
        config = config.endpoint_url(url);
    }
    Client::from_conf(config.build())
}

fn is_region_code(r: &str) -> bool {
    !r.is_empty()
        && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && r.contains('-')
        && r.ends_with(|c: char| c.is_ascii_digit())
}

/// Refreshes `regions` from the Price List Query API into `dir`; returns the diff summary.
/// Every region is read before anything is written, so a failure leaves `dir` as it was.
/// Not to be called from inside a Tokio runtime (it runs its own).
pub fn run(regions: &[String], dir: &Path, endpoint_url: Option<&str>) -> Result<String, PricingError> {
    let mut wanted: Vec<&str> = Vec::new();
    for r in regions {
        let r = r.trim();
        if !is_region_code(r) {
            return Err(PricingError::Usage(format!("`{r}` is not an AWS region code (e.g. us-east-1)")));
        }
        if !wanted.contains(&r) {
            wanted.push(r);
        }
    }
    if wanted.is_empty() {
        return Err(PricingError::Usage("give at least one --region".into()));
    }
    if let Some(url) = endpoint_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(PricingError::Usage(format!("--endpoint-url `{url}`: not an http:// or https:// URL")));
        }
    }

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(PricingError::Runtime)?;
    let (by_region, fargate, supporting, nodes) = runtime.block_on(async {
        let client = client(endpoint_url).await;
        let mut by_region = Vec::new();
        let (mut fargate, mut supporting, mut nodes) = (Vec::new(), Vec::new(), Vec::new());
        for region in &wanted {
            by_region.push((region.to_string(), fetch_ec2(&client, region).await?));
            if *region == SERVICES_REGION {
                fargate = fetch_fargate(&client, region).await?;
                supporting = fetch_services(&client, region).await?;
                nodes = fetch_node_classes(&client, region).await?;
            }
        }
        Ok::<_, RefreshError>((by_region, fargate, supporting, nodes))
    })?;
    let services: Vec<ServiceOffer> = fargate.iter().chain(&supporting).chain(&nodes).cloned().collect();

    let diffs = super::apply_and_write(dir, &by_region, &services, &crate::table::today())?;
    let mut out = String::new();
    for (region, diff) in &diffs {
        let read = by_region.iter().find(|(r, _)| r == region).map_or(0, |(_, o)| o.len());
        write!(out, "{region} ({read} instance prices read): {diff}").expect("to a String");
    }
    if wanted.contains(&SERVICES_REGION) {
        writeln!(
            out,
            "Fargate ({SERVICES_REGION}): {} of {} prices read: {}",
            fargate.len(),
            FARGATE_USAGE_TYPES.len(),
            fargate.iter().map(|s| format!("{} {}", s.id, s.usd)).collect::<Vec<_>>().join(", ")
        )
        .expect("to a String");
        let missing: Vec<&str> = service_ids().filter(|id| !supporting.iter().any(|s| s.id == *id)).collect();
        writeln!(
            out,
            "Supporting services ({SERVICES_REGION}): {} of {} prices read: {}",
            supporting.len(),
            service_ids().count(),
            supporting.iter().map(|s| format!("{} {}", s.id, s.usd)).collect::<Vec<_>>().join(", ")
        )
        .expect("to a String");
        if !missing.is_empty() {
            writeln!(out, "  not returned by the API, catalog rows left as they were: {}", missing.join(", "))
                .expect("to a String");
        }
        let count = |prefix: &str| nodes.iter().filter(|n| n.id.starts_with(prefix)).count();
        writeln!(
            out,
            "Managed databases and caches ({SERVICES_REGION}): {} RDS for PostgreSQL prices (class × deployment), \
             {} ElastiCache Redis OSS and {} Valkey node prices",
            count("rds-postgresql:"),
            count("elasticache-redis:"),
            count("elasticache-valkey:")
        )
        .expect("to a String");
    }
    writeln!(out, "wrote {}", dir.display()).expect("to a String");
    Ok(out)
}
