//! Inline SVG charts: a stacked bar, cumulative lines and a tornado. Inline SVG keeps the bundle
//! small, prints crisply and is styled by the page's CSS (colours per breakdown group). Each
//! chart carries an `aria-label` and a `<title>` per mark; the components that use them offer a
//! table of the same figures as the text equivalent.

use crate::geometry::{nice_ticks, polyline, Scale};
use crate::human::usd_compact;
use leptos::prelude::*;
use tco_engine::report::CostGroup;

/// One part of a stacked bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The breakdown group, for its colour (`g-compute`…).
    pub group: CostGroup,
    /// What a hover shows, e.g. `Compute: $3,474.80/month`.
    pub title: String,
    /// The value, in the chart's unit.
    pub value: f64,
}

/// A single horizontal bar split by group; `max` is the value of the full width, so bars of
/// several options share a scale and compare by length.
#[component]
pub fn StackedBar(segments: Vec<Segment>, max: f64, label: String) -> impl IntoView {
    let x = Scale::new(0.0, max.max(1.0), 0.0, 1000.0);
    let mut at = 0.0;
    let rects = segments
        .into_iter()
        .map(|s| {
            let (x0, x1) = (x.map(at), x.map(at + s.value));
            at += s.value;
            view! {
                <rect class=format!("seg g-{}", s.group) x=format!("{x0:.1}") y="0"
                    width=format!("{:.1}", (x1 - x0).max(0.0)) height="24">
                    <title>{s.title}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <svg class="stacked-bar" viewBox="0 0 1000 24" preserveAspectRatio="none" role="img" aria-label=label>
            <rect class="track" x="0" y="0" width="1000" height="24" />
            {rects}
        </svg>
    }
}

/// A line of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its legend name.
    pub name: String,
    /// A CSS class for its colour.
    pub class: String,
    /// (x, y) points.
    pub points: Vec<(f64, f64)>,
}

/// A vertical marker on a line chart, e.g. a break-even month.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Where it stands on the x axis.
    pub x: f64,
    /// Its text.
    pub label: String,
    /// A CSS class for its colour.
    pub class: String,
}

const W: f64 = 720.0;
const H: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 34.0;

/// Lines over months with dollar ticks on the y axis and markers; x runs from 0 to the last
/// point.
#[component]
pub fn LineChart(series: Vec<Series>, markers: Vec<Marker>, label: String, x_unit: &'static str) -> impl IntoView {
    let max_x = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(1.0, f64::max);
    let max_y = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(1.0, f64::max);
    let min_y = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(0.0, f64::min);
    let y_ticks = nice_ticks(min_y, max_y, 5);
    let (y0, y1) = (*y_ticks.first().unwrap_or(&0.0), y_ticks.last().copied().unwrap_or(max_y).max(max_y));
    let x = Scale::new(0.0, max_x, LEFT, W - RIGHT);
    let y = Scale::new(y0, y1, H - BOTTOM, TOP);
    let x_ticks: Vec<f64> = nice_ticks(0.0, max_x, 6).into_iter().filter(|t| *t <= max_x).collect();
    view! {
        <svg class="line-chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label>
            <g class="grid">
                {y_ticks.iter().map(|t| {
                    let py = y.map(*t);
                    view! {
                        <line x1=LEFT.to_string() x2=(W - RIGHT).to_string() y1=format!("{py:.1}") y2=format!("{py:.1}") />
                        <text class="tick" x=(LEFT - 6.0).to_string() y=format!("{:.1}", py + 4.0) text-anchor="end">{usd_compact(*t)}</text>
                    }
                }).collect_view()}
                {x_ticks.iter().map(|t| {
                    let px = x.map(*t);
                    view! {
                        <text class="tick" x=format!("{px:.1}") y=(H - BOTTOM + 16.0).to_string() text-anchor="middle">{format!("{t}")}</text>
                    }
                }).collect_view()}
                <text class="tick axis-name" x=(W - RIGHT).to_string() y=(H - 4.0).to_string() text-anchor="end">{x_unit}</text>
            </g>
            {series.into_iter().map(|s| view! {
                <polyline class=format!("series {}", s.class) fill="none" points=polyline(&s.points, x, y)>
                    <title>{s.name}</title>
                </polyline>
            }).collect_view()}
            {markers.into_iter().enumerate().map(|(i, m)| {
                let px = x.map(m.x);
                view! {
                    <g class=format!("marker {}", m.class)>
                        <line x1=format!("{px:.1}") x2=format!("{px:.1}") y1=TOP.to_string() y2=(H - BOTTOM).to_string() />
                        <text x=format!("{:.1}", px + 4.0) y=format!("{:.1}", TOP + 12.0 + 14.0 * i as f64)>{m.label}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

/// A row of a tornado chart: an input's effect at its low and high ends.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoRow {
    /// The input.
    pub label: String,
    /// The outcome with the input lowered.
    pub low: f64,
    /// The outcome with the input raised.
    pub high: f64,
    /// What the input is at its low end, e.g. `100 m`.
    pub at_low: String,
    /// What the input is at its high end.
    pub at_high: String,
}

/// Horizontal bars from the base outcome to each end, widest swing first (the caller sorts).
#[component]
pub fn Tornado(rows: Vec<TornadoRow>, base: f64, label: String) -> impl IntoView {
    const LABELS: f64 = 260.0;
    const ROW: f64 = 30.0;
    let height = TOP + ROW * rows.len() as f64 + BOTTOM;
    let lo = rows.iter().flat_map(|r| [r.low, r.high]).fold(base, f64::min);
    let hi = rows.iter().flat_map(|r| [r.low, r.high]).fold(base, f64::max);
    let ticks = nice_ticks(lo, hi, 5);
    let (d0, d1) = (ticks.first().copied().unwrap_or(lo).min(lo), ticks.last().copied().unwrap_or(hi).max(hi));
    let x = Scale::new(d0, d1, LABELS, W - RIGHT);
    let bx = x.map(base);
    let bar = move |from: f64, to: f64, y: f64, class: &'static str, title: String| {
        let (a, b) = (x.map(from.min(to)), x.map(from.max(to)));
        view! {
            <rect class=class x=format!("{a:.1}") y=format!("{y:.1}") width=format!("{:.1}", (b - a).max(1.0)) height=(ROW - 10.0).to_string()>
                <title>{title}</title>
            </rect>
        }
    };
    view! {
        <svg class="tornado" viewBox=format!("0 0 {W} {height}") role="img" aria-label=label>
            <g class="grid">
                {ticks.iter().map(|t| {
                    let px = x.map(*t);
                    view! {
                        <line x1=format!("{px:.1}") x2=format!("{px:.1}") y1=TOP.to_string() y2=(height - BOTTOM).to_string() />
                        <text class="tick" x=format!("{px:.1}") y=(height - BOTTOM + 16.0).to_string() text-anchor="middle">{usd_compact(*t)}</text>
                    }
                }).collect_view()}
            </g>
            {rows.into_iter().enumerate().map(|(i, r)| {
                let y = TOP + ROW * i as f64;
                view! {
                    <g class="row">
                        <text class="row-label" x=(LABELS - 8.0).to_string() y=format!("{:.1}", y + ROW / 2.0) text-anchor="end">{r.label.clone()}</text>
                        {bar(base, r.low, y + 5.0, "low", format!("{} at {}: {}/month", r.label, r.at_low, usd_compact(r.low)))}
                        {bar(base, r.high, y + 5.0, "high", format!("{} at {}: {}/month", r.label, r.at_high, usd_compact(r.high)))}
                    </g>
                }
            }).collect_view()}
            <line class="base" x1=format!("{bx:.1}") x2=format!("{bx:.1}") y1=(TOP - 4.0).to_string() y2=(height - BOTTOM).to_string() />
        </svg>
    }
}

/// The tornado drawn with HTML boxes instead of SVG, so its text takes the page's font size
/// (presentation mode sizes it to the screen) rather than shrinking with a scaled drawing.
/// Bars run from the base outcome to each end; positions are shares of the row's width.
#[component]
pub fn TornadoBars(rows: Vec<TornadoRow>, base: f64, label: String) -> impl IntoView {
    let lo = rows.iter().flat_map(|r| [r.low, r.high]).fold(base, f64::min);
    let hi = rows.iter().flat_map(|r| [r.low, r.high]).fold(base, f64::max);
    let x = Scale::new(lo, if hi > lo { hi } else { lo + 1.0 }, 0.0, 100.0);
    let bar = move |from: f64, to: f64, class: &'static str, title: String| {
        let (a, b) = (x.map(from.min(to)), x.map(from.max(to)));
        view! {
            <span class=format!("tb-bar {class}") title=title
                style=format!("left:{a:.2}%;width:{:.2}%", (b - a).max(0.4))></span>
        }
    };
    view! {
        <div class="tornado-bars" role="img" aria-label=label>
            {rows.into_iter().map(|r| view! {
                <div class="tb-row">
                    <span class="tb-label">{r.label.clone()}</span>
                    <span class="tb-track">
                        {bar(base, r.low, "low", format!("{} at {}: {}/month", r.label, r.at_low, usd_compact(r.low)))}
                        {bar(base, r.high, "high", format!("{} at {}: {}/month", r.label, r.at_high, usd_compact(r.high)))}
                        <span class="tb-base" style=format!("left:{:.2}%", x.map(base))></span>
                    </span>
                    <span class="tb-ends">{format!("{} … {}", usd_compact(r.low.min(r.high)), usd_compact(r.low.max(r.high)))}</span>
                </div>
            }).collect_view()}
        </div>
    }
}
