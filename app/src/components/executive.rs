//! The executive summary: page 1 of the printed report, and the top of the finance view. Today's
//! bill, each option's monthly cost with its low–high band, savings a month and over 36
//! months, break-even, the recommendation (the option saving most over 36 months, or staying),
//! the three assumptions that move its result most and those that dominate its band.

use crate::human::{break_even, per_month};
use crate::MaybeReport;
use leptos::prelude::*;
use tco_engine::format::usd;
use tco_engine::report::OptionEstimate;
use tco_engine::{Report, Usd};

/// The summary, when there is a report.
#[component]
pub fn ExecutiveSummary(report: MaybeReport) -> impl IntoView {
    view! {
        <section class="panel executive finance-only" data-testid="executive-summary" aria-labelledby="executive-title">
            {move || report.get().map(|r| summary(&r))}
        </section>
    }
}

fn summary(r: &Report) -> impl IntoView {
    let horizon = r.options.first().map(|o| o.tco.months.len()).unwrap_or(0);
    view! {
        <h2 id="executive-title">"Executive summary"</h2>
        <p class="exec-today">
            "Today's monthly bill: " <strong data-testid="exec-current">{usd(r.current.monthly_usd)}</strong> " a month"
        </p>
        <table class="exec-options" data-testid="exec-options">
            <thead>
                <tr>
                    <th scope="col">"Option"</th>
                    <th scope="col" class="num">"Monthly cost"</th>
                    <th scope="col" class="num">"Low – high"</th>
                    <th scope="col" class="num">"Saves a month"</th>
                    <th scope="col" class="num">{format!("Saves over {horizon} months")}</th>
                    <th scope="col" class="num">"Break-even"</th>
                </tr>
            </thead>
            <tbody>
                {r.options.iter().map(|o| {
                    let id = o.platform.as_str();
                    view! {
                        <tr>
                            <th scope="row">{o.label.clone()}</th>
                            <td class="num" data-testid=format!("exec-{id}-total")>{usd(o.monthly_usd)}</td>
                            <td class="num" data-testid=format!("exec-{id}-band")>{format!("{} – {}", usd(o.band.low_usd), usd(o.band.high_usd))}</td>
                            <td class="num" class:negative=o.savings_vs_current_usd.amount().is_sign_negative()>{usd(o.savings_vs_current_usd)}</td>
                            <td class="num" class:negative=o.tco.months_36.savings_usd.amount().is_sign_negative()>{usd(o.tco.months_36.savings_usd)}</td>
                            <td class="num">{break_even(o.tco.break_even_month, horizon)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {r.best_option().map(|o| view! { {recommendation(o)} {what_moves(o)} })}
    }
}

/// The option to choose, or staying when none saves over 36 months.
fn recommendation(o: &OptionEstimate) -> impl IntoView {
    let text = if o.tco.months_36.savings_usd > Usd::ZERO {
        format!(
            "Recommended: {}, saving {} over 36 months with migration, parallel running and operations effort \
             included ({} after operations effort).",
            o.label,
            usd(o.tco.months_36.savings_usd),
            per_month(o.tco.monthly_savings_usd)
        )
    } else {
        format!(
            "Recommended: stay on today's platform. No option saves money over 36 months once migration, \
             parallel running and operations effort are counted; the nearest, {}, costs {} more.",
            o.label,
            usd(Usd::ZERO - o.tco.months_36.savings_usd)
        )
    };
    view! { <p class="exec-recommend" data-testid="exec-recommendation">{text}</p> }
}

/// The three assumptions that move the option's savings most, and what dominates its band.
fn what_moves(o: &OptionEstimate) -> impl IntoView {
    let drivers: Vec<String> = o.band_drivers().take(3).map(|s| s.assumption.clone()).collect();
    view! {
        <h3>{format!("What moves the result most ({})", o.label)}</h3>
        <ol class="exec-drivers" data-testid="exec-drivers">
            {o.sensitivity.iter().take(3).map(|s| view! {
                <li>{format!("{} ({} to {}): savings move by {}", s.assumption, s.at_low, s.at_high, per_month(s.swing_usd))}</li>
            }).collect_view()}
        </ol>
        {(!drivers.is_empty()).then(|| view! {
            <p class="band-drivers" data-testid="exec-band-drivers">
                {format!("Its band of {} – {} is dominated by: {}.", usd(o.band.low_usd), usd(o.band.high_usd), drivers.join("; "))}
            </p>
        })}
    }
}
