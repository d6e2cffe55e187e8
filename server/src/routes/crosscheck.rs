use super::body_bytes;
use crate::crosscheck::{self, Crosscheck, Poll, RateType};
use crate::document::parse_scenario;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use std::time::Duration;
use tco_engine::Platform;

/// `?target=T&rate_type=R`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CrosscheckQuery {
    /// The option to check: `ecs-ec2`, `eks-ec2`, `eks-auto`, `ecs-fargate`, `eks-fargate` or `ec2`.
    #[param(value_type = Platform)]
    pub target: String,
    /// The rates AWS prices at: `before-discounts` (the default), `after-discounts` or
    /// `after-discounts-and-commitments`.
    #[param(value_type = Option<RateType>, inline)]
    pub rate_type: Option<String>,
}

/// What the answer leaves for the request timeout's own margin: the calculator's wait is
/// cut this much short of it, so the clean-up and the answer still fit.
const MARGIN: Duration = Duration::from_secs(5);

/// Checks one option's plan against AWS's own Pricing Calculator: its usage lines become a
/// workload estimate in the server's AWS account, AWS prices them, and both figures come back
/// side by side; the estimate is deleted again. Needs AWS credentials on the server.
#[utoipa::path(post, path = "/api/v1/crosscheck", tag = "estimates", params(CrosscheckQuery),
    request_body(content = tco_engine::Scenario, description = "A scenario document, `{\"name\",\"workloads\",\"assumptions\"}`"),
    responses(
        (status = 200, description = "AWS's figures beside ours, per usage line and in total", body = Crosscheck),
        (status = 400, description = "Not a scenario document, or an unknown target or rate type", body = ErrorEnvelope),
        (status = 403, description = "AWS refused access (`aws_access_denied`)", body = ErrorEnvelope),
        (status = 413, description = "Too large", body = ErrorEnvelope),
        (status = 422, description = "The scenario cannot be estimated or sent (`estimate_failed`, \
            `crosscheck_failed`), or AWS refused a field (`aws_validation`)", body = ErrorEnvelope),
        (status = 429, description = "AWS throttled the calls or a quota is used up (`aws_throttled`, \
            `aws_quota_exceeded`)", body = ErrorEnvelope),
        (status = 502, description = "AWS failed or could not be reached (`aws_error`, `aws_unreachable`, \
            `aws_estimate_invalid`)", body = ErrorEnvelope),
        (status = 503, description = "The server has no AWS credentials (`aws_not_configured`: the message \
            says what to configure), or AWS's data is unavailable (`aws_data_unavailable`)", body = ErrorEnvelope),
        (status = 504, description = "AWS had not priced the estimate in time (`aws_timeout`)", body = ErrorEnvelope),
    ))]
pub async fn crosscheck(
    State(state): State<AppState>,
    Query(query): Query<CrosscheckQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Crosscheck>, ApiError> {
    let target = Platform::parse(&query.target).ok_or_else(|| {
        let known: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
        ApiError::BadRequest(format!("query parameter `target`: `{}` is not one of {}", query.target, known.join(", ")))
    })?;
    let rate_type = match query.rate_type.as_deref() {
        None => RateType::default(),
        Some(name) => RateType::parse(name).ok_or_else(|| {
            let known: Vec<&str> = RateType::ALL.iter().map(|r| r.as_str()).collect();
            ApiError::BadRequest(format!("query parameter `rate_type`: `{name}` is not one of {}", known.join(", ")))
        })?,
    };
    let body = body_bytes(body, state.body_limit_bytes)?;
    let scenario = parse_scenario("request body", &body)?;
    // The estimate is CPU work: on the pool, never on an async worker.
    let prepared = state.cpu(move |work| Ok(crosscheck::prepare(scenario, &work.catalog, Some(target))?)).await?;
    let settings = state.crosscheck.clone();
    let poll = Poll {
        budget: settings.poll.budget.min(state.request_timeout.saturating_sub(MARGIN).max(Duration::from_secs(1))),
        ..settings.poll
    };
    // Its own task, so a client that hangs up (or the request timeout) cannot stop the
    // clean-up half way and leave the estimate in the account.
    let task = tokio::spawn(async move {
        let clients = crosscheck::connect(&settings).await?;
        crosscheck::check(&clients, &prepared, rate_type, false, poll).await
    });
    let checked = task.await.map_err(|e| ApiError::Internal(format!("the cross-check stopped: {e}")))??;
    Ok(Json(checked))
}
