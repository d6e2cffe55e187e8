//! The calls to AWS: CreateWorkloadEstimate, BatchCreateWorkloadEstimateUsage (25 lines a
//! call), GetWorkloadEstimate until it leaves `UPDATING` (the service defines no waiter),
//! ListWorkloadEstimateUsage page by page, DeleteWorkloadEstimate; and STS
//! GetCallerIdentity for the account id when none is given.

use super::{account_id, AwsErrorKind, CheckedLine, Crosscheck, CrosscheckError, Prepared, RateType};
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_bcmpricingcalculator as bcm;
use aws_sdk_bcmpricingcalculator::config::retry::RetryConfig;
use aws_sdk_bcmpricingcalculator::config::{BehaviorVersion, Region};
use aws_sdk_bcmpricingcalculator::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_bcmpricingcalculator::types::{
    BatchCreateWorkloadEstimateUsageEntry, WorkloadEstimateRateType, WorkloadEstimateStatus,
};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tco_engine::Usd;

/// Lines per BatchCreateWorkloadEstimateUsage call: the service's limit.
pub const BATCH_SIZE: usize = 25;

/// Items asked for per ListWorkloadEstimateUsage page: the service's limit.
pub const PAGE_SIZE: i32 = 300;

/// Pages read at most: 30,000 lines, far beyond any plan; a service that kept answering
/// with a next token would otherwise never let go.
pub const MAX_PAGES: usize = 100;

/// The region the calculator's client is built for: the service answers from us-east-1 for
/// every commercial region (reference section 1).
pub const API_REGION: &str = "us-east-1";

/// How long to wait for AWS to price the estimate: first pause, longest pause, and the
/// whole budget. AWS does not document how long it takes (reference section 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Poll {
    /// The first pause after the last batch.
    pub first: Duration,
    /// Pauses double up to this.
    pub longest: Duration,
    /// Give up after this long.
    pub budget: Duration,
}

impl Default for Poll {
    /// 1 s, doubling to 10 s, for up to 3 minutes.
    fn default() -> Self {
        Poll { first: Duration::from_secs(1), longest: Duration::from_secs(10), budget: Duration::from_secs(180) }
    }
}

/// Where and as whom to call AWS. The default is the SDK's own: the credential chain and
/// the endpoint overrides (`AWS_ENDPOINT_URL_BCM_PRICING_CALCULATOR`, `AWS_ENDPOINT_URL`).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Send calculator calls here instead (`--endpoint-url`).
    pub endpoint_url: Option<String>,
    /// A credentials provider to use instead of the chain.
    pub credentials: Option<SharedCredentialsProvider>,
    /// The account the usage belongs to; asked of STS when absent.
    pub account_id: Option<String>,
    /// Retries, when not the SDK's standard ones.
    pub retry: Option<RetryConfig>,
    /// How long to wait for AWS to price.
    pub poll: Poll,
}

/// Clients ready to call, and the account id the usage lines carry.
#[derive(Debug, Clone)]
pub struct Clients {
    /// The Pricing Calculator.
    pub calculator: bcm::Client,
    /// The account the usage belongs to.
    pub account_id: String,
}

/// Loads the SDK's configuration, checks that credentials resolve, and finds the account id.
pub async fn connect(settings: &Settings) -> Result<Clients, CrosscheckError> {
    if let Some(url) = &settings.endpoint_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(CrosscheckError::NotConfigured(format!("endpoint URL `{url}` is not http:// or https://")));
        }
    }
    let given = settings.account_id.as_deref().map(account_id).transpose()?;
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).region(Region::new(API_REGION));
    if let Some(c) = &settings.credentials {
        loader = loader.credentials_provider(c.clone());
    }
    if let Some(r) = &settings.retry {
        loader = loader.retry_config(r.clone());
    }
    let shared = loader.load().await;
    let provider =
        shared.credentials_provider().ok_or_else(|| CrosscheckError::NotConfigured("no credential provider".into()))?;
    provider.provide_credentials().await.map_err(|e| CrosscheckError::NotConfigured(causes(&e)))?;
    let mut config = bcm::config::Builder::from(&shared);
    if let Some(url) = &settings.endpoint_url {
        config = config.endpoint_url(url);
    }
    let calculator = bcm::Client::from_conf(config.build());
    let account_id = match given {
        Some(id) => id,
        None => {
            let sts = aws_sdk_sts::Client::new(&shared);
            let me = sts.get_caller_identity().send().await.map_err(|e| aws_error("GetCallerIdentity", e))?;
            account_id(me.account().unwrap_or_default())?
        }
    };
    Ok(Clients { calculator, account_id })
}

/// An error and its causes, each as it describes itself, without the debug dump of the raw
/// response that the SDK's own context printer adds.
fn causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = cause.source();
    }
    parts.join(": ")
}

/// Maps an SDK error to what AWS said, by its error code.
fn aws_error<E, R>(operation: &'static str, e: SdkError<E, R>) -> CrosscheckError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let code = e.code().map(str::to_string);
    let message = e.message().map(str::to_string).unwrap_or_else(|| causes(&e));
    let kind = match (&e, code.as_deref()) {
        (SdkError::ServiceError(_), Some(code)) => match code {
            "AccessDeniedException"
            | "AccessDenied"
            | "UnrecognizedClientException"
            | "InvalidClientTokenId"
            | "ExpiredToken"
            | "ExpiredTokenException"
            | "SignatureDoesNotMatch" => AwsErrorKind::AccessDenied,
            "ThrottlingException" | "Throttling" => AwsErrorKind::Throttling,
            "ValidationException" => AwsErrorKind::Validation,
            "DataUnavailableException" => AwsErrorKind::DataUnavailable,
            "ServiceQuotaExceededException" => AwsErrorKind::QuotaExceeded,
            _ => AwsErrorKind::Service,
        },
        (SdkError::ServiceError(_), None) => AwsErrorKind::Service,
        _ => AwsErrorKind::Unreachable,
    };
    let code = code.unwrap_or_else(|| match kind {
        AwsErrorKind::Unreachable => "no answer".into(),
        _ => "error".into(),
    });
    CrosscheckError::Aws { operation, kind, code, message }
}

fn wire_rate_type(r: RateType) -> WorkloadEstimateRateType {
    match r {
        RateType::BeforeDiscounts => WorkloadEstimateRateType::BeforeDiscounts,
        RateType::AfterDiscounts => WorkloadEstimateRateType::AfterDiscounts,
        RateType::AfterDiscountsAndCommitments => WorkloadEstimateRateType::AfterDiscountsAndCommitments,
    }
}

/// An estimate name: letters, digits and hyphens, at most 64 (reference section 3).
fn estimate_name(prepared: &Prepared) -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let name = format!("tco-crosscheck-{}-{}-{secs}", prepared.target.as_str(), prepared.region);
    name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(64).collect()
}

/// A client token derived from what is sent, so a retried call is recognised as the same
/// (reference section 3, idempotency): 64 hex characters.
fn token(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    format!("{:x}", h.finalize())
}

/// What AWS said about one line.
#[derive(Debug, Default, Clone)]
struct Priced {
    cost: Option<f64>,
    status: Option<String>,
    amount: Option<f64>,
    unit: Option<String>,
    location: Option<String>,
}

/// Sends `prepared`'s lines as a workload estimate, waits for AWS to price it, reads the
/// figures back and deletes the estimate unless `keep`, also when a step after creating it
/// fails.
pub async fn check(
    clients: &Clients,
    prepared: &Prepared,
    rate_type: RateType,
    keep: bool,
    poll: Poll,
) -> Result<Crosscheck, CrosscheckError> {
    let client = &clients.calculator;
    let name = estimate_name(prepared);
    let fingerprint: Vec<String> = prepared
        .planned
        .outgoing
        .iter()
        .map(|l| format!("{} {} {} {}", l.service_code, l.usage_type, l.operation, l.amount))
        .collect();
    let created = client
        .create_workload_estimate()
        .name(&name)
        .rate_type(wire_rate_type(rate_type))
        .client_token(token(&[&name, &fingerprint.join("\n")]))
        .send()
        .await
        .map_err(|e| aws_error("CreateWorkloadEstimate", e))?;
    let id = created.id().to_string();
    tracing::info!(estimate_id = %id, lines = prepared.planned.outgoing.len(), "workload estimate created");

    let result = price(clients, prepared, &id, rate_type, poll).await;

    let cleanup = if keep {
        Ok(format!("workload estimate {id} kept"))
    } else {
        match client.delete_workload_estimate().identifier(&id).send().await {
            Ok(_) => Ok(format!("workload estimate {id} deleted")),
            Err(e) => Err(aws_error("DeleteWorkloadEstimate", e)),
        }
    };
    match (result, cleanup) {
        (Ok(mut c), Ok(_)) => {
            c.kept = keep;
            Ok(c)
        }
        (Ok(mut c), Err(e)) => {
            c.kept = true;
            c.notes.push(format!("The workload estimate could not be deleted: {e}; delete {id} by hand"));
            Ok(c)
        }
        (Err(e), Ok(cleanup)) => Err(CrosscheckError::AfterCreate { source: Box::new(e), cleanup }),
        (Err(e), Err(d)) => Err(CrosscheckError::AfterCreate {
            source: Box::new(e),
            cleanup: format!("deleting workload estimate {id} failed too: {d}"),
        }),
    }
}

/// Everything after the estimate exists: add the lines, wait, read back.
async fn price(
    clients: &Clients,
    prepared: &Prepared,
    id: &str,
    rate_type: RateType,
    poll: Poll,
) -> Result<Crosscheck, CrosscheckError> {
    let client = &clients.calculator;
    // key → the line's id at AWS, or why the batch refused it.
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut rejected: HashMap<String, String> = HashMap::new();
    for (i, batch) in prepared.planned.outgoing.chunks(BATCH_SIZE).enumerate() {
        let entries = batch
            .iter()
            .map(|l| {
                BatchCreateWorkloadEstimateUsageEntry::builder()
                    .service_code(l.service_code)
                    .usage_type(&l.usage_type)
                    .operation(l.operation)
                    .key(&l.key)
                    .usage_account_id(&clients.account_id)
                    .amount(rust_decimal::prelude::ToPrimitive::to_f64(&l.amount).unwrap_or(0.0))
                    .build()
                    .map_err(|e| CrosscheckError::Aws {
                        operation: "BatchCreateWorkloadEstimateUsage",
                        kind: AwsErrorKind::Validation,
                        code: "BuildError".into(),
                        message: e.to_string(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let out = client
            .batch_create_workload_estimate_usage()
            .workload_estimate_id(id)
            .set_usage(Some(entries))
            .client_token(token(&[id, &i.to_string()]))
            .send()
            .await
            .map_err(|e| aws_error("BatchCreateWorkloadEstimateUsage", e))?;
        for item in out.items() {
            if let (Some(key), Some(line)) = (item.key(), item.id()) {
                ids.insert(key.to_string(), line.to_string());
            }
        }
        for err in out.errors() {
            let key = err.key().unwrap_or_default().to_string();
            let code = err.error_code().map(|c| c.as_str().to_string()).unwrap_or_else(|| "ERROR".into());
            rejected.insert(key, format!("{code}: {}", err.error_message().unwrap_or("no message")));
        }
    }

    // No waiter exists: poll until the estimate leaves UPDATING.
    let started = Instant::now();
    let mut pause = poll.first;
    let estimate = loop {
        let got = client
            .get_workload_estimate()
            .identifier(id)
            .send()
            .await
            .map_err(|e| aws_error("GetWorkloadEstimate", e))?;
        match got.status() {
            Some(WorkloadEstimateStatus::Valid) => break got,
            Some(WorkloadEstimateStatus::Updating) | None => {
                if started.elapsed() + pause > poll.budget {
                    return Err(CrosscheckError::TimedOut { id: id.into(), seconds: started.elapsed().as_secs() });
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(poll.longest);
            }
            Some(other) => {
                return Err(CrosscheckError::EstimateFailed {
                    id: id.into(),
                    status: other.as_str().to_string(),
                    message: got.failure_message().unwrap_or("no failure message").to_string(),
                })
            }
        }
    };

    let mut priced: HashMap<String, Priced> = HashMap::new();
    let mut next: Option<String> = None;
    for page in 0.. {
        if page == MAX_PAGES {
            return Err(CrosscheckError::Aws {
                operation: "ListWorkloadEstimateUsage",
                kind: AwsErrorKind::Service,
                code: "TooManyPages".into(),
                message: format!("still a next page after {MAX_PAGES} pages of {PAGE_SIZE}"),
            });
        }
        let out = client
            .list_workload_estimate_usage()
            .workload_estimate_id(id)
            .max_results(PAGE_SIZE)
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| aws_error("ListWorkloadEstimateUsage", e))?;
        for item in out.items() {
            let Some(line) = item.id() else { continue };
            priced.insert(
                line.to_string(),
                Priced {
                    cost: item.cost(),
                    status: item.status().map(|s| s.as_str().to_string()),
                    amount: item.quantity().and_then(|q| q.amount()),
                    unit: item.quantity().and_then(|q| q.unit()).map(str::to_string),
                    location: item.location().map(str::to_string),
                },
            );
        }
        match out.next_token() {
            Some(t) if !t.is_empty() => next = Some(t.to_string()),
            _ => break,
        }
    }

    let to_usd = |x: f64| Usd::new(Decimal::from_f64(x).unwrap_or_default());
    let mut lines = Vec::with_capacity(prepared.planned.outgoing.len());
    for l in &prepared.planned.outgoing {
        let (aws, status, message) = match (rejected.get(&l.key), ids.get(&l.key).and_then(|i| priced.get(i))) {
            (Some(why), _) => (Priced::default(), "REJECTED".to_string(), Some(why.clone())),
            (None, Some(p)) => (p.clone(), p.status.clone().unwrap_or_else(|| "VALID".into()), None),
            (None, None) => (Priced::default(), "MISSING".to_string(), Some("not listed back by AWS".into())),
        };
        // A line AWS does not hold as valid is unpriced, not free (reference section 6).
        let aws_usd = if status == "VALID" { aws.cost.map(to_usd) } else { None };
        lines.push(CheckedLine {
            category: l.category.clone(),
            service_code: l.service_code.into(),
            usage_type: l.usage_type.clone(),
            operation: l.operation.into(),
            amount: l.amount,
            unit: l.unit.into(),
            aws_usd,
            ours_usd: l.ours_usd,
            aws_status: status,
            aws_message: message,
            aws_amount: aws.amount.and_then(Decimal::from_f64),
            aws_unit: aws.unit,
            aws_location: aws.location,
            confidence: l.confidence.into(),
            note: l.note.map(str::to_string),
        });
    }
    let ours: Usd = lines.iter().map(|l| l.ours_usd).sum();
    let aws_total = match estimate.total_cost() {
        Some(t) => to_usd(t),
        None => lines.iter().filter_map(|l| l.aws_usd).sum(),
    };
    let mut notes = prepared.notes.clone();
    let priced_at = estimate.rate_type().map(|r| r.as_str().to_string()).unwrap_or_default();
    let asked = wire_rate_type(rate_type);
    if !priced_at.is_empty() && priced_at != asked.as_str() {
        notes.push(format!(
            "Asked for {} rates, AWS priced at {priced_at}: a member account whose management account has not \
             allowed discounted rates gets public ones",
            asked.as_str()
        ));
    }
    let unpriced = lines.iter().filter(|l| l.aws_usd.is_none()).count();
    if unpriced > 0 {
        notes.push(format!("{unpriced} line(s) were not priced by AWS: their AWS figure is left empty, not zero"));
    }
    Ok(Crosscheck {
        estimate_id: id.to_string(),
        rate_type: priced_at,
        status: estimate.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
        aws_monthly_usd: aws_total,
        ours_monthly_usd: ours,
        difference_usd: Usd::new(aws_total.amount() - ours.amount()),
        lines,
        not_sent: prepared.planned.not_sent.clone(),
        target: prepared.target.as_str().into(),
        label: prepared.label.clone(),
        region: prepared.region.clone(),
        account_id: clients.account_id.clone(),
        hours_per_month: prepared.hours_per_month,
        kept: false,
        notes,
    })
}
