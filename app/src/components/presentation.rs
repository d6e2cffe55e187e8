//! Presentation mode: the comparison as full-screen slides for a meeting room — large numbers
//! and charts whose text is sized to the screen, the scenario's name and date, no editing
//! chrome. Arrow keys, Page Up/Down, Home
//! and End move between slides; Escape leaves.

use super::charts::TornadoBars;
use super::charts::{Segment, StackedBar};
use super::sensitivity::tornado_rows;
use super::tco::tco_chart;
use crate::geometry::by_group;
use crate::human::{per_month, savings_pct, to_f64, usd_whole};
use crate::MaybeReport;
use leptos::ev;
use leptos::prelude::*;
use tco_engine::format::usd;
use tco_engine::report::CostGroup;
use tco_engine::Report;

/// The slides, in order.
const SLIDES: [&str; 4] = ["Summary", "Where the money goes", "Cost over time", "What moves the savings"];

/// The next slide index for a key, or `None` for keys the slides do not use.
pub fn step(key: &str, at: usize, count: usize) -> Option<usize> {
    let last = count.saturating_sub(1);
    match key {
        "ArrowRight" | "ArrowDown" | "PageDown" | " " => Some((at + 1).min(last)),
        "ArrowLeft" | "ArrowUp" | "PageUp" => Some(at.saturating_sub(1)),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

/// The full-screen overlay; `on_leave` runs on Escape or the close button.
#[component]
pub fn Presentation(report: MaybeReport, title: Signal<String>, date: String, on_leave: Callback<()>) -> impl IntoView {
    let at = RwSignal::new(0usize);
    let handle = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        let key = e.key();
        if key == "Escape" {
            e.prevent_default();
            on_leave.run(());
        } else if let Some(next) = step(&key, at.get_untracked(), SLIDES.len()) {
            e.prevent_default();
            at.set(next);
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <div class="presentation" data-testid="presentation" role="dialog" aria-modal="true"
            aria-label="Presentation of the comparison">
            <header class="pres-head">
                <div>
                    <h1 data-testid="pres-title">{move || title.get()}</h1>
                    <p class="pres-date">{format!("Cloud cost comparison · {date}")}</p>
                </div>
                <nav class="pres-nav" aria-label="Slides">
                    <button type="button" aria-label="Previous slide" on:click=move |_| at.update(|i| *i = i.saturating_sub(1))>"‹"</button>
                    <span class="pres-count" data-testid="pres-count">{move || format!("{} / {}", at.get() + 1, SLIDES.len())}</span>
                    <button type="button" aria-label="Next slide" on:click=move |_| at.update(|i| *i = (*i + 1).min(SLIDES.len() - 1))>"›"</button>
                    <button type="button" class="pres-close" data-testid="pres-close" on:click=move |_| on_leave.run(())>"Esc · leave"</button>
                </nav>
            </header>
            <main class="pres-body" aria-live="polite">
                <h2 class="pres-slide-title" data-testid="pres-slide-title">{move || SLIDES[at.get()]}</h2>
                {move || report.get().map(|r| match at.get() {
                    0 => summary(&r).into_any(),
                    1 => comparison_bars(&r).into_any(),
                    2 => view! { <div class="pres-chart">{tco_chart(&r)}</div> }.into_any(),
                    _ => view! {
                        <div class="pres-tornados">
                            {r.options.iter().map(|o| view! {
                                <article class="option-sensitivity">
                                    <h3>{o.label.clone()} <small>{format!(" · estimate {}", per_month(o.tco.monthly_savings_usd))}</small></h3>
                                    <TornadoBars rows=tornado_rows(o) base=to_f64(o.tco.monthly_savings_usd)
                                        label=format!("{}: monthly savings as each assumption moves over its range", o.label) />
                                </article>
                            }).collect_view()}
                        </div>
                    }.into_any(),
                })}
            </main>
            <footer class="pres-foot">"← → or Page Up/Down to move · Esc to leave"</footer>
        </div>
    }
}

/// Today and each option as large numbers.
fn summary(r: &Report) -> impl IntoView {
    view! {
        <div class="pres-cards">
            <div class="pres-card current">
                <h3>"Today on Heroku"</h3>
                <p class="pres-total" data-testid="pres-heroku-total">{usd(r.current.monthly_usd)}</p>
                <p class="pres-unit">"USD/month"</p>
            </div>
            {r.options.iter().map(|o| view! {
                <div class="pres-card option">
                    <h3>{o.label.clone()}</h3>
                    <p class="pres-total" data-testid=format!("pres-{}-total", crate::human::option_id(o))>{usd(o.monthly_usd)}</p>
                    <p class="pres-unit">{format!("USD/month · {}", o.pricing_model.label())}</p>
                    <p class="pres-savings">{savings_pct(o.savings_vs_current_pct)}</p>
                    <p class="pres-band">{format!("{} – {}", usd_whole(o.band.low_usd), usd_whole(o.band.high_usd))} " range"</p>
                </div>
            }).collect_view()}
        </div>
    }
}

/// A stacked bar per platform on one scale: the cost comparison (also the printed report's).
pub fn comparison_bars(r: &Report) -> impl IntoView {
    let max = r.options.iter().map(|o| to_f64(o.monthly_usd)).fold(to_f64(r.current.monthly_usd), f64::max);
    let rows: Vec<(String, tco_engine::Usd, Vec<Segment>)> =
        std::iter::once(("Today on Heroku".to_string(), r.current.monthly_usd, segments(&r.current.breakdown)))
            .chain(r.options.iter().map(|o| (o.label.clone(), o.monthly_usd, segments(&o.breakdown))))
            .collect();
    view! {
        <div class="pres-bars">
            {rows.into_iter().map(|(label, total, segs)| view! {
                <div class="pres-bar">
                    <span class="pres-bar-label">{label.clone()}</span>
                    <StackedBar segments=segs max=max label=format!("{label}: {}", per_month(total)) />
                    <span class="pres-bar-total">{usd_whole(total)}</span>
                </div>
            }).collect_view()}
            <ul class="legend">
                {CostGroup::ALL.iter().map(|g| view! { <li><span class=format!("swatch g-{g}")></span>{g.label()}</li> }).collect_view()}
            </ul>
        </div>
    }
}

fn segments(lines: &[tco_engine::report::CostLine]) -> Vec<Segment> {
    by_group(lines.iter().map(|l| (l.group, to_f64(l.monthly_usd))))
        .into_iter()
        .map(|(g, v)| Segment { title: format!("{}: {}", g.label(), crate::human::usd_compact(v)), group: g, value: v })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::step;

    #[test]
    fn keys_move_between_slides_and_stop_at_the_ends() {
        assert_eq!(step("ArrowRight", 0, 4), Some(1));
        assert_eq!(step("PageDown", 3, 4), Some(3));
        assert_eq!(step("PageUp", 0, 4), Some(0));
        assert_eq!(step("End", 0, 4), Some(3));
        assert_eq!(step("a", 1, 4), None);
    }
}
