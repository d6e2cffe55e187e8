//! The cross-check against AWS's own Pricing Calculator (`tco crosscheck`,
//! `POST /api/v1/crosscheck`): one option's plan becomes a workload estimate, AWS prices each
//! usage line itself, and both figures are shown side by side.
//!
//! [`prepare`] is the CPU part (the estimate and the usage lines, no I/O); [`connect`] and
//! [`check`] are the network part, through `aws-sdk-bcmpricingcalculator` with the normal
//! credential chain and endpoint overrides. A workload estimate that was created is deleted
//! again unless it is to be kept, also when a later step fails.

pub mod aws;
pub mod usage;

pub use aws::{check, connect, Clients, Poll, Settings};
pub use usage::{NotSent, Outgoing, PlanError, Planned};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tco_engine::{Catalog, EstimateError, Platform, PricingModel, Scenario, Usd};

/// The calculator's rate types: public prices, the account's discounts, and discounts with
/// the account's existing commitments (Savings Plans, Reserved Instances).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RateType {
    /// Public on-demand prices.
    #[default]
    BeforeDiscounts,
    /// Net of the account's discounts.
    AfterDiscounts,
    /// Net of discounts and of the account's existing commitments.
    AfterDiscountsAndCommitments,
}

impl RateType {
    /// Every rate type, in the order the CLI lists them.
    pub const ALL: [RateType; 3] =
        [RateType::BeforeDiscounts, RateType::AfterDiscounts, RateType::AfterDiscountsAndCommitments];

    /// The CLI and API name, e.g. `before-discounts`.
    pub fn as_str(self) -> &'static str {
        match self {
            RateType::BeforeDiscounts => "before-discounts",
            RateType::AfterDiscounts => "after-discounts",
            RateType::AfterDiscountsAndCommitments => "after-discounts-and-commitments",
        }
    }

    /// From the CLI and API name.
    pub fn parse(name: &str) -> Option<RateType> {
        RateType::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// One option's plan ready to send: the lines, and what the output says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The option's target.
    pub target: Platform,
    /// Its label, e.g. `ECS on EC2`.
    pub label: String,
    /// Its region.
    pub region: String,
    /// Hours in the month every amount assumes.
    pub hours_per_month: u32,
    /// The lines, split into sent and not sent.
    pub planned: Planned,
    /// Things the reader should know.
    pub notes: Vec<String>,
}

/// Estimates `scenario` on-demand (the calculator prices usage; it buys no commitments) and
/// turns the chosen option into usage lines: `target`'s, or the cheapest option's.
pub fn prepare(
    mut scenario: Scenario,
    catalog: &Catalog,
    target: Option<Platform>,
) -> Result<Prepared, CrosscheckError> {
    let mut notes = Vec::new();
    let a = &mut scenario.assumptions;
    if a.pricing != PricingModel::OnDemand {
        notes.push(format!(
            "The scenario prices compute as {}; the cross-check compares on-demand usage, which is what the \
             calculator prices (it buys no new commitments: the after-discounts-and-commitments rate type \
             applies the account's existing ones)",
            a.pricing.label()
        ));
        a.pricing = PricingModel::OnDemand;
    }
    if let Some(t) = target {
        a.targets = vec![t];
    }
    // One region: AWS's calculator prices a workload estimate's lines one region each, and the
    // comparison is of one plan.
    let regions = a.estimated_regions();
    if regions.len() > 1 {
        notes.push(format!(
            "The scenario compares {} regions; the cross-check checks {} (give --region to check another)",
            regions.len(),
            regions[0]
        ));
    }
    a.region = regions[0].clone();
    a.regions.clear();
    let report = tco_engine::estimate(&scenario, catalog)?;
    let option = match target {
        Some(t) => report.options.iter().find(|o| o.platform == t),
        None => report.options.iter().min_by_key(|o| o.monthly_usd),
    }
    .ok_or_else(|| CrosscheckError::NoOption(target.map(|t| t.as_str().to_string()).unwrap_or_default()))?;
    let planned = usage::plan(option, &option.region)?;
    if planned.outgoing.is_empty() {
        return Err(CrosscheckError::NothingToSend(option.label.clone()));
    }
    Ok(Prepared {
        target: option.platform,
        label: option.label.clone(),
        region: option.region.clone(),
        hours_per_month: report.hours_per_month,
        planned,
        notes,
    })
}

/// The cross-check's answer: AWS's figures beside ours.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Crosscheck {
    /// The workload estimate's id (deleted again unless kept).
    pub estimate_id: String,
    /// The rate type AWS priced at, as AWS names it (`BEFORE_DISCOUNTS`, …).
    pub rate_type: String,
    /// The estimate's status when read: `VALID`.
    pub status: String,
    /// AWS's total for the lines sent, USD per month.
    #[schema(value_type = f64)]
    pub aws_monthly_usd: Usd,
    /// Ours for the same lines, USD per month.
    #[schema(value_type = f64)]
    pub ours_monthly_usd: Usd,
    /// AWS's minus ours, USD per month.
    #[schema(value_type = f64)]
    pub difference_usd: Usd,
    /// Every line sent, with both figures.
    pub lines: Vec<CheckedLine>,
    /// Every cost line (or part) not sent, with the reason.
    pub not_sent: Vec<NotSent>,
    /// The option checked, e.g. `ecs-ec2`.
    pub target: String,
    /// Its label.
    pub label: String,
    /// Its region.
    pub region: String,
    /// The account the estimate was made in.
    pub account_id: String,
    /// Hours in the month every amount assumes.
    pub hours_per_month: u32,
    /// Whether the workload estimate was kept in the account (`--keep`).
    pub kept: bool,
    /// Things the reader should know (a rate type AWS did not grant, the pricing model).
    pub notes: Vec<String>,
}

/// One usage line with AWS's figure and ours.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CheckedLine {
    /// The cost line it comes from.
    pub category: String,
    /// Price List service code.
    pub service_code: String,
    /// Usage type with the region's prefix.
    pub usage_type: String,
    /// Operation.
    pub operation: String,
    /// Quantity per month, in `unit`.
    #[schema(value_type = f64)]
    pub amount: Decimal,
    /// The unit sent.
    pub unit: String,
    /// AWS's cost, USD per month; absent when AWS did not price the line (see `aws_status`).
    #[schema(value_type = Option<f64>)]
    pub aws_usd: Option<Usd>,
    /// Ours, USD per month.
    #[schema(value_type = f64)]
    pub ours_usd: Usd,
    /// The line's status at AWS: `VALID`, `INVALID`, `STALE`, or `REJECTED` when the batch
    /// call refused it, `MISSING` when it was not listed back.
    pub aws_status: String,
    /// AWS's reason for a rejected line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_message: Option<String>,
    /// The quantity and unit AWS recorded, when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub aws_amount: Option<Decimal>,
    /// AWS's unit for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_unit: Option<String>,
    /// Where AWS located the usage (a region name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_location: Option<String>,
    /// How sure the reference is of the usage type and operation: `L` likely, `U`
    /// unconfirmed (`C` confirmed).
    pub confidence: String,
    /// About the mapping, where there is something to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What AWS answered, in the words of its error types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsErrorKind {
    /// `AccessDeniedException`: the identity lacks a permission.
    AccessDenied,
    /// `ThrottlingException`, after the SDK's retries.
    Throttling,
    /// `ValidationException`: a field AWS does not accept.
    Validation,
    /// `DataUnavailableException`.
    DataUnavailable,
    /// `ServiceQuotaExceededException`.
    QuotaExceeded,
    /// `ResourceNotFoundException`, `ConflictException`, `InternalServerException` or
    /// another answer of the service.
    Service,
    /// No answer: the connection, a timeout, an unreadable response.
    Unreachable,
}

/// Why a cross-check failed.
#[derive(Debug, thiserror::Error)]
pub enum CrosscheckError {
    /// No credentials: says what to configure.
    #[error(
        "AWS credentials are not configured ({0}). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or \
         AWS_PROFILE, or run with an IAM role, for an identity allowed {PERMISSIONS}"
    )]
    NotConfigured(String),
    /// The account id given is not one.
    #[error("account id `{0}`: an AWS account id is 12 digits")]
    BadAccountId(String),
    /// The scenario cannot be estimated.
    #[error(transparent)]
    Estimate(#[from] EstimateError),
    /// The region's usage types are not known.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The target is not among the scenario's options.
    #[error("the scenario has no option `{0}` to cross-check")]
    NoOption(String),
    /// Nothing in the option can be sent.
    #[error("{0}: none of its cost lines is usage the calculator can price (see not_sent)")]
    NothingToSend(String),
    /// AWS answered with an error.
    #[error("AWS Pricing Calculator {operation}: {code}: {message}")]
    Aws {
        /// The operation called.
        operation: &'static str,
        /// What kind of error.
        kind: AwsErrorKind,
        /// AWS's error code, e.g. `AccessDeniedException`.
        code: String,
        /// AWS's message.
        message: String,
    },
    /// The estimate did not become valid.
    #[error("AWS marked workload estimate {id} {status}: {message}")]
    EstimateFailed {
        /// The estimate.
        id: String,
        /// `INVALID` or `ACTION_NEEDED`.
        status: String,
        /// AWS's `failureMessage`.
        message: String,
    },
    /// AWS was still pricing when the time allowed ran out.
    #[error("AWS had not finished pricing workload estimate {id} after {seconds} s")]
    TimedOut {
        /// The estimate.
        id: String,
        /// Seconds waited.
        seconds: u64,
    },
    /// A step after the estimate was created failed; says what became of the estimate.
    #[error("{source} ({cleanup})")]
    AfterCreate {
        /// What failed.
        source: Box<CrosscheckError>,
        /// `workload estimate ID deleted`, `… kept`, or why deleting it failed.
        cleanup: String,
    },
}

impl CrosscheckError {
    /// The error itself, past what became of the estimate.
    pub fn root(&self) -> &CrosscheckError {
        match self {
            CrosscheckError::AfterCreate { source, .. } => source.root(),
            other => other,
        }
    }
}

/// The IAM actions a cross-check needs (reference section 4: the Batch* operations are
/// authorised by the `…WorkloadEstimateUsage` actions; STS GetCallerIdentity needs none).
pub const PERMISSIONS: &str = "bcm-pricing-calculator:CreateWorkloadEstimate, CreateWorkloadEstimateUsage, \
GetWorkloadEstimate, ListWorkloadEstimateUsage and DeleteWorkloadEstimate";

/// Checks an account id: 12 digits.
pub fn account_id(id: &str) -> Result<String, CrosscheckError> {
    let id = id.trim();
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id.to_string())
    } else {
        Err(CrosscheckError::BadAccountId(id.to_string()))
    }
}

/// The cross-check as tables: lines side by side, what was not sent, the totals.
pub fn render_table(c: &Crosscheck) -> String {
    use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};
    use tco_engine::format::usd;
    let mut out = format!(
        "AWS Pricing Calculator cross-check: {} in {} ({} hours a month), account {}, rate type {}\n\
         workload estimate {} ({}, {})\n",
        c.label,
        c.region,
        c.hours_per_month,
        c.account_id,
        c.rate_type,
        c.estimate_id,
        c.status,
        if c.kept { "kept" } else { "deleted" }
    );
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["line", "usage type", "operation", "amount", "ours", "AWS", "difference", "status"]);
    for l in &c.lines {
        let (aws, diff) = match l.aws_usd {
            Some(a) => (usd(a), signed_usd(a.amount() - l.ours_usd.amount())),
            None => ("—".to_string(), "—".to_string()),
        };
        t.add_row(vec![
            l.category.clone(),
            format!("{} {}", l.service_code, l.usage_type),
            l.operation.clone(),
            format!("{} {}", l.amount.normalize(), l.unit),
            usd(l.ours_usd),
            aws,
            diff,
            match &l.aws_message {
                Some(m) => format!("{}: {m}", l.aws_status),
                None => l.aws_status.clone(),
            },
        ]);
    }
    for i in 3..7 {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    out.push_str(&t.to_string());
    out.push('\n');
    out.push_str(&format!(
        "total per month: ours {}, AWS {}, difference {}\n",
        usd(c.ours_monthly_usd),
        usd(c.aws_monthly_usd),
        signed_usd(c.difference_usd.amount())
    ));
    if !c.not_sent.is_empty() {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec!["not sent", "ours", "why"]);
        for n in &c.not_sent {
            t.add_row(vec![n.category.clone(), usd(n.ours_usd), n.reason.clone()]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    for n in &c.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

/// `+$1.20` or `−$3.40`.
fn signed_usd(amount: Decimal) -> String {
    let abs = tco_engine::format::usd(Usd::new(amount.abs()));
    if amount.is_sign_negative() && !Usd::new(amount).rounded_to_cents().is_zero() {
        format!("−{abs}")
    } else {
        format!("+{abs}")
    }
}
