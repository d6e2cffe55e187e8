//! "Check with AWS Pricing Calculator" on an option card: the server sends the option's usage
//! lines to AWS's own calculator and the card shows AWS's figure beside ours, line by line,
//! flagging differences over 1%. Without AWS credentials on the server, it says what to
//! configure.

use crate::api::{self, CheckedLine, Crosscheck, CrosscheckFailure};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tco_engine::format::usd;
use tco_engine::{Platform, Scenario, Usd};

/// Where a check stands.
#[derive(Clone)]
enum Check {
    Idle,
    Running,
    Done(Box<Crosscheck>),
    Failed(CrosscheckFailure),
}

/// The button and, once run, AWS's figures beside ours.
#[component]
pub fn CrosscheckAction(scenario: RwSignal<Option<Scenario>>, target: Platform) -> impl IntoView {
    let state = RwSignal::new(Check::Idle);
    let id = target.as_str();
    let run = move |_| {
        let Some(s) = scenario.get_untracked() else { return };
        state.set(Check::Running);
        spawn_local(async move {
            state.set(match api::crosscheck(&s, target).await {
                Ok(c) => Check::Done(Box::new(c)),
                Err(f) => Check::Failed(f),
            });
        });
    };
    view! {
        <div class="crosscheck" data-testid=format!("option-{id}-crosscheck")>
            <button type="button" class="secondary" data-testid=format!("option-{id}-crosscheck-run")
                disabled=move || matches!(state.get(), Check::Running)
                on:click=run>
                {move || if matches!(state.get(), Check::Running) { "Checking with AWS…" } else { "Check with AWS Pricing Calculator" }}
            </button>
            <div aria-live="polite">
                {move || match state.get() {
                    Check::Idle | Check::Running => ().into_any(),
                    Check::Failed(f) => failure(f, id).into_any(),
                    Check::Done(c) => result(*c, id).into_any(),
                }}
            </div>
        </div>
    }
}

fn failure(f: CrosscheckFailure, id: &str) -> impl IntoView {
    let advice = match f.code.as_str() {
        "aws_not_configured" => Some(
            "The server has no AWS credentials. Start it with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or \
             AWS_PROFILE, or an IAM role) for an identity allowed the Pricing Calculator's workload-estimate actions."
                .to_string(),
        ),
        "aws_access_denied" => Some("AWS refused: the server's identity lacks a Pricing Calculator permission.".into()),
        "aws_throttled" | "aws_quota_exceeded" => Some("AWS is limiting requests: try again in a minute.".into()),
        _ => None,
    };
    view! {
        <div class="crosscheck-error" role="alert" data-testid=format!("option-{id}-crosscheck-error")>
            {advice.map(|a| view! { <p class="warning">{a}</p> })}
            <p class="error">{format!("{} ({})", f.message, f.code)}</p>
        </div>
    }
}

/// Whether AWS's figure differs from ours by more than 1% of ours (any difference when ours
/// is zero); an unpriced line is flagged too.
pub fn differs(aws: Option<Usd>, ours: Usd) -> bool {
    let Some(aws) = aws else { return true };
    let (a, o) = (aws.rounded_to_cents(), ours.rounded_to_cents());
    if o.is_zero() {
        return !a.is_zero();
    }
    ((a - o) / o).abs() > rust_decimal::Decimal::new(1, 2)
}

fn signed(amount: rust_decimal::Decimal) -> String {
    let text = usd(Usd::new(amount.abs()));
    if amount.is_sign_negative() && !Usd::new(amount).rounded_to_cents().is_zero() {
        format!("−{text}")
    } else {
        format!("+{text}")
    }
}

fn line_row(l: CheckedLine) -> impl IntoView {
    let flagged = differs(l.aws_usd, l.ours_usd);
    let (aws, diff) = match l.aws_usd {
        Some(a) => (usd(a), signed(a.amount() - l.ours_usd.amount())),
        None => (
            "not priced".to_string(),
            format!("{}{}", l.aws_status, l.aws_message.map(|m| format!(": {m}")).unwrap_or_default()),
        ),
    };
    // The card is narrow: what was sent shows under the line's name, small.
    let sent = format!("{} {} · {} {}", l.service_code, l.usage_type, l.amount.normalize(), l.unit);
    let title = format!("operation {} · confidence {}", l.operation, l.confidence);
    view! {
        <tr class:differs=flagged title=title>
            <th scope="row">{l.category}<span class="sent">{sent}</span></th>
            <td class="num">{usd(l.ours_usd)}</td>
            <td class="num">{aws}<span class="diff">{diff}{flagged.then_some(" ⚑")}</span></td>
        </tr>
    }
}

fn result(c: Crosscheck, id: &str) -> impl IntoView {
    let flagged = c.lines.iter().filter(|l| differs(l.aws_usd, l.ours_usd)).count();
    let summary = format!(
        "AWS {} against our {} a month for the lines sent ({}); {}",
        usd(c.aws_monthly_usd),
        usd(c.ours_monthly_usd),
        signed(c.difference_usd.amount()),
        match flagged {
            0 => "every line within 1%".to_string(),
            1 => "1 line differs by more than 1%".to_string(),
            n => format!("{n} lines differ by more than 1%"),
        }
    );
    view! {
        <div class="crosscheck-result" data-testid=format!("option-{id}-crosscheck-result")>
            <p data-testid=format!("option-{id}-crosscheck-summary")>{summary}</p>
            <div class="crosscheck-scroll">
                <table class="crosscheck-lines">
                    <caption>{format!("AWS Pricing Calculator, {} rates, {} hours a month, USD/month; AWS's difference from ours under its figure", c.rate_type, c.hours_per_month)}</caption>
                    <thead><tr>
                        <th scope="col">"Line, usage sent"</th><th scope="col" class="num">"Ours"</th>
                        <th scope="col" class="num">"AWS"</th>
                    </tr></thead>
                    <tbody>{c.lines.into_iter().map(line_row).collect_view()}</tbody>
                </table>
            </div>
            {(!c.not_sent.is_empty()).then(|| view! {
                <p class="hint">"Not sent to AWS:"</p>
                <ul class="crosscheck-not-sent">
                    {c.not_sent.into_iter().map(|n| view! {
                        <li>{format!("{} ({}): {}", n.category, usd(n.ours_usd), n.reason)}</li>
                    }).collect_view()}
                </ul>
            })}
            {c.notes.into_iter().map(|n| view! { <p class="hint">{n}</p> }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(s: &str) -> Usd {
        Usd::new(s.parse().unwrap())
    }

    #[test]
    fn a_difference_over_one_percent_of_ours_is_flagged() {
        // Ours $100.00: AWS at $101.00 is 1% off (not flagged), $101.01 and $98.99 are over.
        assert!(!differs(Some(usd("101.00")), usd("100.00")));
        assert!(differs(Some(usd("101.01")), usd("100.00")));
        assert!(differs(Some(usd("98.99")), usd("100.00")));
        // Compared in cents, as shown: $0.004 apart is no difference.
        assert!(!differs(Some(usd("0.504")), usd("0.50")));
        // Nothing on our side: any AWS charge differs; and a line AWS did not price is flagged.
        assert!(!differs(Some(usd("0")), usd("0")));
        assert!(differs(Some(usd("0.01")), usd("0")));
        assert!(differs(None, usd("5.00")));
    }
}
